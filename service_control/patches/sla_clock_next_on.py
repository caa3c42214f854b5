"""SLA clocks: one sweep index on (state, next_on) instead of (state, due_on) and
(state, at_risk_on).

A recompute after a calendar change moves both instants of every running clock; with one
indexed column it rewrites one index entry per clock instead of two. ``next_on`` is filled from
the state as ``core.sla.next_check_on`` defines it, in one statement.
"""

import frappe

from service_control.core.sla import ClockState
from service_control.service_control.doctype.service_sla_clock.service_sla_clock import on_doctype_update


def execute():
	frappe.db.sql(
		"""update `tabService SLA Clock`
		set next_on = case state
			when %(on_track)s then coalesce(at_risk_on, due_on)
			when %(at_risk)s then due_on
		end""",
		{"on_track": ClockState.ON_TRACK.value, "at_risk": ClockState.AT_RISK.value},
	)
	for index in ("state_due_on_index", "state_at_risk_on_index"):
		if frappe.db.has_index("tabService SLA Clock", index):
			frappe.db.sql_ddl(f"alter table `tabService SLA Clock` drop index `{index}`")
	on_doctype_update()  # the indexes the sweep reads, declared in one place
