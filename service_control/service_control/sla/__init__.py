"""SLA adapters, one module per job (see each module); re-exports the names imported from here before the split."""

from service_control.core.escalation import sweep_rules
from service_control.service_control.sla.clocks import (
	CLOCK_PARENTS,
	at_risk_share,
	get_pauses,
	get_targets,
	show_derived_deadlines,
	update_clocks,
)
from service_control.service_control.sla.derived import DerivedClocks
from service_control.service_control.sla.notify import notify_pending
from service_control.service_control.sla.recompute import (
	_BatchWriter,
	_clock_batch_statements,
	companies_using,
	recompute_open_clocks,
)
from service_control.service_control.sla.sweep import _log_escalations, run_sweep, schedule_sweep

__all__ = [
	"CLOCK_PARENTS",
	"DerivedClocks",
	"_BatchWriter",
	"_clock_batch_statements",
	"_log_escalations",
	"at_risk_share",
	"companies_using",
	"get_pauses",
	"get_targets",
	"notify_pending",
	"recompute_open_clocks",
	"run_sweep",
	"schedule_sweep",
	"show_derived_deadlines",
	"sweep_rules",
	"update_clocks",
]
