# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ContinuityImpact(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contractual: DF.Int
		financial: DF.Int
		hours_after_outage: DF.Float
		legal: DF.Int
		notes: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		reputation: DF.Int
	# end: auto-generated types
	pass
