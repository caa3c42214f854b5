# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from datetime import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.service_control.report.sla_performance.sla_performance import execute
from service_control.service_control.sla.clocks import CLOCK_PARENTS
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, make_complaint, make_customer, make_user

test_ignore = TEST_IGNORE

OWNER = "sc.sla.report@example.com"
# a period no other test writes to, so the counts below are exact
FILTERS = {"company": TEST_COMPANY, "from_date": "2021-03-01", "to_date": "2021-04-30"}


def set_states(doc, states: dict[str, str]) -> None:
	"""Put the clocks of ``doc`` into known states, and the complaint's copy of them with them as
	the sweep and saves keep it (tested elsewhere)."""
	fields = CLOCK_PARENTS["Customer Complaint"]["stage_fields"]
	for clock in doc.sla_clocks:
		state = states.get(clock.stage, "On Track")
		frappe.db.set_value("Service SLA Clock", clock.name, "state", state)
		frappe.db.set_value("Customer Complaint", doc.name, fields[clock.stage], state, update_modified=False)


class TestSLAPerformance(FrappeTestCase):
	def setUp(self):
		make_customer()
		make_user(OWNER, ["Quality Manager"])
		urgent = make_complaint(
			received_on=datetime(2021, 3, 5, 10, 0),
			urgency="Urgent",
			category="Delivery",
			investigation_owner=OWNER,
		)
		set_states(
			urgent,
			{"First Reply": "Met", "Arrangement": "Met Late", "Resolution": "Breached", "Closure": "At Risk"},
		)
		normal = make_complaint(received_on=datetime(2021, 3, 20, 9, 0), category="Packaging")
		set_states(normal, {"First Reply": "Met Late"})
		april = make_complaint(received_on=datetime(2021, 4, 2, 9, 0), category="Delivery")
		set_states(april, dict.fromkeys(("First Reply", "Arrangement", "Resolution", "Closure"), "Met"))
		cancelled = make_complaint(received_on=datetime(2021, 4, 3, 9, 0), category="Delivery")
		set_states(cancelled, {"First Reply": "Breached"})
		frappe.db.set_value("Customer Complaint", cancelled.name, "status", "Cancelled")

	def tearDown(self):
		frappe.db.rollback()

	def rows(self, **filters) -> dict[tuple, dict]:
		_columns, data, _message, _chart, _summary = execute({**FILTERS, **filters})
		return {(r["group"], r["stage"]): r for r in data}

	def test_by_month(self):
		rows = self.rows(group_by="Month")
		march, april = rows[("2021-03", "First Reply")], rows[("2021-04", "First Reply")]
		self.assertEqual((march["met"], march["met_late"], march["breached"]), (1, 1, 0))
		self.assertEqual(march["on_time_rate"], 50.0)
		# the cancelled complaint's breach is not counted
		self.assertEqual((april["met"], april["breached"], april["total"]), (1, 0, 1))
		self.assertEqual(april["on_time_rate"], 100.0)
		closure = rows[("2021-03", "Closure")]
		self.assertEqual((closure["at_risk"], closure["on_track"]), (1, 1))
		self.assertIsNone(closure["on_time_rate"])
		self.assertEqual(next(iter(rows)), ("2021-03", "First Reply"))

	def test_by_urgency_category_and_owner(self):
		rows = self.rows(group_by="Urgency")
		self.assertEqual(rows[("Urgent", "Resolution")]["breached"], 1)
		self.assertEqual(rows[("Urgent", "Resolution")]["on_time_rate"], 0.0)
		self.assertEqual(rows[("Normal", "First Reply")]["on_time_rate"], 50.0)

		rows = self.rows(group_by="Category")
		self.assertEqual(rows[("Delivery", "First Reply")]["met"], 2)
		self.assertEqual(rows[("Packaging", "First Reply")]["met_late"], 1)

		rows = self.rows(group_by="Owner")
		self.assertEqual(rows[(OWNER, "Arrangement")]["met_late"], 1)
		self.assertIn(("Not Set", "First Reply"), rows)

	def test_filters_chart_and_summary(self):
		columns, data, _message, chart, summary = execute(
			{**FILTERS, "group_by": "Category", "stage": "First Reply", "urgency": "Normal"}
		)
		self.assertEqual({r["stage"] for r in data}, {"First Reply"})
		self.assertEqual({r["group"] for r in data}, {"Delivery", "Packaging"})
		self.assertEqual(columns[0]["options"], "Complaint Category")
		self.assertEqual(chart["data"]["labels"], ["Delivery", "Packaging"])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [100.0, 0])
		self.assertEqual(summary[0]["value"], 50.0)

		_columns, data, _message, chart, _summary = execute(
			{**FILTERS, "from_date": "2021-04-01", "group_by": "Month"}
		)
		self.assertEqual({r["group"] for r in data}, {"2021-04"})
		self.assertEqual(chart["type"], "bar")  # one month: a line through one point draws nothing
		_columns, data, _message, chart, _summary = execute({**FILTERS, "group_by": "Month"})
		self.assertGreater(len({r["group"] for r in data}), 1)
		self.assertEqual(chart["type"], "line")

	def test_bad_group_by_refused(self):
		self.assertRaises(frappe.ValidationError, execute, {**FILTERS, "group_by": "Weather"})
