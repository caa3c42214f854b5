# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ServiceEscalationLog(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		claim: DF.Data | None
		error: DF.SmallText | None
		level: DF.Int
		notified_on: DF.Datetime | None
		recipients: DF.SmallText | None
		reference_doctype: DF.Link
		reference_name: DF.DynamicLink
		stage: DF.Data | None
		status: DF.Literal["Pending", "Sending", "Sent", "Failed"]
		trigger: DF.Data | None
	# end: auto-generated types
	"""Written by the SLA sweep only (INSERT IGNORE keyed on document, stage and level)."""
