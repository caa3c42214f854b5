# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from service_control.service_control.report.capa_register.capa_register import execute
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, advance_capa_to, make_corrective_action

test_ignore = TEST_IGNORE


class TestCAPARegister(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_rows_counts_and_filters(self):
		late = make_corrective_action(days_ago=20, cause_category="Machine")
		advance_capa_to(
			late,
			"Approved",
			actions=[
				{"action": "late", "due_date": add_days(getdate(), -2)},
				{"action": "later", "due_date": add_days(getdate(), 2)},
			],
		)
		draft = make_corrective_action(days_ago=5)
		_columns, data, _message, chart, summary = execute({"company": TEST_COMPANY})
		rows = {r.name: r for r in data}
		self.assertEqual(
			(rows[late.name].actions, rows[late.name].open_actions, rows[late.name].overdue_actions),
			(2, 2, 1),
		)
		self.assertEqual(rows[late.name].risk_band, "Medium")
		self.assertEqual(rows[draft.name].actions, 0)
		self.assertGreaterEqual(summary[3]["value"], 1)
		self.assertIn("Approved", chart["data"]["labels"])
		_columns, data, *_rest = execute({"company": TEST_COMPANY, "status": "Draft"})
		names = [r.name for r in data]
		self.assertIn(draft.name, names)
		self.assertNotIn(late.name, names)
