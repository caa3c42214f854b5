# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class FeedbackRectification(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		action: DF.SmallText
		action_owner: DF.Link
		department: DF.Link
		done_on: DF.Date | None
		due_date: DF.Date
		escalated_on: DF.Date | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		result: DF.SmallText | None
		status: DF.Literal["Open", "Done", "Waived"]
		waive_reason: DF.SmallText | None
	# end: auto-generated types
	pass
