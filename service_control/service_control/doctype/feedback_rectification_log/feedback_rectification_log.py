# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class FeedbackRectificationLog(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		claim: DF.Data | None
		due_date: DF.Date | None
		error: DF.SmallText | None
		event: DF.Literal["Reminder", "Overdue", "Result"]
		feedback_form: DF.Link
		notified_on: DF.Datetime | None
		recipients: DF.SmallText | None
		row_name: DF.Data | None
		status: DF.Literal["Pending", "Sending", "Sent", "Failed"]
	# end: auto-generated types
	"""Written by the daily feedback run and by closing a form only (INSERT IGNORE keyed on event and row)."""
