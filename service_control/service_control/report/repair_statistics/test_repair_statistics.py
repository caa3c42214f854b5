# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from datetime import datetime, timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from service_control.service_control.report.repair_statistics.repair_statistics import execute
from service_control.tests.repair_factories import (
	TECH2,
	delivered_unit,
	make_feedback,
	make_repair_masters,
	make_repair_request,
	mute_emails,
)
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE

test_ignore = TEST_IGNORE


def last_monday_before(days: int) -> datetime:
	day = getdate() - timedelta(days=days)
	day -= timedelta(days=day.weekday())
	return datetime(day.year, day.month, day.day)


class TestRepairStatistics(FrappeTestCase):
	def setUp(self):
		make_repair_masters()
		mute_emails(self)

	def tearDown(self):
		frappe.db.rollback()

	def test_first_time_fix_mttr_and_satisfaction_on_known_data(self):
		monday = last_monday_before(14)
		friday = monday - timedelta(days=3)
		first, *_ = delivered_unit(days_ago=40)
		second, *_ = delivered_unit(days_ago=40)
		third, *_ = delivered_unit(days_ago=40)
		# fixed at the first visit, Monday 09:00 -> 15:00: 5 working hours (lunch 12-13 excluded)
		r1 = make_repair_request(first, technician=TECH2, reported_on=monday + timedelta(hours=9))
		make_feedback(
			r1,
			submit=True,
			quality_rating=1,
			attitude_rating=1,
			verifier_name="Li",
			visits=[{"visit_date": monday.date(), "technician": TECH2, "hours": 2}],
		)
		frappe.db.set_value("Repair Request", r1.name, "resolved_on", monday + timedelta(hours=15))
		# two visits, Friday 16:00 -> Monday 10:00: 1.5 + 1.5 = 3 working hours; rated 3 stars
		r2 = make_repair_request(second, technician=TECH2, reported_on=friday + timedelta(hours=16))
		make_feedback(
			r2,
			submit=True,
			result="Not Fixed",
			visits=[{"visit_date": friday.date(), "technician": TECH2, "hours": 1}],
		)
		make_feedback(
			r2,
			submit=True,
			quality_rating=0.6,
			attitude_rating=1,
			verifier_name="Wang",
			visits=[{"visit_date": monday.date(), "technician": TECH2, "hours": 1}],
		)
		frappe.db.set_value("Repair Request", r2.name, "resolved_on", monday + timedelta(hours=10))
		# still open
		make_repair_request(third, technician=TECH2, reported_on=monday + timedelta(hours=11))

		filters = {
			"company": TEST_COMPANY,
			"technician": TECH2,
			"from_date": friday.date(),
			"to_date": monday.date(),
			"group_by": "Technician",
			"periodicity": "Annual",
		}
		_columns, data, _message, _chart, summary = execute(filters)
		self.assertEqual(len(data), 1 if friday.year == monday.year else 2)
		totals = {s["label"]: s["value"] for s in summary}
		self.assertEqual(totals["Repairs"], 3)
		self.assertEqual(totals["First-Time Fix %"], 50.0)  # r1 of r1, r2
		self.assertEqual(totals["MTTR (Working Hours)"], 4.0)  # (5 + 3) / 2
		self.assertEqual(totals["Satisfaction %"], 50.0)  # r1 satisfied, r2 rated 3 stars
		row = data[-1]
		self.assertEqual(row["group"], TECH2)

		_columns, data, *_rest = execute({**filters, "group_by": "Fault Type"})
		self.assertEqual({row["group"] for row in data}, {"Electrical"})

		# the satisfied rating comes from Service Control Settings: at 3 stars r2 counts too
		try:
			frappe.db.set_single_value("Service Control Settings", "repair_satisfied_rating", 3)
			frappe.clear_document_cache("Service Control Settings", "Service Control Settings")
			*_rest, summary = execute(filters)
			self.assertEqual({s["label"]: s["value"] for s in summary}["Satisfaction %"], 100.0)
		finally:
			frappe.db.set_single_value("Service Control Settings", "repair_satisfied_rating", 4)
			frappe.clear_document_cache("Service Control Settings", "Service Control Settings")
