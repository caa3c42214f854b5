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
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		stage: DF.Literal["First Reply", "Arrangement", "Resolution", "Closure", "Repair", "First Answer"]
		start_on: DF.Datetime | None
		state: DF.Literal["On Track", "At Risk", "Breached", "Met", "Met Late", "Paused", "Stopped"]
	# end: auto-generated types
	pass


def on_doctype_update():
	"""SLA Performance reads each complaint's clock of a stage and its state: one index lookup
	that needs no row (the child table's own index is on ``parent`` alone)."""
	frappe.db.add_index("Service SLA Clock", ["parent", "parenttype", "stage", "state"], "parent_stage_state")
