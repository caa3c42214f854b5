# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import random
from datetime import timedelta
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from service_control.core import continuity as rules
from service_control.service_control import continuity_sweep
from service_control.service_control.continuity_sweep import REVIEW_DUE, TEST_DUE, run_daily
from service_control.service_control.doctype.continuity_plan.continuity_plan import mark_reviewed
from service_control.tests.continuity_factories import (
	AUTHOR,
	CM,
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

PLAN = "Continuity Plan"
LOG = "Continuity Reminder Log"


class TestContinuityPlan(FrappeTestCase):
	def setUp(self):
		setup_users()
		self.service = make_service().name

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	# ---- approval ----------------------------------------------------------------------------

	def test_approval_stamps_the_approver_and_dates_review_and_test(self):
		plan = approve(make_plan(self.service))
		today = getdate()
		self.assertEqual((plan.status, plan.approved_by, getdate(plan.approved_on)), ("Approved", CM, today))
		self.assertEqual(getdate(plan.next_review_date), rules.add_months(today, 12))
		self.assertEqual(getdate(plan.next_test_due), rules.add_months(today, 12))
		self.assertEqual(plan.recovery_target_hours, 6)

	def test_approval_without_recovery_steps_is_refused_and_nothing_is_written(self):
		plan = make_plan(self.service, steps=[])
		with self.assertRaises(frappe.ValidationError) as caught:
			approve(plan)
		self.assertIn("recovery steps", str(caught.exception))
		self.assertEqual(frappe.db.get_value(PLAN, plan.name, ["docstatus", "status"]), (0, "Draft"))

	def test_the_author_cannot_approve_their_own_plan(self):
		frappe.set_user(AUTHOR)
		plan = make_plan(self.service)
		with self.assertRaises(frappe.ValidationError) as caught:
			approve(plan, user=AUTHOR)
		self.assertIn("author", str(caught.exception))
		self.assertEqual(frappe.db.get_value(PLAN, plan.name, "docstatus"), 0)
		frappe.set_user("Administrator")
		approve(plan, user=CM)  # another Continuity Manager may
		self.assertEqual(frappe.db.get_value(PLAN, plan.name, "docstatus"), 1)

	def test_users_without_the_role_are_refused(self):
		frappe.set_user(QM)  # writes drafts, may not approve
		plan = make_plan(self.service)
		with self.assertRaises(frappe.PermissionError):
			plan.submit()
		frappe.set_user(NO_ROLE)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(PLAN, plan.name).check_permission("read")
		with self.assertRaises(frappe.PermissionError):
			make_plan(self.service)
		frappe.set_user("Administrator")
		approve(plan)
		frappe.set_user(QM)
		with self.assertRaises(frappe.PermissionError):
			mark_reviewed(plan.name)

	def test_a_target_beyond_the_mto_is_an_error_and_nothing_is_written(self):
		before = frappe.db.count(PLAN)
		with self.assertRaises(frappe.ValidationError) as caught:
			make_plan(self.service, steps=[{"step": "Rebuild", "step_owner": OWNER, "target_hours": 30}])
		self.assertIn("maximum tolerable outage", str(caught.exception))
		self.assertEqual(frappe.db.count(PLAN), before)

	def test_a_new_version_amends_the_previous(self):
		first = approve(make_plan(self.service))
		make_test_report(first.name).submit()
		first.reload()
		first.cancel()
		second = frappe.copy_doc(first)  # what the desk's Amend does
		second.docstatus, second.amended_from = 0, first.name
		second.insert()
		self.assertEqual((second.version, second.status), (2, "Draft"))
		approve(second)
		self.assertEqual(frappe.db.get_value(PLAN, first.name, "status"), "Superseded")
		second.reload()
		# the test of the previous version still counts until this one is tested
		self.assertEqual(getdate(second.last_tested_on), getdate())

	# ---- plan maintenance ----------------------------------------------------------------------

	def test_mark_reviewed_clears_the_flag_and_dates_the_next_review(self):
		plan = approve(make_plan(self.service))
		frappe.db.set_value(PLAN, plan.name, {"review_required": 1, "review_reason": "x"})
		frappe.set_user(CM)
		values = mark_reviewed(plan.name)
		self.assertEqual(values["next_review_date"], rules.add_months(getdate(), 12))
		self.assertEqual(frappe.db.get_value(PLAN, plan.name, "review_required"), 0)

	def test_an_approved_risk_assessment_marks_the_plan_for_review(self):
		plan = approve(make_plan(self.service))
		report = frappe.get_doc(
			{
				"doctype": "Continuity Risk Assessment",
				"title": "Server room",
				"company": plan.company,
				"service": self.service,
				"assessor": QM,
				"risks": [{"threat": "Fire", "likelihood": 2, "impact": 3}],
			}
		).insert()
		frappe.set_user(CM)
		report.submit()
		self.assertEqual(frappe.db.get_value(PLAN, plan.name, "review_required"), 1)

	# ---- tests of the plan -------------------------------------------------------------------

	def test_a_test_moves_the_next_test_due(self):
		plan = approve(make_plan(self.service))
		report = make_test_report(plan.name, test_date=add_days(getdate(), -1))
		self.assertEqual([s.target_hours for s in report.steps], [2, 6])  # copied from the plan
		report.steps[0].actual_hours = 3
		report.steps[1].actual_hours = 5
		report.submit()
		self.assertEqual([s.met for s in report.steps], [0, 1])
		self.assertEqual(report.steps_met, 1)
		plan.reload()
		self.assertEqual(getdate(plan.last_tested_on), add_days(getdate(), -1))
		self.assertEqual(getdate(plan.next_test_due), rules.add_months(add_days(getdate(), -1), 12))
		report.cancel()
		plan.reload()
		self.assertIsNone(plan.last_tested_on)
		self.assertEqual(getdate(plan.next_test_due), rules.add_months(getdate(), 12))

	# ---- the daily job -----------------------------------------------------------------------

	def test_reminders_are_sent_once_over_two_runs(self):
		plan = approve(make_plan(self.service))
		past = add_days(getdate(), -1)
		frappe.db.set_value(PLAN, plan.name, {"next_review_date": past, "next_test_due": past})

		def alerts() -> int:
			return frappe.db.count(
				"Notification Log", {"for_user": OWNER, "document_type": PLAN, "document_name": plan.name}
			)

		first = run_daily()
		self.assertGreaterEqual(first[REVIEW_DUE], 1)
		logged = frappe.get_all(LOG, filters={"plan": plan.name}, fields=["event", "status", "recipients"])
		self.assertEqual(
			sorted((r.event, r.status) for r in logged), [(REVIEW_DUE, "Sent"), (TEST_DUE, "Sent")]
		)
		self.assertEqual({r.recipients for r in logged}, {OWNER})
		self.assertEqual(alerts(), 2)
		second = run_daily()
		self.assertEqual((second[REVIEW_DUE], second[TEST_DUE]), (0, 0))
		self.assertEqual(alerts(), 2)
		# a review opens the next period: a new date, a new reminder when it passes
		frappe.set_user(CM)
		mark_reviewed(plan.name)
		frappe.set_user("Administrator")
		frappe.db.set_value(PLAN, plan.name, "next_review_date", add_days(getdate(), -2))
		self.assertEqual(run_daily()[REVIEW_DUE], 1)
		self.assertEqual(alerts(), 3)

	def test_daily_job_selects_what_the_core_selects(self):
		"""On generated plans, the plans the job logs for each event are exactly those
		core.continuity.review_is_due / is_test_overdue select, and a second run logs nothing more."""
		seed = 20261203  # fixed: the generated dates are relative to today, so every run is the same
		rng = random.Random(seed)
		base = make_plan(self.service)
		names = []
		for _i in range(60):
			doc = frappe.copy_doc(base)
			doc.insert()
			names.append(doc.name)

		def pick():
			return rng.choice((None, add_days(getdate(), rng.randint(-5, 5))))

		plans = []
		for name in names:
			docstatus, review, test = rng.choice((0, 1, 1, 2)), pick(), pick()
			frappe.db.set_value(
				PLAN, name, {"docstatus": docstatus, "next_review_date": review, "next_test_due": test}
			)
			plans.append((name, docstatus, review and getdate(review), test and getdate(test)))

		def logged() -> set[tuple[str, str]]:
			return {
				(r.event, r.plan)
				for r in frappe.get_all(LOG, filters={"plan": ("in", names)}, fields=["event", "plan"])
			}

		exercised = False
		for _run in range(5):
			today = getdate() + timedelta(days=rng.randint(-4, 4))
			expected = set()
			for name, docstatus, review, test in plans:
				if rules.review_is_due(docstatus, review, today):
					expected.add((REVIEW_DUE, name))
				if rules.is_test_overdue(docstatus, test, today):
					expected.add((TEST_DUE, name))
			frappe.db.delete(LOG, {"plan": ("in", names)})
			context = f"seed {seed}, today {today}"
			with patch.object(continuity_sweep, "notify_pending", return_value=0):
				run_daily(today)
				exercised |= bool(expected)
				self.assertEqual(logged(), expected, context)
				run_daily(today)
				self.assertEqual(logged(), expected, context)
		self.assertTrue(exercised, f"seed {seed}: the generated plans exercise the selection")

	def test_daily_job_is_registered_on_the_long_queue(self):
		self.assertIn(
			"service_control.service_control.continuity_sweep.run_daily",
			frappe.get_hooks("scheduler_events")["daily_long"],
		)
