# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from service_control.service_control.report.continuity_register.continuity_register import execute
from service_control.tests.continuity_factories import approve, make_plan, make_service, setup_users
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE

test_ignore = TEST_IGNORE


class TestContinuityRegister(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_services_with_their_plan_and_overdue_test(self):
		setup_users()
		covered, bare = make_service("_Test SC Reg A"), make_service("_Test SC Reg B")
		plan = approve(make_plan(covered.name))
		frappe.db.set_value("Continuity Plan", plan.name, "next_test_due", add_days(getdate(), -1))
		_columns, data, _m, _c, summary = execute({"company": TEST_COMPANY})
		rows = {r.service: r for r in data}
		self.assertEqual(rows[covered.name].plan, plan.name)
		self.assertIn("Test overdue", rows[covered.name].state)
		self.assertEqual(rows[bare.name].state, "No approved plan")
		self.assertGreaterEqual(summary[1]["value"], 1)
