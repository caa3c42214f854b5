# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.service_control.feedback_sweep import RESULT, log_result
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, make_customer

test_ignore = TEST_IGNORE


class TestFeedbackRectificationLog(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_a_result_is_logged_once(self):
		form = frappe.get_doc(
			{
				"doctype": "Feedback Handling Form",
				"company": TEST_COMPANY,
				"customer": make_customer(),
				"feedback": "<p>x</p>",
			}
		).insert()
		self.assertTrue(log_result(form.name))
		self.assertFalse(log_result(form.name))
		rows = frappe.get_all(
			"Feedback Rectification Log", filters={"feedback_form": form.name}, fields=["event", "status"]
		)
		self.assertEqual(
			[(r.event, r.status) for r in rows], [(RESULT, "Sent")]
		)  # nobody to tell: sent to none
