# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""The documents and accessories delivered with the goods of an item group (manual, warranty
card, certificate, test report, spare parts); a Delivery Acceptance copies them into its
checklist, multiplying the per-unit rows by the units delivered."""

from frappe.model.document import Document


class DeliveryChecklistTemplate(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.delivery_checklist_template_item.delivery_checklist_template_item import (
			DeliveryChecklistTemplateItem,
		)

		disabled: DF.Check
		item_group: DF.Link
		items: DF.Table[DeliveryChecklistTemplateItem]
	# end: auto-generated types
	pass
