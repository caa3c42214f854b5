# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CustomerTrainingTopic(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		covered: DF.Check
		description: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		topic: DF.Data
	# end: auto-generated types
	pass
