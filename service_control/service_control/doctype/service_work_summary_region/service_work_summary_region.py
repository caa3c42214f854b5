# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ServiceWorkSummaryRegion(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		complaints: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		previous_complaints: DF.Int
		previous_responses: DF.Int
		previous_satisfaction: DF.Percent
		repeat_complaints: DF.Int
		review_status: DF.Data | None
		satisfaction_index: DF.Percent
		satisfaction_responses: DF.Int
		summary: DF.Link | None
		territory: DF.Link | None
	# end: auto-generated types

	pass
