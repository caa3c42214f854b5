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

	def test_item_status_and_date_filters(self):
		from datetime import timedelta

		from frappe.utils import now_datetime

		from service_control.tests.utils import make_item

		make_item()
		make_item("_Test SC Item 2")
		now = now_datetime()
		old = make_complaint(item_code="_Test SC Item", received_on=now - timedelta(days=40))
		new = make_complaint(item_code="_Test SC Item 2", received_on=now - timedelta(hours=1))
		cancelled = make_complaint(item_code="_Test SC Item 2", received_on=now - timedelta(hours=2))
		cancelled.status, cancelled.cancel_reason = "Cancelled", "Registered twice"
		cancelled.save()

		def names(**filters):
			return {row.name for row in execute({"company": TEST_COMPANY, **filters})[1]}

		by_item = names(item_code="_Test SC Item 2")
		self.assertEqual({new.name, cancelled.name} & by_item, {new.name, cancelled.name})
		self.assertNotIn(old.name, by_item)
		by_status = names(status="Cancelled")
		self.assertIn(cancelled.name, by_status)
		self.assertNotIn(new.name, by_status)
		recent = names(from_date=(now - timedelta(days=7)).date(), to_date=now.date())
		self.assertIn(new.name, recent)
		self.assertNotIn(old.name, recent)
		older = names(to_date=(now - timedelta(days=30)).date())
		self.assertIn(old.name, older)
		self.assertNotIn(new.name, older)
