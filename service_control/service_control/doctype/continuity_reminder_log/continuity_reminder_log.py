# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ContinuityReminderLog(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		claim: DF.Data | None
		due_date: DF.Date | None
		error: DF.SmallText | None
		event: DF.Literal["Review Due", "Test Due"]
		notified_on: DF.Datetime | None
		plan: DF.Link
		recipients: DF.SmallText | None
		status: DF.Literal["Pending", "Sending", "Sent", "Failed"]
	# end: auto-generated types
	"""Written by the daily continuity run only (INSERT IGNORE keyed on event, plan and due date)."""
