# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime, now_datetime

from service_control.core.working_time import WorkingCalendar
from service_control.exceptions import ComplaintValidationError, InvalidTransitionError
from service_control.service_control.sla import recompute_open_clocks, run_sweep
from service_control.tests.utils import (
	TEST_COMPANY,
	TEST_IGNORE,
	make_complaint,
	make_customer,
	make_delivery_note,
	make_item,
	make_user,
)

CS_USER = "sc.cs@example.com"
QM_USER = "sc.qm@example.com"


test_ignore = TEST_IGNORE


class TestCustomerComplaint(FrappeTestCase):
	def setUp(self):
		# factories are idempotent; each test's rollback would undo records made in setUpClass
		make_user(CS_USER, ["Customer Service User"])
		make_user(QM_USER, ["Quality Manager"])
		make_item()
		make_customer()
		make_customer("_Test SC Other Customer")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	# ---- registration ----------------------------------------------------------------------

	def test_register_starts_four_clocks(self):
		doc = make_complaint(urgency="Urgent")
		self.assertEqual(doc.status, "Open")
		clocks = {c.stage: c for c in doc.sla_clocks}
		self.assertEqual(set(clocks), {"First Reply", "Arrangement", "Resolution", "Closure"})
		received = get_datetime(doc.received_on)
		self.assertEqual(get_datetime(clocks["Arrangement"].due_on), received + timedelta(hours=24))
		self.assertEqual(clocks["Arrangement"].state, "On Track")
		self.assertEqual(doc.sla_state, "On Track")

	def test_customer_deadline_caps_first_reply(self):
		received = now_datetime() - timedelta(hours=1)
		deadline = received + timedelta(hours=5)
		doc = make_complaint(received_on=received, customer_deadline=deadline)
		first = next(c for c in doc.sla_clocks if c.stage == "First Reply")
		self.assertEqual(get_datetime(first.due_on), deadline)

	def test_bad_input_rejected_and_nothing_saved(self):
		count = frappe.db.count("Customer Complaint")
		cases = [
			({"received_on": now_datetime() + timedelta(days=1)}, "in the future"),
			(
				{
					"received_on": now_datetime() - timedelta(hours=2),
					"customer_deadline": now_datetime() - timedelta(hours=3),
				},
				"deadline",
			),
			({"affected_qty": -1}, "greater than zero"),
			({"responsibility": "Supplier"}, "supplier"),
		]
		for kwargs, message in cases:
			with self.subTest(kwargs=kwargs), self.assertRaises(frappe.ValidationError) as ctx:
				make_complaint(**kwargs)
			self.assertIn(message, str(ctx.exception))
		self.assertEqual(frappe.db.count("Customer Complaint"), count)

	def test_delivery_of_another_customer_or_item_rejected(self):
		dn = make_delivery_note("_Test SC Other Customer", "_Test SC Item", qty=5)
		with self.assertRaises(ComplaintValidationError):
			make_complaint(delivery_note=dn.name, item_code="_Test SC Item")
		own = make_delivery_note(make_customer(), "_Test SC Item", qty=5)
		with self.assertRaises(ComplaintValidationError) as ctx:
			make_complaint(delivery_note=own.name, item_code="_Test SC Item", affected_qty=6)
		self.assertIn("more than", str(ctx.exception))
		doc = make_complaint(delivery_note=own.name, item_code="_Test SC Item", affected_qty=5)
		self.assertEqual(doc.delivery_note, own.name)

	# ---- lifecycle -------------------------------------------------------------------------

	def _investigate(self, doc, responsibility="Customer"):
		doc.investigation_owner = QM_USER
		doc.arrangement_plan = "Inspect the returned sample"
		doc.status = "Investigating"
		doc.save()
		doc.responsibility = responsibility
		return doc

	def _answer(self, doc):
		doc.answer_method = "Reply Letter"
		doc.reply = "We replaced the parts."
		doc.replied_on = now_datetime()
		doc.status = "Answered"
		doc.save()
		return doc

	def test_whole_lifecycle_meets_the_clocks(self):
		doc = self._investigate(make_complaint())
		self.assertTrue(doc.first_response_on)
		self.assertTrue(doc.arranged_on)
		self._answer(doc)
		doc.satisfaction = "Satisfied"
		doc.status = "Closed"
		doc.save()
		clocks = {c.stage: c.state for c in doc.sla_clocks}
		self.assertEqual(set(clocks.values()), {"Met"})
		self.assertEqual(doc.sla_state, "Met")
		self.assertTrue(doc.closed_on)
		self.assertEqual(
			doc.retain_until.year if hasattr(doc.retain_until, "year") else int(str(doc.retain_until)[:4]),
			now_datetime().year + 3,
		)

	def test_guards(self):
		doc = make_complaint()
		doc.status = "Closed"
		with self.assertRaises(InvalidTransitionError):
			doc.save()
		doc.reload()
		doc.satisfaction = "Satisfied"
		with self.assertRaises(ComplaintValidationError):
			doc.save()  # confirming before answering
		doc.reload()
		doc = self._investigate(doc, responsibility="Company")
		doc.answer_method, doc.reply, doc.replied_on = "Phone", "Called", now_datetime()
		doc.status = "Answered"
		with self.assertRaises(InvalidTransitionError) as ctx:
			doc.save()
		self.assertIn("containment", str(ctx.exception))

	def test_not_satisfied_goes_back_to_investigation(self):
		doc = self._answer(self._investigate(make_complaint()))
		doc.satisfaction = "Not Satisfied"
		doc.save()
		self.assertEqual(doc.status, "Investigating")

	def test_closed_complaint_is_read_only(self):
		doc = self._answer(self._investigate(make_complaint()))
		doc.satisfaction = "Satisfied"
		doc.status = "Closed"
		doc.save()
		make_user(CS_USER, ["Customer Service User"])
		frappe.set_user(CS_USER)
		doc = frappe.get_doc("Customer Complaint", doc.name)
		doc.description = "changed"
		with self.assertRaises(ComplaintValidationError):
			doc.save()
		doc.reload()
		self.assertNotEqual(doc.description, "changed")
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Customer Complaint", doc.name)
		doc.description = "corrected"
		with self.assertRaises(ComplaintValidationError):
			doc.save()  # System Manager, but no reason
		doc.reload()
		doc.description = "corrected"
		doc.change_reason = "Typo in the description"
		doc.save()
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "description"), "corrected")

	def test_pause_extends_the_deadline(self):
		doc = make_complaint(received_on=now_datetime() - timedelta(hours=12))
		due_before = get_datetime(next(c for c in doc.sla_clocks if c.stage == "Resolution").due_on)
		doc.status = "Awaiting Customer"
		doc.save()
		resolution = next(c for c in doc.sla_clocks if c.stage == "Resolution")
		self.assertEqual(resolution.state, "Paused")
		# pretend the pause lasted 10 hours
		doc.sla_pauses[0].paused_on = now_datetime() - timedelta(hours=10)
		doc.investigation_owner = QM_USER
		doc.status = "Investigating"
		doc.save()
		resolution = next(c for c in doc.sla_clocks if c.stage == "Resolution")
		self.assertAlmostEqual(
			(get_datetime(resolution.due_on) - due_before).total_seconds(), 10 * 3600, delta=120
		)

	# ---- sweep and escalation ------------------------------------------------------------

	def test_sweep_breaches_and_escalates_once(self):
		doc = make_complaint(received_on=now_datetime() - timedelta(hours=60), urgency="Urgent")
		doc.investigation_owner = QM_USER
		doc.db_set("investigation_owner", QM_USER)
		# the saved clocks were computed at insert; make the sweep do the work
		frappe.db.sql(
			"update `tabService SLA Clock` set state='On Track' where parent=%s and stage='Arrangement'",
			doc.name,
		)
		stats = run_sweep()
		self.assertGreaterEqual(stats["breached"], 1)
		state = frappe.db.get_value(
			"Service SLA Clock", {"parent": doc.name, "stage": "Arrangement"}, "state"
		)
		self.assertEqual(state, "Breached")
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "sla_state"), "Breached")
		logs = frappe.get_all(
			"Service Escalation Log",
			filters={"reference_name": doc.name, "level": 2},
			fields=["status", "recipients", "stage"],
		)
		self.assertTrue(logs)
		self.assertTrue(all(log.status == "Sent" for log in logs))
		self.assertIn(QM_USER, logs[0].recipients)
		self.assertTrue(
			frappe.db.exists("ToDo", {"reference_name": doc.name, "allocated_to": QM_USER, "status": "Open"})
		)
		count = frappe.db.count("Service Escalation Log", {"reference_name": doc.name})
		notifications = frappe.db.count("Notification Log", {"document_name": doc.name})
		again = run_sweep()
		self.assertEqual(frappe.db.count("Service Escalation Log", {"reference_name": doc.name}), count)
		self.assertEqual(frappe.db.count("Notification Log", {"document_name": doc.name}), notifications)
		self.assertEqual(again["notified"], 0)

	def test_cancelled_complaint_stops_its_clocks(self):
		doc = make_complaint(received_on=now_datetime() - timedelta(hours=100))
		doc.status = "Cancelled"
		doc.cancel_reason = "Registered twice"
		doc.save()
		self.assertEqual({c.state for c in doc.sla_clocks} - {"Met", "Met Late"}, {"Stopped"})
		self.assertEqual(doc.sla_state, "Stopped")
		run_sweep()
		states = frappe.get_all("Service SLA Clock", filters={"parent": doc.name}, pluck="state")
		self.assertNotIn("Breached", states)
		self.assertFalse(frappe.db.exists("Service Escalation Log", {"reference_name": doc.name}))

	def test_holiday_change_moves_working_hour_deadlines(self):
		self.addCleanup(frappe.clear_document_cache, "Service Control Settings", "Service Control Settings")
		self.addCleanup(frappe.clear_document_cache, "Company", TEST_COMPANY)
		settings = frappe.get_single("Service Control Settings")
		for row in settings.sla_targets:
			if row.document_type == "Customer Complaint" and row.stage == "Resolution":
				row.basis = "Working Hours"
		for row in settings.company_defaults:
			row.holiday_list = None  # the company's own holiday list applies
		settings.save()
		holiday_list = frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": "_Test SC Recompute Holidays",
				"from_date": now_datetime().date() - timedelta(days=30),
				"to_date": now_datetime().date() + timedelta(days=400),
			}
		).insert()
		frappe.db.set_value("Company", TEST_COMPANY, "default_holiday_list", holiday_list.name)
		frappe.clear_document_cache("Company", TEST_COMPANY)

		received = now_datetime().replace(microsecond=0) - timedelta(hours=1)
		doc = make_complaint(received_on=received)
		clocks = {c.stage: c for c in doc.sla_clocks}
		self.assertEqual(clocks["Resolution"].basis, "Working Hours")
		due_before = get_datetime(clocks["Resolution"].due_on)
		reply_before = get_datetime(clocks["First Reply"].due_on)
		# a holiday on the first weekday after tomorrow: inside the resolution window
		holiday = received.date() + timedelta(days=2)
		while holiday.weekday() > 4:
			holiday += timedelta(days=1)
		holiday_list.append("holidays", {"holiday_date": holiday, "description": "Test"})
		holiday_list.save()

		self.assertGreaterEqual(recompute_open_clocks(holiday_list.name), 1)

		due_after = get_datetime(
			frappe.db.get_value("Service SLA Clock", {"parent": doc.name, "stage": "Resolution"}, "due_on")
		)
		calendar = WorkingCalendar.from_rows(
			[(r.weekday, r.from_time, r.to_time) for r in settings.working_hours], [holiday]
		)
		self.assertGreater(due_after, due_before)
		self.assertEqual(
			due_after, calendar.add(received, timedelta(hours=clocks["Resolution"].allowance_hours))
		)
		# calendar-hour clocks do not move
		self.assertEqual(
			get_datetime(
				frappe.db.get_value(
					"Service SLA Clock", {"parent": doc.name, "stage": "First Reply"}, "due_on"
				)
			),
			reply_before,
		)

	# ---- permissions ------------------------------------------------------------------------

	def test_portal_user_sees_only_own_customer(self):
		own = make_complaint()
		other = make_complaint(customer="_Test SC Other Customer")
		portal = make_user("sc.portal@example.com", ["Customer"], user_type="Website User")
		customer = frappe.get_doc("Customer", make_customer())
		if portal not in {row.user for row in customer.portal_users}:
			customer.append("portal_users", {"user": portal})
			customer.save(ignore_permissions=True)
		frappe.set_user(portal)
		names = frappe.get_list("Customer Complaint", pluck="name")
		self.assertIn(own.name, names)
		self.assertNotIn(other.name, names)
		self.assertFalse(frappe.has_permission("Customer Complaint", doc=other.name, ptype="read"))

	def test_portal_user_does_not_read_the_investigation(self):
		from frappe.client import get as client_get

		own = make_complaint()
		own.db_set({"root_cause": "Operator skipped the torque check", "responsibility": "Company"})
		portal = make_user("sc.portal@example.com", ["Customer"], user_type="Website User")
		customer = frappe.get_doc("Customer", make_customer())
		if portal not in {row.user for row in customer.portal_users}:
			customer.append("portal_users", {"user": portal})
			customer.save(ignore_permissions=True)
		frappe.set_user(portal)
		seen = client_get("Customer Complaint", own.name)
		self.assertEqual(seen["description"], own.description)
		self.assertFalse(seen.get("root_cause"))
		self.assertFalse(seen.get("responsibility"))
		frappe.set_user(QM_USER)
		self.assertEqual(
			client_get("Customer Complaint", own.name)["root_cause"], "Operator skipped the torque check"
		)
