"""SLA clocks: running clocks with no pause and no customer deadline keep no deadline of their own.

Their due, at-risk and next-check instants follow from start, allowance and calendar
(``core.sla.is_derived``), so they are cleared in one statement and the clocks marked derived:
from then on the sweep reads them by their start, and a calendar change rewrites none of them.
"""

import frappe

from service_control.core.sla import DERIVED_STATES


def execute():
	frappe.db.sql(
		"""update `tabService SLA Clock` k
		set k.derived = 1, k.due_on = null, k.at_risk_on = null, k.next_on = null
		where k.derived = 0 and k.met_on is null and k.cap_on is null and k.state in %(states)s
			and not exists (select 1 from `tabService SLA Pause` p
				where p.parenttype = k.parenttype and p.parent = k.parent)""",
		{"states": [state.value for state in DERIVED_STATES]},
	)
