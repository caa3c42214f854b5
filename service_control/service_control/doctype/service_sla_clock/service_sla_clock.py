# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

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
		stage: DF.Literal["First Reply", "Arrangement", "Resolution", "Closure", "Repair"]
		start_on: DF.Datetime | None
		state: DF.Literal["On Track", "At Risk", "Breached", "Met", "Met Late", "Paused", "Stopped"]
	# end: auto-generated types
	pass

