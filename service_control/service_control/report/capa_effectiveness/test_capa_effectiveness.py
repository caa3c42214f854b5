# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from service_control.service_control.report.capa_effectiveness.capa_effectiveness import execute
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, advance_capa_to, make_corrective_action

test_ignore = TEST_IGNORE


def close_with(capa, *results):
	"""Verify the check of each round with the given results; Effective closes the CAPA."""
	for result in results:
		advance_capa_to(capa, "Implemented")
		check = capa.effectiveness_checks[-1]
		check.planned_date = getdate()
		capa.status = "Effectiveness Check"
		capa.save()
		capa.effectiveness_checks[-1].result = result
		if result == "Effective":
			capa.status = "Closed"
		capa.save()
	return capa


class TestCAPAEffectiveness(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_rate_and_cycle_time_by_cause_category(self):
		frappe.db.delete("Corrective Action", {"cause_category": "Environment"})
		first = close_with(make_corrective_action(days_ago=40, cause_category="Environment"), "Effective")
		second = make_corrective_action(days_ago=20, cause_category="Environment")
		advance_capa_to(second, "Actions Planned")
		close_with(second, "Not Effective")
		second.append(
			"actions",
			{"round": 2, "action": "again", "action_owner": "Administrator", "due_date": getdate()},
		)
		second.save()
		advance_capa_to(second, "Approved")
		close_with(second, "Effective")
		_columns, data, _message, chart, summary = execute(
			{"company": TEST_COMPANY, "group_by": "Cause Category", "cause_category": "Environment"}
		)
		(row,) = data
		self.assertEqual((row["group"], row["capas"], row["closed"]), ("Environment", 2, 2))
		self.assertEqual((row["checks"], row["effective"]), (3, 2))
		self.assertAlmostEqual(row["effectiveness_rate"], 66.7)
		self.assertEqual(row["first_time_rate"], 50.0)
		self.assertEqual(row["avg_cycle_days"], 30.0)
		self.assertEqual(first.closed_on, getdate())
		self.assertEqual(chart["data"]["labels"], ["Environment"])
		self.assertEqual(summary[1]["value"], 3)
		_columns, by_month, *_rest = execute(
			{"company": TEST_COMPANY, "group_by": "Month", "cause_category": "Environment"}
		)
		self.assertEqual(sum(r["capas"] for r in by_month), 2)
