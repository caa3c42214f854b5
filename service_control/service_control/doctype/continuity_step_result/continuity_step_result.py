# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ContinuityStepResult(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		actual_hours: DF.Float
		completed_on: DF.Datetime | None
		met: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		remarks: DF.SmallText | None
		step: DF.SmallText
		step_owner: DF.Link | None
		target_hours: DF.Float
	# end: auto-generated types
	pass
