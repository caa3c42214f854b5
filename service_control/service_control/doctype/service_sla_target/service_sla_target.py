# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ServiceSLATarget(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		basis: DF.Literal["Calendar Hours", "Working Hours"]
		document_type: DF.Literal[
			"Customer Complaint", "Repair Request", "Internal Complaint", "Customer Contact Log"
		]
		for_company: DF.Link | None
		hours: DF.Float
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		stage: DF.Literal["First Reply", "Arrangement", "Resolution", "Closure", "First Answer"]
		urgency: DF.Literal[
			"Urgent", "Normal", "Visit", "Phone", "Fax", "Letter", "E-mail", "Showroom", "Portal", "Other"
		]
	# end: auto-generated types
	pass
