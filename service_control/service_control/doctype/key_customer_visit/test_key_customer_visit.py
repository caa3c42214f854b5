# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, getdate

from service_control.service_control.survey import remind_key_customer_visits
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, make_survey_customer

test_ignore = TEST_IGNORE

KEY = "_Test SC Key Customer"


def visits(customer: str, status: str | None = None) -> list[str]:
	filters = {"customer": customer}
	if status:
		filters["status"] = status
	return frappe.get_all("Key Customer Visit", filters=filters, pluck="name")


def visit(customer: str, day, status: str = "Completed"):
	return frappe.get_doc(
		{
			"doctype": "Key Customer Visit",
			"customer": customer,
			"company": TEST_COMPANY,
			"status": status,
			"visit_date": day,
			"attendees": "Sales manager",
			"findings": "Packaging damaged in transit twice this year",
			"follow_up_actions": "Review crate design",
		}
	).insert()


class TestKeyCustomerVisit(FrappeTestCase):
	def setUp(self):
		make_survey_customer(KEY, key=1)

	def tearDown(self):
		frappe.db.rollback()

	def test_reminder_once_when_no_visit_for_twelve_months(self):
		visit(KEY, add_months(getdate(), -13))
		remind_key_customer_visits()
		planned = visits(KEY, "Planned")
		self.assertEqual(len(planned), 1)
		todos = frappe.get_all(
			"ToDo",
			filters={"reference_type": "Key Customer Visit", "reference_name": planned[0]},
			fields=["status", "description"],
		)
		self.assertEqual(len(todos), 1)
		self.assertIn("no visit for 12 months", todos[0].description)
		# second run: the planned visit is the reminder, nothing new
		remind_key_customer_visits()
		self.assertEqual(len(visits(KEY, "Planned")), 1)
		# completing the visit closes the reminder
		doc = frappe.get_doc("Key Customer Visit", planned[0])
		doc.status, doc.visit_date, doc.findings = "Completed", getdate(), "Fine"
		doc.save()
		self.assertEqual(frappe.db.get_value("ToDo", {"reference_name": doc.name}, "status"), "Closed")
		remind_key_customer_visits()
		self.assertEqual(visits(KEY, "Planned"), [])

	def test_recent_visit_no_reminder(self):
		visit(KEY, add_months(getdate(), -3))
		remind_key_customer_visits()
		self.assertEqual(visits(KEY, "Planned"), [])

	def test_completed_visit_needs_findings_and_past_date(self):
		with self.assertRaises(frappe.ValidationError):
			visit(KEY, add_days(getdate(), 2))
		doc = frappe.get_doc(
			{
				"doctype": "Key Customer Visit",
				"customer": KEY,
				"company": TEST_COMPANY,
				"status": "Completed",
				"visit_date": getdate(),
			}
		)
		with self.assertRaises(frappe.ValidationError):
			doc.insert()
