# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ServiceWorkSummarySatisfaction(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		nps: DF.Float
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		period: DF.Data | None
		responses: DF.Int
		satisfaction_index: DF.Percent
	# end: auto-generated types

	pass
