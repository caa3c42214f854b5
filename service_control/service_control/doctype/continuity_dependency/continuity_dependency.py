# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ContinuityDependency(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		asset: DF.Link | None
		dependency_type: DF.Literal["People", "Site", "Supplier", "System", "Asset"]
		description: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		person: DF.Link | None
		supplier: DF.Link | None
	# end: auto-generated types
	pass
