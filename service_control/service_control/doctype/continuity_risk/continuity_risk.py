# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ContinuityRisk(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		band: DF.Data | None
		description: DF.SmallText | None
		existing_controls: DF.SmallText | None
		impact: DF.Int
		likelihood: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		score: DF.Int
		threat: DF.Literal[
			"Fire",
			"Power Loss",
			"Hardware Failure",
			"Natural Disaster",
			"Theft",
			"Sabotage",
			"Staff Crisis",
			"Other",
		]
		treatment: DF.SmallText | None
		treatment_due: DF.Date | None
		treatment_owner: DF.Link | None
	# end: auto-generated types
	pass
