# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ServiceEscalationLevel(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		delay_hours: DF.Float
		for_company: DF.Link | None
		immediate_for_critical: DF.Check
		level: DF.Int
		notify_owner: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		role: DF.Link | None
		trigger: DF.Literal["At Risk", "Breached"]
	# end: auto-generated types
	pass
