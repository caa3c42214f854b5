# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""The topics a customer training covers for a product family; a Customer Training Record copies
them when the template is chosen (or made from a delivery of that item group)."""

from frappe.model.document import Document


class CustomerTrainingTemplate(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.customer_training_topic.customer_training_topic import (
			CustomerTrainingTopic,
		)

		item_group: DF.Link | None
		template_name: DF.Data
		topics: DF.Table[CustomerTrainingTopic]
	# end: auto-generated types
	pass
