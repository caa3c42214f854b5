# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.setup.defaults import CATEGORIES, ROOT_CATEGORY
from service_control.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE


class TestComplaintCategory(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_defaults_installed_under_one_root(self):
		for name in CATEGORIES:
			self.assertEqual(
				frappe.db.get_value("Complaint Category", name, "parent_complaint_category"), ROOT_CATEGORY
			)

	def test_child_category_nests(self):
		child = frappe.get_doc(
			{
				"doctype": "Complaint Category",
				"category_name": "_Test Scratches",
				"parent_complaint_category": "Product Quality",
			}
		).insert()
		parent = frappe.db.get_value("Complaint Category", "Product Quality", ["lft", "rgt"], as_dict=True)
		self.assertTrue(parent.lft < child.lft and child.rgt < parent.rgt)
