# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.exceptions import SettingsValidationError
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, make_company

test_ignore = TEST_IGNORE


class TestServiceControlSettings(FrappeTestCase):
	def setUp(self):
		make_company()
		self.settings = frappe.get_doc("Service Control Settings")
		self.saved_modified = self.settings.modified

	def tearDown(self):
		frappe.db.rollback()
		frappe.clear_document_cache("Service Control Settings", "Service Control Settings")

	def assert_rejected(self, message_part: str):
		with self.assertRaises(SettingsValidationError) as ctx:
			self.settings.save()
		self.assertIn(message_part, str(ctx.exception))
		self.assertEqual(
			frappe.db.get_value("Service Control Settings", None, "modified"), self.saved_modified
		)

	def test_install_filled_the_procedures_policy(self):
		self.assertEqual(self.settings.retention_years, 3)
		targets = {(r.urgency, r.stage): r.hours for r in self.settings.sla_targets}
		self.assertEqual(targets[("Urgent", "Arrangement")], 24)
		self.assertEqual(targets[("Normal", "Resolution")], 168)
		self.assertTrue(self.settings.working_hours)

	def test_zero_hours_rejected(self):
		self.settings.sla_targets[0].hours = 0
		self.assert_rejected("greater than zero")

	def test_working_hours_ending_before_start_rejected(self):
		row = self.settings.working_hours[0]
		row.from_time, row.to_time = "17:00:00", "09:00:00"
		self.assert_rejected("must end after it starts")

	def test_overlapping_breaks_rejected(self):
		self.settings.append(
			"working_hours", {"weekday": "Monday", "from_time": "11:00:00", "to_time": "14:00:00"}
		)
		self.assert_rejected("overlap")

	def test_thresholds_out_of_order_rejected(self):
		self.settings.append(
			"company_defaults",
			{"company": TEST_COMPANY, "quality_manager_limit": 1000, "supplier_claim_limit": 5000},
		)
		self.assert_rejected("supplier-claim limit")

	def test_account_of_another_company_rejected(self):
		other = make_company("_Test SC Other Company", "_TSCO")
		account = frappe.db.get_value("Account", {"company": other, "is_group": 0, "root_type": "Expense"})
		self.settings.append(
			"company_defaults",
			{"company": TEST_COMPANY, "quality_manager_limit": 1000, "compensation_expense_account": account},
		)
		self.assert_rejected("belongs to")

	def test_group_warehouse_rejected(self):
		group = frappe.db.get_value("Warehouse", {"company": TEST_COMPANY, "is_group": 1})
		self.settings.append(
			"company_defaults",
			{"company": TEST_COMPANY, "quality_manager_limit": 1000, "pending_warehouse": group},
		)
		self.assert_rejected("is a group")

	def test_disabled_warehouse_rejected(self):
		warehouse = frappe.get_doc(
			{"doctype": "Warehouse", "warehouse_name": "_Test SC Disabled", "company": TEST_COMPANY}
		).insert(ignore_if_duplicate=True)
		frappe.db.set_value("Warehouse", warehouse.name, "disabled", 1)
		self.settings.append(
			"company_defaults",
			{"company": TEST_COMPANY, "quality_manager_limit": 1000, "scrap_warehouse": warehouse.name},
		)
		self.assert_rejected("is disabled")

	def test_valid_company_defaults_saved(self):
		account = frappe.db.get_value(
			"Account", {"company": TEST_COMPANY, "is_group": 0, "root_type": "Expense"}
		)
		self.settings.append(
			"company_defaults",
			{
				"company": TEST_COMPANY,
				"quality_manager_limit": 5000,
				"supplier_claim_limit": 2000,
				"compensation_expense_account": account,
			},
		)
		self.settings.save()
		self.assertEqual(
			frappe.get_single("Service Control Settings").company_defaults[0].company, TEST_COMPANY
		)
