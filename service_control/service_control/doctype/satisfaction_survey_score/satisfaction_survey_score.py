# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SatisfactionSurveyScore(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		criterion: DF.Data
		label_zh: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		score: DF.Literal["", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]
		score_percent: DF.Percent
		weight: DF.Float
	# end: auto-generated types

	pass
