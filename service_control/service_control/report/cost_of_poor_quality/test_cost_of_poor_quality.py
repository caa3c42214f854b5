# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.service_control.report.cost_of_poor_quality.cost_of_poor_quality import execute
from service_control.setup.accounting_dimension import get_dimension_field
from service_control.tests.compensation_fixtures import dispose, returned_complaint, settle
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, make_customer, set_service_company_defaults

test_ignore = TEST_IGNORE

CUSTOMER = "_Test SC CoPQ Customer"


class TestCostOfPoorQuality(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("sc_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="sc_test")

	def test_cost_read_from_the_gl_dimension(self):
		make_customer(CUSTOMER)
		complaint, ret = returned_complaint(
			"_Test SC CoPQ Item", qty=3, customer=CUSTOMER, category="Delivery"
		)
		dispose(ret, scrap=1, rework=0, restock=2)  # scrap loss 100
		settle(complaint, goods_amount=400)  # compensation expense 400
		defaults = set_service_company_defaults()
		_columns, data, _message, _chart, summary = execute({"company": TEST_COMPANY, "customer": CUSTOMER})
		by_account = {row.account: row.amount for row in data}
		self.assertEqual(
			by_account,
			{defaults["scrap_loss_account"]: 100, defaults["compensation_expense_account"]: 400},
		)
		self.assertTrue(all(r.category == "Delivery" and r.item_code == "_Test SC CoPQ Item" for r in data))
		self.assertEqual(summary[0]["value"], 500)

		# the report reads the ledger, not the compensations: a manual journal carrying the complaint
		# counts, one without the dimension does not
		field = get_dimension_field()
		cash = frappe.db.get_value("Company", TEST_COMPANY, "default_cash_account")
		for amount, dimension in ((30, {field: complaint.name}), (70, {})):
			je = frappe.get_doc(
				{
					"doctype": "Journal Entry",
					"company": TEST_COMPANY,
					"posting_date": frappe.utils.today(),
					"accounts": [
						{
							"account": defaults["compensation_expense_account"],
							"debit_in_account_currency": amount,
							"cost_center": frappe.db.get_value("Company", TEST_COMPANY, "cost_center"),
							**dimension,
						},
						{"account": cash, "credit_in_account_currency": amount},
					],
				}
			)
			je.insert()
			je.submit()
		_columns, data, _message, _chart, summary = execute({"company": TEST_COMPANY, "customer": CUSTOMER})
		self.assertEqual(
			{row.account: row.amount for row in data}[defaults["compensation_expense_account"]], 430
		)
		self.assertEqual(summary[0]["value"], 530)
		_columns, data, *_rest = execute(
			{"company": TEST_COMPANY, "customer": CUSTOMER, "category": "Packaging"}
		)
		self.assertEqual(data, [])
