# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime, now_datetime

from service_control.service_control.doctype.continuity_invocation.continuity_invocation import (
	pause_sla_clocks,
)
from service_control.tests.continuity_factories import (
	CM,
	QM,
	approve,
	make_plan,
	make_service,
	setup_users,
)
from service_control.tests.utils import TEST_IGNORE, as_form_loads, make_complaint

test_ignore = TEST_IGNORE

INVOCATION = "Continuity Invocation"


def make_invocation(plan: str | None, complaints: list[str] = (), **kwargs):
	return frappe.get_doc(
		{
			"doctype": INVOCATION,
			"plan": plan,
			"disruption": "Power Loss",
			"description": "Grid failure at the head office",
			"invoked_on": now_datetime() - timedelta(hours=3),
			"complaints": [{"complaint": c} for c in complaints],
			**kwargs,
		}
	).insert()


def resolution_due(complaint: str):
	"""As the form shows it (a clock that never paused stores no deadline; onload derives it)."""
	doc = as_form_loads("Customer Complaint", complaint)
	return get_datetime(next(c for c in doc.sla_clocks if c.stage == "Resolution").due_on)


class TestContinuityInvocation(FrappeTestCase):
	def setUp(self):
		setup_users()
		self.plan = approve(make_plan(make_service().name))

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_an_invocation_without_an_approved_plan_is_refused(self):
		before = frappe.db.count(INVOCATION)
		with self.assertRaises(frappe.ValidationError):
			make_invocation(None)
		draft = make_plan(self.plan.service)
		with self.assertRaises(frappe.ValidationError):
			make_invocation(draft.name)
		self.assertEqual(frappe.db.count(INVOCATION), before)

	def test_recovery_time_against_the_agreed_rto(self):
		doc = make_invocation(self.plan.name)
		self.assertEqual([r.target_hours for r in doc.timeline], [2, 6])  # the plan's steps
		doc.status = "Recovered"
		with self.assertRaises(frappe.ValidationError):
			doc.save()  # when was it recovered?
		doc.reload()
		doc.status = "Recovered"
		doc.recovered_on = get_datetime(doc.invoked_on) + timedelta(hours=9)
		doc.save()
		self.assertEqual((doc.actual_recovery_hours, doc.agreed_rto_hours, doc.rto_met), (9, 8, 0))

	def test_pausing_moves_the_complaint_deadlines_by_the_paused_time(self):
		complaint = make_complaint(received_on=now_datetime() - timedelta(hours=12))
		due_before = resolution_due(complaint.name)
		doc = make_invocation(self.plan.name, [complaint.name])
		frappe.set_user(CM)
		self.assertEqual(pause_sla_clocks(doc.name, "Power cut at the plant")["held"], 1)
		frappe.set_user("Administrator")
		complaint.reload()
		held = [p for p in complaint.sla_pauses if p.continuity_invocation == doc.name]
		self.assertEqual(len(held), 1)
		self.assertIsNone(held[0].resumed_on)
		self.assertIn("Power cut at the plant", held[0].reason)
		self.assertEqual(next(c for c in complaint.sla_clocks if c.stage == "Resolution").state, "Paused")
		# a save of the complaint by its agent leaves the disruption's pause alone
		complaint.save()
		complaint.reload()
		self.assertIsNone(next(p for p in complaint.sla_pauses if p.continuity_invocation).resumed_on)
		# pretend the disruption lasted 10 hours, then close the invocation
		frappe.db.set_value(
			"Service SLA Pause", held[0].name, "paused_on", now_datetime() - timedelta(hours=10)
		)
		doc.reload()
		doc.status = "Closed"
		doc.recovered_on = now_datetime()
		doc.save()
		complaint.reload()
		self.assertTrue(all(p.resumed_on for p in complaint.sla_pauses))
		self.assertAlmostEqual(
			(resolution_due(complaint.name) - due_before).total_seconds(), 10 * 3600, delta=120
		)
		self.assertTrue(frappe.db.get_value(INVOCATION, doc.name, "sla_resumed_on"))

	def test_a_complaint_awaiting_the_customer_waits_again_after_the_disruption(self):
		complaint = make_complaint()
		complaint.status = "Awaiting Customer"
		complaint.save()
		doc = make_invocation(self.plan.name, [complaint.name])
		frappe.set_user(CM)
		pause_sla_clocks(doc.name, "Flood")
		frappe.set_user("Administrator")
		complaint.reload()
		self.assertEqual([bool(p.resumed_on) for p in complaint.sla_pauses], [True, False])
		doc.reload()
		doc.status = "Closed"
		doc.recovered_on = now_datetime()
		doc.save()
		complaint.reload()
		# the wait's pause, closed by the disruption's, reopens: pauses never overlap
		self.assertEqual([bool(p.resumed_on) for p in complaint.sla_pauses], [True, True, False])
		self.assertFalse(complaint.sla_pauses[-1].continuity_invocation)

	def test_complaints_linked_later_are_held_too(self):
		doc = make_invocation(self.plan.name)
		frappe.set_user(CM)
		pause_sla_clocks(doc.name, "Fire")
		frappe.set_user("Administrator")
		complaint = make_complaint()
		doc.reload()
		doc.append("complaints", {"complaint": complaint.name})
		doc.save()
		doc.reload()
		self.assertEqual(doc.complaints[0].held, 1)

	def test_only_the_continuity_manager_pauses_and_with_a_reason(self):
		complaint = make_complaint()
		doc = make_invocation(self.plan.name, [complaint.name])
		frappe.set_user(QM)  # may write the invocation, may not pause clocks
		with self.assertRaises(frappe.ValidationError):
			pause_sla_clocks(doc.name, "Fire")
		frappe.set_user(CM)
		with self.assertRaises(frappe.ValidationError):
			pause_sla_clocks(doc.name, "  ")
		frappe.set_user("sc.cont.norole@example.com")
		with self.assertRaises(frappe.PermissionError):
			pause_sla_clocks(doc.name, "Fire")
		self.assertFalse(frappe.db.get_value(INVOCATION, doc.name, "sla_paused"))
		self.assertFalse(
			frappe.db.exists(
				"Service SLA Pause", {"parent": complaint.name, "continuity_invocation": doc.name}
			)
		)
