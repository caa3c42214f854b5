# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import getdate, now_datetime

from service_control.core import survey as rules
from service_control.service_control import survey
from service_control.service_control.report.satisfaction_analysis.satisfaction_analysis import execute
from service_control.tests.utils import (
	SURVEY_GROUP,
	TEST_COMPANY,
	TEST_IGNORE,
	make_complaint,
	make_outgoing_email_account,
	make_survey_customer,
	make_survey_plan,
	make_survey_template,
)

test_ignore = TEST_IGNORE

A, B, C = "_Test SC Survey Customer A", "_Test SC Survey Customer B", "_Test SC Survey Customer No Mail"
TARGET = {"satisfaction_target_percent": 70}


class TestSatisfactionAnalysis(FrappeTestCase):
	"""Known data: three requests in the running half-year, two answered.

	A: quality 5, delivery 4, service 3 -> 100/75/50 -> weighted 77.5, would recommend 10 (promoter)
	B: quality 3, delivery 3, service 2 -> 50/50/25 -> weighted 42.5, would recommend 5 (detractor)
	C: not answered. A closed complaint of A confirmed Satisfied counts 100 as a case rating.
	"""

	def setUp(self):
		frappe.set_user("Administrator")
		make_outgoing_email_account()
		make_survey_template()
		make_survey_customer(A, email="survey.a@example.com")
		make_survey_customer(B, email="survey.b@example.com")
		make_survey_customer(C)
		self.plan = make_survey_plan([A, B, C])
		survey.dispatch()
		names = dict(
			frappe.get_all(
				"Satisfaction Survey Response",
				filters={"plan": self.plan.name},
				fields=["customer", "name"],
				as_list=True,
			)
		)
		self.responses = names
		self.answer(names[A], {"Product Quality": 5, "Delivery": 4, "Service": 3}, 10)
		self.answer(names[B], {"Product Quality": 3, "Delivery": 3, "Service": 2}, 5)
		self.period = rules.period_of(getdate()).key
		year = getdate().year
		self.filters = {
			"company": TEST_COMPANY,
			"from_date": f"{year}-01-01",
			"to_date": f"{year}-12-31",
			"customer_group": SURVEY_GROUP,
		}

	def tearDown(self):
		frappe.db.rollback()

	def answer(self, name, scores, nps):
		doc = frappe.get_doc("Satisfaction Survey Response", name)
		doc.source = "Phone"  # staff record it; Online is the customer's own answer
		survey.answer(doc, scores, nps, online=False)

	def run_report(self, **filters):
		columns, data, _message, chart, summary = execute({**self.filters, **filters})
		return columns, data, chart, {s["label"]: s["value"] for s in summary}

	@change_settings("Service Control Settings", TARGET)
	def test_index_by_period_with_response_rate_and_nps(self):
		_columns, data, chart, summary = self.run_report(plan=self.plan.name)
		self.assertEqual(len(data), 1)
		row = data[0]
		self.assertEqual(row["group"], self.period)
		self.assertEqual((row["requests"], row["answered"], row["responses"]), (3, 2, 2))
		self.assertEqual(row["response_rate"], 66.7)
		self.assertEqual(row["index"], 60)
		self.assertEqual((row["promoters"], row["detractors"], row["nps"]), (1, 1, 0))
		self.assertEqual(row["below_target"], 1)
		self.assertEqual(summary["Satisfaction Index"], 60)
		self.assertEqual(summary["Response Rate"], 66.7)
		self.assertEqual(chart["data"]["labels"], [self.period])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [60])
		self.assertEqual(chart["data"]["datasets"][1]["values"], [70])

	def test_case_ratings_feed_the_index(self):
		complaint = make_complaint(customer=A)
		frappe.db.set_value(
			"Customer Complaint",
			complaint.name,
			{"status": "Closed", "satisfaction": "Satisfied", "closed_on": now_datetime()},
		)
		unreachable = make_complaint(customer=B)
		frappe.db.set_value(
			"Customer Complaint",
			unreachable.name,
			{"status": "Closed", "satisfaction": "Unreachable", "closed_on": now_datetime()},
		)
		_columns, data, _chart, _summary = self.run_report()
		row = data[0]
		self.assertEqual((row["responses"], row["cases"], row["requests"]), (3, 1, 3))
		self.assertEqual(row["index"], round((77.5 + 42.5 + 100) / 3, 2))
		# a plan filter, or switching case ratings off, leaves them out
		self.assertEqual(self.run_report(include_cases=0)[1][0]["index"], 60)
		self.assertEqual(self.run_report(plan=self.plan.name)[1][0]["index"], 60)

	def test_repair_feedback_ratings_feed_the_index(self):
		"""A completed repair's star ratings (quality 5, attitude 3 stars -> 80) count as a case rating."""
		from service_control.tests.repair_factories import (
			TECH,
			delivered_unit,
			make_feedback,
			make_repair_masters,
			make_repair_request,
		)

		# assigning the technician notifies by e-mail, sent at once in tests; with the outgoing account
		# of setUp, Email Queue.send() would commit the test's transaction
		muted, frappe.flags.mute_emails = frappe.flags.mute_emails, True
		try:
			make_repair_masters()
			serial, dn, _si = delivered_unit(days_ago=3, customer=A)
			request = make_repair_request(serial, customer=A, technician=TECH, delivery_note=dn.name)
			make_feedback(request, submit=True, quality_rating=1, attitude_rating=0.6, verifier_name="Mr Li")
		finally:
			frappe.flags.mute_emails = muted
		row = self.run_report()[1][0]
		self.assertEqual((row["responses"], row["cases"], row["requests"]), (3, 1, 3))
		self.assertEqual(row["index"], round((77.5 + 42.5 + 80) / 3, 2))
		self.assertEqual(self.run_report(include_cases=0)[1][0]["index"], 60)

	def test_index_by_customer_group_and_quarter(self):
		data = self.run_report(group_by="Customer Group")[1]
		self.assertEqual([(r["group"], r["index"], r["requests"]) for r in data], [(SURVEY_GROUP, 60, 3)])
		quarter = rules.period_of(rules.parse_period(self.period).start, "Quarterly").key
		data = self.run_report(frequency="Quarterly")[1]
		self.assertEqual([r["group"] for r in data], [quarter])

	@change_settings("Service Control Settings", TARGET)
	def test_criteria_below_target_open_a_capa(self):
		columns, data, _chart, _summary = self.run_report(group_by="Criterion")
		self.assertIn("action", [c["fieldname"] for c in columns])
		rows = {r["group"]: r for r in data}
		self.assertEqual(
			{k: (r["index"], r["below_target"]) for k, r in rows.items()},
			{"Delivery": (62.5, 1), "Product Quality": (75, 0), "Service": (37.5, 1)},
		)
		if not frappe.db.exists("DocType", "Corrective Action"):
			self.skipTest("Corrective Action is not installed on this site")
		filters = {**self.filters, "plan": self.plan.name}
		name = survey.create_capa("Service", frappe.as_json(filters))
		capa = frappe.get_doc("Corrective Action", name)
		self.assertEqual(
			(capa.source_type, capa.source_name), ("Satisfaction Survey Response", self.responses[B])
		)
		self.assertEqual(capa.company, TEST_COMPANY)
		self.assertIn("Service", capa.problem_what)
		self.assertIn("37.5", capa.problem_what)
		# a second click reuses the open CAPA; a criterion on target opens none
		self.assertEqual(survey.create_capa("Service", frappe.as_json(filters)), name)
		with self.assertRaises(frappe.ValidationError):
			survey.create_capa("Product Quality", frappe.as_json(filters))

	def test_bad_filters_refused(self):
		with self.assertRaises(frappe.ValidationError):
			self.run_report(group_by="Customer")
		with self.assertRaises(frappe.ValidationError):
			self.run_report(from_date="2026-12-31", to_date="2026-01-01")
