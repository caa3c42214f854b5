# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.service_control.report.complaint_register.complaint_register import execute
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, make_complaint, make_customer

test_ignore = TEST_IGNORE


class TestComplaintRegister(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_rows_follow_filters(self):
		make_customer("_Test SC Register Customer")
		mine = make_complaint(customer="_Test SC Register Customer", category="Delivery")
		other = make_complaint(category="Packaging")
		_columns, data, _message, _chart, summary = execute(
			{"company": TEST_COMPANY, "customer": "_Test SC Register Customer"}
		)
		names = [row.name for row in data]
		self.assertIn(mine.name, names)
		self.assertNotIn(other.name, names)
		self.assertEqual(summary[0]["value"], len(data))
		_columns, data, *_rest = execute({"company": TEST_COMPANY, "category": "All Complaint Categories"})
		names = [row.name for row in data]
		self.assertIn(mine.name, names)
		self.assertIn(other.name, names)
		_columns, data, *_rest = execute({"company": TEST_COMPANY, "category": "Delivery"})
		self.assertNotIn(other.name, [row.name for row in data])
