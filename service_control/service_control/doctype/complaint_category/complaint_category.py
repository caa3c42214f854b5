# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.utils.nestedset import NestedSet


class ComplaintCategory(NestedSet):
	nsm_parent_field = "parent_complaint_category"

	def on_update(self):
		super().on_update()
		self.validate_one_root()
