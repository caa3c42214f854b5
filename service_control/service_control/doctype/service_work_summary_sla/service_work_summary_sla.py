# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ServiceWorkSummarySLA(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		breached: DF.Int
		met: DF.Int
		met_late: DF.Int
		on_time_rate: DF.Percent
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		stage: DF.Data | None
		still_open: DF.Int
	# end: auto-generated types

	pass
