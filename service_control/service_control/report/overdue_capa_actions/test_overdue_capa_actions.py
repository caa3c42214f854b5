# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from service_control.service_control.report.overdue_capa_actions.overdue_capa_actions import execute
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, advance_capa_to, make_corrective_action

test_ignore = TEST_IGNORE


class TestOverdueCAPAActions(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_only_open_actions_past_due_on_live_capas(self):
		capa = make_corrective_action(days_ago=20)
		advance_capa_to(
			capa,
			"Approved",
			actions=[
				{"action": "three days late", "due_date": add_days(getdate(), -3)},
				{"action": "done late", "due_date": add_days(getdate(), -3)},
				{"action": "not yet due", "due_date": add_days(getdate(), 3)},
			],
		)
		capa.actions[1].status, capa.actions[1].completed_on = "Done", getdate()
		capa.save()
		_columns, data, _message, _chart, summary = execute({"company": TEST_COMPANY})
		mine = [r for r in data if r.corrective_action == capa.name]
		self.assertEqual([(r.action, r.days_overdue) for r in mine], [("three days late", 3)])
		self.assertEqual(summary[0]["value"], len(data))
		# as on a date before the due date: nothing overdue yet
		_columns, data, *_rest = execute({"company": TEST_COMPANY, "as_on": add_days(getdate(), -4)})
		self.assertFalse([r for r in data if r.corrective_action == capa.name])
