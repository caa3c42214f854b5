# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from datetime import timedelta
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from service_control.service_control import report_filters
from service_control.service_control.doctype.customer_contact_log.test_customer_contact_log import (
	CUSTOMER,
	make_entry,
)
from service_control.service_control.report.customer_contact_register.customer_contact_register import (
	execute,
)
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, make_customer

test_ignore = TEST_IGNORE


class TestCustomerContactRegister(FrappeTestCase):
	def setUp(self):
		make_customer(CUSTOMER)

	def tearDown(self):
		frappe.db.rollback()

	def test_the_period_lists_its_contacts_in_the_order_they_came(self):
		now = now_datetime()
		first = make_entry(received_on=now - timedelta(hours=5), contact_type="Visit")
		second = make_entry(received_on=now - timedelta(hours=1), customer=None, caller_name="Walk-in")
		old = make_entry(received_on=now - timedelta(days=40))
		_columns, data, _msg, _chart, summary = execute(
			{"company": TEST_COMPANY, "from_date": (now - timedelta(days=1)).date(), "to_date": now.date()}
		)
		names = [row.name for row in data]
		self.assertLess(names.index(first.name), names.index(second.name))
		self.assertNotIn(old.name, names)
		self.assertEqual(next(r for r in data if r.name == second.name).caller, "Walk-in")
		self.assertEqual(summary[0]["value"], len(data))
		visits = execute(
			{"company": TEST_COMPANY, "contact_type": "Visit", "from_date": (now - timedelta(days=1)).date()}
		)[1]
		self.assertEqual({r.contact_type for r in visits}, {"Visit"})

	def test_too_many_rows_are_refused(self):
		make_entry()
		make_entry()
		with patch.object(report_filters, "MAX_REGISTER_ROWS", 1):
			with self.assertRaisesRegex(frappe.ValidationError, "Narrow the period"):
				execute({"company": TEST_COMPANY})
