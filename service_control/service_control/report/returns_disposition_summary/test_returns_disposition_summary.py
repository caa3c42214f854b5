# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from service_control.service_control.report.returns_disposition_summary.returns_disposition_summary import (
	execute,
)
from service_control.tests.compensation_fixtures import dispose, returned_complaint
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE

test_ignore = TEST_IGNORE

ITEM = "_Test SC Summary Item"


class TestReturnsDispositionSummary(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("sc_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="sc_test")

	def test_quantities_and_values_by_item_and_month(self):
		_complaint, ret = returned_complaint(ITEM, qty=5)
		dispose(ret, scrap=2, rework=1, restock=2)
		_columns, data, _message, chart = execute({"company": TEST_COMPANY, "item_code": ITEM})
		self.assertEqual(len(data), 1)
		row = data[0]
		self.assertEqual(row.month, getdate().strftime("%Y-%m"))
		self.assertEqual((row.returned_qty, row.scrap_qty, row.rework_qty, row.restock_qty), (5, 2, 1, 2))
		# valued by ERPNext at the delivery's valuation rate (100)
		self.assertEqual((row.scrap_value, row.rework_value, row.restock_value), (200, 100, 200))
		self.assertEqual(chart["data"]["datasets"][0]["values"], [2])
