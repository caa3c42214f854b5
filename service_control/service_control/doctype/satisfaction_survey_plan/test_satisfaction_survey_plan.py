# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.tests.utils import (
	TEST_IGNORE,
	make_survey_customer,
	make_survey_plan,
	make_survey_template,
)

test_ignore = TEST_IGNORE


class TestSatisfactionSurveyPlan(FrappeTestCase):
	def setUp(self):
		make_survey_template()
		make_survey_customer("_Test SC Survey Customer A", email="survey.a@example.com")

	def tearDown(self):
		frappe.db.rollback()

	def test_periods_follow_frequency(self):
		plan = make_survey_plan(["_Test SC Survey Customer A"], plan_year=2026)
		self.assertEqual(plan.periods, "2026-H1, 2026-H2")
		plan.frequency = "Quarterly"
		plan.save()
		self.assertEqual(plan.periods, "2026-Q1, 2026-Q2, 2026-Q3, 2026-Q4")

	def test_disabled_or_duplicate_customer_refused(self):
		disabled = make_survey_customer("_Test SC Survey Disabled", disabled=1)
		with self.assertRaises(frappe.ValidationError) as ctx:
			make_survey_plan(["_Test SC Survey Customer A", disabled])
		self.assertIn("disabled", str(ctx.exception))
		with self.assertRaises(frappe.ValidationError) as ctx:
			make_survey_plan(["_Test SC Survey Customer A", "_Test SC Survey Customer A"])
		self.assertIn("listed twice", str(ctx.exception))

	def test_customer_group_selection_needs_a_group(self):
		plan = make_survey_plan(["_Test SC Survey Customer A"])
		plan.selection, plan.customer_group = "Customer Group", None
		with self.assertRaises(frappe.ValidationError) as ctx:
			plan.save()
		self.assertIn("customer group", str(ctx.exception))
		plan.reload()
		plan.selection, plan.customer_group = "Customer Group", "_Test SC Survey Group"
		plan.save()
		self.assertEqual(plan.customers, [])  # the explicit list no longer applies
