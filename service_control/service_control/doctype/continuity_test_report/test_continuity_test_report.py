# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.service_control.doctype.continuity_test_report.continuity_test_report import (
	make_corrective_action,
)
from service_control.tests.continuity_factories import (
	NO_ROLE,
	OWNER,
	QM,
	approve,
	make_plan,
	make_service,
	make_test_report,
	setup_users,
)
from service_control.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE

REPORT = "Continuity Test Report"


class TestContinuityTestReport(FrappeTestCase):
	def setUp(self):
		setup_users()
		self.service = make_service().name

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_a_plan_that_is_not_approved_cannot_be_tested(self):
		draft = make_plan(self.service)
		before = frappe.db.count(REPORT)
		with self.assertRaises(frappe.ValidationError) as caught:
			make_test_report(draft.name)
		self.assertIn("not approved", str(caught.exception))
		self.assertEqual(frappe.db.count(REPORT), before)

	def test_a_capa_is_raised_from_the_findings_once(self):
		plan = approve(make_plan(self.service))
		report = make_test_report(
			plan.name,
			findings=[
				{"finding": "The standby server had no current licence", "severity": "Major"},
				{"finding": "Two phone numbers in the plan were wrong"},
			],
		)
		report.submit()
		frappe.set_user(QM)
		capa = make_corrective_action(report.name)
		self.assertEqual((capa.source_type, capa.source_name), (REPORT, report.name))
		self.assertEqual(capa.capa_owner, OWNER)
		self.assertIn("standby server", capa.problem_what)
		self.assertEqual(frappe.db.get_value(REPORT, report.name, "corrective_action"), capa.name)
		report.reload()
		self.assertEqual({row.corrective_action for row in report.findings}, {capa.name})
		self.assertEqual(make_corrective_action(report.name).name, capa.name)  # a second click

	def test_no_capa_without_findings(self):
		plan = approve(make_plan(self.service))
		report = make_test_report(plan.name)
		with self.assertRaises(frappe.ValidationError):
			make_corrective_action(report.name)

	def test_a_user_without_the_role_cannot_record_a_test(self):
		plan = approve(make_plan(self.service))
		frappe.set_user(NO_ROLE)
		with self.assertRaises(frappe.PermissionError):
			make_test_report(plan.name)
		frappe.set_user(QM)
		make_test_report(plan.name).submit()  # quality records and approves tests
