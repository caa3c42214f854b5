# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CorrectiveActionItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		action: DF.SmallText
		action_owner: DF.Link | None
		action_type: DF.Literal["Corrective", "Preventive"]
		completed_on: DF.Date | None
		department: DF.Link | None
		due_date: DF.Date | None
		escalated_on: DF.Date | None
		evidence: DF.Attach | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		remarks: DF.SmallText | None
		round: DF.Int
		status: DF.Literal["Open", "In Progress", "Done", "Cancelled"]
	# end: auto-generated types
	pass
