# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class ServiceSLAClock(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		allowance_hours: DF.Float
		at_risk_on: DF.Datetime | None
		basis: DF.Literal["Calendar Hours", "Working Hours"]
		cap_on: DF.Datetime | None
		company: DF.Link | None
		derived: DF.Check
		due_on: DF.Datetime | None
		escalated_level: DF.Int
		met_on: DF.Datetime | None
		next_on: DF.Datetime | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		stage: DF.Literal["First Reply", "Arrangement", "Resolution", "Closure", "Repair"]
		start_on: DF.Datetime | None
		state: DF.Literal["On Track", "At Risk", "Breached", "Met", "Met Late", "Paused", "Stopped"]
	# end: auto-generated types
	pass


def on_doctype_update():
	"""The sweep selects clocks by state and the time it must look at them next (state changes),
	derived clocks by state, calendar, allowance and start (core.sla.start_thresholds), and both
	by state and the level already escalated (escalation): one index each, so a sweep with
	nothing new reads almost nothing. The recompute reads the clocks that store their deadlines
	in parent order."""
	frappe.db.add_index("Service SLA Clock", ["state", "next_on"])
	frappe.db.add_index(
		"Service SLA Clock", ["derived", "state", "basis", "company", "allowance_hours", "start_on"]
	)
	frappe.db.add_index("Service SLA Clock", ["derived", "parent"])  # the recompute's keyset
	frappe.db.add_index("Service SLA Clock", ["state", "escalated_level"])
