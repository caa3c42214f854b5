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

	def test_too_many_rows_refused_with_a_translated_message(self):
		from datetime import timedelta
		from unittest.mock import patch

		from frappe.translate import clear_cache
		from frappe.utils import now_datetime

		from service_control.service_control import report_filters

		make_customer("_Test SC Register Customer")
		now = now_datetime()
		mine = make_complaint(customer="_Test SC Register Customer", received_on=now - timedelta(hours=1))
		make_complaint(received_on=now - timedelta(hours=2))
		today = now.date()
		with patch.object(report_filters, "MAX_REGISTER_ROWS", 1):
			with self.assertRaises(frappe.ValidationError) as refused:
				execute({"company": TEST_COMPANY, "from_date": today - timedelta(days=1), "to_date": today})
			self.assertIn("Narrow the period", str(refused.exception))
			frappe.clear_messages()
			# narrower filters are listed
			_columns, data, *_rest = execute(
				{
					"company": TEST_COMPANY,
					"customer": "_Test SC Register Customer",
					"from_date": today - timedelta(days=1),
				}
			)
			self.assertEqual([row.name for row in data], [mine.name])

			clear_cache()
			frappe.local.lang = "zh"
			try:
				with self.assertRaises(frappe.ValidationError) as refused:
					execute({"company": TEST_COMPANY, "from_date": today - timedelta(days=1)})
			finally:
				frappe.local.lang = "en"
				frappe.clear_messages()
			self.assertIn("缩小", str(refused.exception))

	def test_default_period_lists_the_last_month(self):
		"""The filters the desk sends by default (complaint_register.js): the last month."""
		from datetime import timedelta

		from frappe.utils import add_months, getdate, now_datetime

		now = now_datetime()
		recent = make_complaint(received_on=now - timedelta(days=3))
		old = make_complaint(received_on=now - timedelta(days=45))
		today = getdate(now)
		_columns, data, *_rest = execute(
			{"company": TEST_COMPANY, "from_date": add_months(today, -1), "to_date": today}
		)
		names = [row.name for row in data]
		self.assertIn(recent.name, names)
		self.assertNotIn(old.name, names)
		# newest first
		received = [row.received_on for row in data]
		self.assertEqual(received, sorted(received, reverse=True))
