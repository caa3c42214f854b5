# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class DeliveryAcceptanceChecklist(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Literal["Document", "Accessory", "Spare Part", "Other"]
		delivered: DF.Check
		delivered_qty: DF.Float
		document: DF.Data
		from_template: DF.Check
		item_group: DF.Link | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		remarks: DF.Data | None
		required_qty: DF.Float
	# end: auto-generated types
	pass
