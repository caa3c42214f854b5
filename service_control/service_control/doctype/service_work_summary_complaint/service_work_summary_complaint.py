# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ServiceWorkSummaryComplaint(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		cause: DF.Data | None
		complaints: DF.Int
		cumulative_share: DF.Percent
		dimension: DF.Literal["Category", "Item", "Responsibility"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		share: DF.Percent
		vital_few: DF.Check
	# end: auto-generated types

	pass
