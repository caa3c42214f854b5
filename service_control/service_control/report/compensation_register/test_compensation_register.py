# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.service_control.report.compensation_register.compensation_register import execute
from service_control.setup.accounting_dimension import get_dimension_field
from service_control.tests.compensation_fixtures import returned_complaint, settle
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, set_service_company_defaults

test_ignore = TEST_IGNORE


def summary_value(summary: list[dict], label: str):
	return next(s["value"] for s in summary if s["label"] == label)


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
		self.assertEqual(summary_value(summary, "Difference"), 0)
		self.assertEqual(row.unmatched_gl, 0)

		# a difference between the approved total (in the company currency) and the ledger is flagged
		frappe.db.set_value("Compensation", comp.name, {"total_amount": 320, "base_total_amount": 320})
		_columns, data, message, _chart, summary = execute(
			{"company": TEST_COMPANY, "customer_complaint": complaint.name}
		)
		self.assertEqual(data[0].difference, 20)
		self.assertIn("1", message)
		self.assertEqual(summary_value(summary, "Difference"), 20)

		# a cancelled compensation leaves the register
		frappe.db.set_value("Compensation", comp.name, {"total_amount": 300, "base_total_amount": 300})
		frappe.get_doc("Compensation", comp.name).cancel()
		_columns, data, *_rest = execute({"company": TEST_COMPANY, "customer_complaint": complaint.name})
		self.assertEqual(data, [])

	def test_manual_posting_against_the_complaint_is_flagged(self):
		"""A journal entry on the compensation expense account carrying the complaint's dimension that
		no compensation made shows as unmatched GL, row and total flagged."""
		complaint, _ret = returned_complaint("_Test SC Register Item")
		settle(complaint, goods_amount=300)
		defaults = set_service_company_defaults()
		field = get_dimension_field()
		je = frappe.get_doc(
			{
				"doctype": "Journal Entry",
				"company": TEST_COMPANY,
				"posting_date": frappe.utils.today(),
				"accounts": [
					{
						"account": defaults["compensation_expense_account"],
						"debit_in_account_currency": 45,
						"cost_center": frappe.db.get_value("Company", TEST_COMPANY, "cost_center"),
						field: complaint.name,
					},
					{
						"account": frappe.db.get_value("Company", TEST_COMPANY, "default_cash_account"),
						"credit_in_account_currency": 45,
					},
				],
			}
		)
		je.insert()
		je.submit()
		_columns, data, message, _chart, summary = execute(
			{"company": TEST_COMPANY, "customer_complaint": complaint.name}
		)
		self.assertEqual((data[0].difference, data[0].unmatched_gl), (0, 45))
		self.assertIn("no compensation posted", message)
		self.assertEqual(summary_value(summary, "Unmatched GL"), 45)
		je.cancel()
		_columns, data, message, _chart, summary = execute(
			{"company": TEST_COMPANY, "customer_complaint": complaint.name}
		)
		self.assertEqual(data[0].unmatched_gl, 0)
		self.assertIsNone(message)
