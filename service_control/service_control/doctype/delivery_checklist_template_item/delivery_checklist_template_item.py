# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class DeliveryChecklistTemplateItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Literal["Document", "Accessory", "Spare Part", "Other"]
		document: DF.Data
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		per_unit: DF.Check
		required_qty: DF.Float
	# end: auto-generated types
	pass
