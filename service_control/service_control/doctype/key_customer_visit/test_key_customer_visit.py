# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, getdate

from service_control.service_control.survey import plan_key_customer_visits, remind_key_customer_visits
from service_control.tests.utils import (
	OTHER_ABBR,
	OTHER_COMPANY,
	TEST_COMPANY,
	TEST_IGNORE,
	make_company,
	make_survey_customer,
)

test_ignore = TEST_IGNORE

KEY = "_Test SC Key Customer"
KEY_2 = "_Test SC Key Customer 2"
NOT_KEY = "_Test SC Ordinary Customer"


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

	def test_reminder_belongs_to_the_customers_company(self):
		make_company(OTHER_COMPANY, OTHER_ABBR)
		self.assertNotEqual(frappe.defaults.get_global_default("company"), OTHER_COMPANY)
		# the last visit was the other company's: so is the reminder
		last = visit(KEY, add_months(getdate(), -13))
		last.db_set("company", OTHER_COMPANY)
		# never visited, but allowed to transact with the other company only
		customer = frappe.get_doc("Customer", make_survey_customer(KEY_2, key=1))
		customer.append("companies", {"company": OTHER_COMPANY})
		customer.save()
		remind_key_customer_visits()
		for name in (KEY, KEY_2):
			planned = visits(name, "Planned")
			self.assertEqual(len(planned), 1, name)
			self.assertEqual(frappe.db.get_value("Key Customer Visit", planned[0], "company"), OTHER_COMPANY)

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

	def test_annual_visit_plan(self):
		make_survey_customer(KEY_2, key=1)
		make_survey_customer(NOT_KEY)
		disabled = make_survey_customer("_Test SC Key Customer Disabled", key=1, disabled=1)
		today = getdate()
		visit(KEY, add_months(today, -11))  # due again within the next month
		year = today.year + 1
		made = plan_key_customer_visits(year, TEST_COMPANY)
		self.assertGreaterEqual(made, 2)
		planned = {
			v.customer: v
			for v in frappe.get_all(
				"Key Customer Visit",
				filters={"status": "Planned", "visit_date": ("between", (f"{year}-01-01", f"{year}-12-31"))},
				fields=["name", "customer", "visit_date", "company"],
			)
		}
		self.assertIn(KEY, planned)
		self.assertIn(KEY_2, planned)
		self.assertNotIn(NOT_KEY, planned)
		self.assertNotIn(disabled, planned)
		self.assertEqual(planned[KEY_2].visit_date, getdate(f"{year}-01-01"))
		self.assertEqual(planned[KEY].company, TEST_COMPANY)
		# each planned visit carries its reminder; the overdue reminder adds nothing on top
		todo = frappe.get_all(
			"ToDo",
			filters={"reference_type": "Key Customer Visit", "reference_name": planned[KEY_2].name},
			fields=["status", "date", "description"],
		)
		self.assertEqual(len(todo), 1)
		self.assertEqual((todo[0].status, todo[0].date), ("Open", planned[KEY_2].visit_date))
		self.assertIn("annual visit plan", todo[0].description)
		remind_key_customer_visits()
		self.assertEqual(len(visits(KEY_2, "Planned")), 1)
		# running it again plans nothing twice
		self.assertEqual(plan_key_customer_visits(year, TEST_COMPANY), 0)
		# a past year is refused, nothing saved
		count = frappe.db.count("Key Customer Visit")
		with self.assertRaises(frappe.ValidationError):
			plan_key_customer_visits(today.year - 1, TEST_COMPANY)
		self.assertEqual(frappe.db.count("Key Customer Visit"), count)

	def test_annual_visit_plan_needs_create_permission(self):
		from service_control.tests.utils import make_user

		user = make_user("sc.visit.reader@example.com", ["General Manager"])
		frappe.set_user(user)
		try:
			with self.assertRaises(frappe.PermissionError):
				plan_key_customer_visits(getdate().year, TEST_COMPANY)
		finally:
			frappe.set_user("Administrator")
