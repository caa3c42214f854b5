# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ServiceWorkSummaryIndicator(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		achieved: DF.Float
		indicator: DF.Data | None
		indicator_window: DF.Data | None
		item_group: DF.Link | None
		months: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		quality_goal: DF.Link | None
		status: DF.Data | None
		target: DF.Float
		units: DF.Float
	# end: auto-generated types

	pass
