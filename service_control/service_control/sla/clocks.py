"""SLA clocks on Frappe documents: the per-save computation of every stage clock.

Clocks live in the child table Service SLA Clock, shared by every doctype with stages (customer
complaints, repair requests), so one set-based sweep covers them all. The arithmetic is the
core's (service_control.core.sla / working_time); this module loads the policy and the pauses,
calls the core and sets the rows, which the controller then saves. It owns ``CLOCK_PARENTS``,
the list of doctypes with clocks that the sweep, the escalation and the notifications read.

Why not ERPNext's Service Level Agreement: it knows only response and resolution, snaps
allowances of 24 h or more to the end of a working day, and marks a breach only when someone
saves the document. Its Holiday List is reused (per company), its Issue Priority is not (the
procedures have two urgencies, kept as a Select).
"""

from datetime import datetime, timedelta

from frappe.utils import flt, get_datetime, now_datetime

from service_control.core import settings as settings_rules
from service_control.core.escalation import overall_state
from service_control.core.sla import (
	Pause,
	compute_clock,
	derived_deadlines,
	is_derived,
	next_check_on,
	stopped_state,
)
from service_control.utils import get_clock, get_settings

#: Parent doctypes with SLA clocks, and the field naming who owns the case (escalation level
#: "Notify Owner"), its severity field (or None) and statuses in which clocks no longer run.
CLOCK_PARENTS = {
	"Customer Complaint": {
		"owner_field": "investigation_owner",
		"severity_field": "severity",
		"final_statuses": ("Closed", "Cancelled"),
	},
	"Repair Request": {
		"owner_field": "technician",
		"severity_field": None,
		"final_statuses": ("Closed", "Cancelled"),
	},
}


def get_targets(document_type: str, urgency: str, company: str | None = None) -> dict[str, tuple[float, str]]:
	"""{stage: (hours, basis)} for one urgency, from Service Control Settings: the company's own
	targets for the document type when it has any, else the default ones
	(``core.settings.targets_for``)."""
	return settings_rules.targets_for(get_settings().sla_targets, company, document_type, urgency)


def get_pauses(doc) -> list[Pause]:
	return [
		Pause(get_datetime(p.paused_on), get_datetime(p.resumed_on) if p.resumed_on else None)
		for p in sorted(doc.get("sla_pauses") or [], key=lambda p: get_datetime(p.paused_on))
	]


def update_clocks(
	doc,
	*,
	start: datetime,
	urgency: str,
	met: dict[str, datetime | None],
	caps: dict[str, datetime | None] | None = None,
	now: datetime | None = None,
	stopped: bool = False,
) -> None:
	"""Recompute every stage clock of ``doc`` with the core; the same code runs on each save.

	``stopped``: the case is cancelled, so stages not met yet stop for good (no sweep, no
	escalation, no recompute).

	A clock that ``core.sla.is_derived`` stores no due, at-risk or next-check instant: the sweep
	reads it by its start, and ``show_derived_deadlines`` gives the form its instants.
	"""
	if stopped:
		show_derived_deadlines(doc)  # a stopped clock keeps the deadline it had
		for row in doc.get("sla_clocks") or []:
			row.state = stopped_state(row.state).value
			row.at_risk_on = row.next_on = None
			row.derived = 0
		doc.sla_state = overall_state([row.state for row in doc.get("sla_clocks") or []])
		return
	now = now or now_datetime()
	caps = caps or {}
	pauses = get_pauses(doc)
	share = at_risk_share()
	rows = {row.stage: row for row in doc.get("sla_clocks") or []}
	for stage, (hours, basis) in get_targets(doc.doctype, urgency, doc.get("company")).items():
		cap = get_datetime(caps[stage]) if caps.get(stage) else None
		result = compute_clock(
			start=get_datetime(start),
			allowance=timedelta(hours=hours),
			clock=get_clock(basis, doc.get("company")),
			now=now,
			pauses=pauses,
			met_on=get_datetime(met.get(stage)) if met.get(stage) else None,
			at_risk_share=share,
			cap=cap,
		)
		derived = is_derived(result.state, pauses, cap)
		row = rows.get(stage) or doc.append("sla_clocks", {"stage": stage})
		row.update(
			{
				"start_on": start,
				"allowance_hours": hours,
				"basis": basis,
				"cap_on": caps.get(stage),
				"company": doc.get("company"),
				"due_on": None if derived else result.due_on,
				"at_risk_on": None if derived else result.at_risk_on,
				"next_on": None if derived else next_check_on(result.state, result.at_risk_on, result.due_on),
				"derived": int(derived),
				"met_on": result.met_on,
				"state": result.state.value,
			}
		)
	doc.sla_state = overall_state([row.state for row in doc.get("sla_clocks") or []])


def show_derived_deadlines(doc) -> None:
	"""Set the due and at-risk instants of the document's derived clocks, in memory only.

	They are never stored (see ``update_clocks``), so the controllers call this when a form loads
	(``onload``) and after a save (``on_change``, which runs after the version is recorded), on
	today's calendar (``core.sla.derived_deadlines``).
	"""
	rows = [row for row in doc.get("sla_clocks") or [] if row.get("derived") and row.start_on]
	if not rows:
		return
	share = at_risk_share()
	for row in rows:
		row.due_on, row.at_risk_on = derived_deadlines(
			get_clock(row.basis, row.company),
			get_datetime(row.start_on),
			timedelta(hours=flt(row.allowance_hours)),
			share,
		)


def at_risk_share() -> float:
	return (get_settings().at_risk_percent or 75) / 100
