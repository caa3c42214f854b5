"""Cases store their next deadline (Due By, its stage) and when the SLA sweep looks at them next.

Every case with a running clock is reviewed once by the sweep's batch review, which fills both
and sets each clock's stored deadlines as a save would. The clock indexes of the clock-level
sweep are dropped: nothing reads them any more, and every clock write paid for them.
"""

import frappe
from frappe.utils import now_datetime

from service_control.core.sla import LIVE_STATES
from service_control.service_control.sla.clocks import CLOCK_PARENTS
from service_control.service_control.sla.sweep import review_due

OLD_CLOCK_INDEXES = (
	"state_next_on_index",
	"derived_state_basis_company_allowance_hours_start_on_index",
	"derived_parent_index",
	"state_escalated_level_index",
	"state_due_on_index",
	"state_at_risk_on_index",
)


def execute():
	for index in OLD_CLOCK_INDEXES:
		if frappe.db.has_index("tabService SLA Clock", index):
			frappe.db.sql_ddl(f"alter table `tabService SLA Clock` drop index `{index}`")
	now = now_datetime()
	for parenttype in CLOCK_PARENTS:
		frappe.db.sql(
			f"""update `tab{parenttype}` p set p.sla_next_on = %(now)s
			where exists (select 1 from `tabService SLA Clock` k
				where k.parenttype = %(parenttype)s and k.parent = p.name
					and k.state in %(live)s and k.met_on is null)""",
			{"now": now, "parenttype": parenttype, "live": [state.value for state in LIVE_STATES]},
		)
	review_due(now)  # the escalations it logs are sent by the next scheduled sweep
