# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CorrectiveActionEffectiveness(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		criteria: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		planned_date: DF.Date | None
		reason: DF.SmallText | None
		result: DF.Literal["", "Effective", "Not Effective"]
		round: DF.Int
		verified_by: DF.Link | None
		verified_on: DF.Date | None
	# end: auto-generated types
	pass
