# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.service_control.report.compensation_register.compensation_register import execute
from service_control.tests.compensation_fixtures import returned_complaint, settle
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE

test_ignore = TEST_IGNORE


class TestCompensationRegister(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("sc_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="sc_test")

	def test_totals_reconciled_with_the_gl(self):
		complaint, _ret = returned_complaint("_Test SC Register Item")
		comp = settle(complaint, goods_amount=250, freight_amount=50)
		_columns, data, message, _chart, summary = execute(
			{"company": TEST_COMPANY, "customer_complaint": complaint.name}
		)
		self.assertEqual(len(data), 1)
		row = data[0]
		self.assertEqual(
			(row.name, row.total_amount, row.gl_amount, row.difference), (comp.name, 300, 300, 0)
		)
		self.assertEqual((row.voucher_type, row.voucher_no), ("Journal Entry", comp.journal_entry))
		self.assertIsNone(message)
		self.assertEqual(summary[-1]["value"], 0)

		# a difference between the approved total and the ledger is flagged
		frappe.db.set_value("Compensation", comp.name, "total_amount", 320)
		_columns, data, message, _chart, summary = execute(
			{"company": TEST_COMPANY, "customer_complaint": complaint.name}
		)
		self.assertEqual(data[0].difference, 20)
		self.assertIn("1", message)
		self.assertEqual(summary[-1]["value"], 20)

		# a cancelled compensation leaves the register
		frappe.db.set_value("Compensation", comp.name, "total_amount", 300)
		frappe.get_doc("Compensation", comp.name).cancel()
		_columns, data, *_rest = execute({"company": TEST_COMPANY, "customer_complaint": complaint.name})
		self.assertEqual(data, [])
