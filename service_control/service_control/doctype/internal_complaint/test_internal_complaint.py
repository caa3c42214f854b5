# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime, now_datetime

from service_control.exceptions import ComplaintValidationError, InvalidTransitionError
from service_control.service_control.sla.sweep import run_sweep
from service_control.tests.internal_factories import (
	CS_ONLY,
	HR_MANAGER,
	HR_USER,
	QM_ONLY,
	make_internal_complaint,
	make_internal_masters,
)
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, make_customer, make_user

PORTAL_USER = "sc.ic.portal@example.com"

test_ignore = [*TEST_IGNORE, "Employee"]


class TestInternalComplaint(FrappeTestCase):
	def setUp(self):
		# factories are idempotent; each test's rollback would undo records made in setUpClass
		make_internal_masters()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	# ---- SLA clocks --------------------------------------------------------------------------

	def test_clocks_at_insert_and_met_on_reply(self):
		doc = make_internal_complaint(urgency="Urgent")
		received = get_datetime(doc.received_on)
		clocks = {c.stage: c for c in doc.sla_clocks}
		self.assertEqual(set(clocks), {"First Reply", "Arrangement", "Resolution", "Closure"})
		self.assertEqual({c.state for c in clocks.values()}, {"On Track"})
		self.assertEqual(clocks["First Reply"].allowance_hours, 8)
		self.assertEqual(doc.sla_state, "On Track")
		# the earliest deadline: the urgent first reply, 8 calendar hours after receipt
		self.assertEqual(
			(doc.due_stage, get_datetime(doc.due_by)), ("First Reply", received + timedelta(hours=8))
		)
		self.assertTrue(doc.sla_next_on)

		doc.handler = HR_USER
		doc.status = "Investigating"
		doc.save()
		states = {c.stage: c.state for c in doc.sla_clocks}
		self.assertEqual((states["First Reply"], states["Arrangement"]), ("Met", "Met"))
		self.assertEqual(doc.due_stage, "Resolution")

		doc.reply = "<p>Dispatch now hands the documents over the same day.</p>"
		doc.status = "Answered"
		doc.save()
		states = {c.stage: c.state for c in doc.sla_clocks}
		self.assertEqual(states["Resolution"], "Met")
		self.assertEqual(doc.replied_by, "Administrator")
		self.assertEqual(doc.due_stage, "Closure")

		doc.satisfaction = "Satisfied"
		doc.status = "Closed"
		doc.save()
		self.assertEqual({c.state for c in doc.sla_clocks}, {"Met"})
		self.assertFalse(doc.due_by)
		self.assertEqual(doc.closed_by, "Administrator")

	def test_waiting_for_the_complainant_pauses_and_resumes_where_it_left(self):
		doc = make_internal_complaint(handler=HR_USER)
		doc.status = "Investigating"
		doc.save()
		doc.status = "Awaiting Complainant"
		doc.save()
		self.assertEqual(doc.paused_from, "Investigating")
		self.assertEqual(len(doc.sla_pauses), 1)
		self.assertFalse(doc.sla_pauses[0].resumed_on)
		self.assertFalse(doc.due_by)  # every running clock is held
		doc.status = "Open"
		with self.assertRaises(InvalidTransitionError):
			doc.save()
		doc.reload()
		doc.change_status("Investigating")
		self.assertTrue(doc.sla_pauses[0].resumed_on)
		self.assertTrue(doc.due_by)

	# ---- the sweep and escalation -----------------------------------------------------------

	def test_sweep_breaches_and_escalates_to_hr_once(self):
		qm_users = frappe.get_all("Has Role", filters={"role": "Quality Manager"}, pluck="parent")
		doc = make_internal_complaint(
			urgency="Urgent", handler=HR_USER, received_on=now_datetime() - timedelta(hours=60)
		)
		# the saved clocks were computed at insert; make the sweep do the work
		frappe.db.sql(
			"""update `tabService SLA Clock` set state = 'On Track'
			where parenttype = 'Internal Complaint' and parent = %s and stage = 'Resolution'""",
			doc.name,
		)
		stats = run_sweep()
		self.assertGreaterEqual(stats["breached"], 1)
		state = frappe.db.get_value("Service SLA Clock", {"parent": doc.name, "stage": "Resolution"}, "state")
		self.assertEqual(state, "Breached")
		self.assertEqual(frappe.db.get_value("Internal Complaint", doc.name, "sla_state"), "Breached")
		logs = frappe.get_all(
			"Service Escalation Log",
			filters={"reference_doctype": "Internal Complaint", "reference_name": doc.name},
			fields=["level", "status", "recipients", "stage"],
		)
		self.assertTrue(logs)
		self.assertTrue(all(log.status == "Sent" for log in logs))
		level_one = [log for log in logs if log.level == 1]
		self.assertTrue(level_one and all(HR_USER in log.recipients for log in level_one))
		# the levels with a role (Quality Manager, General Manager in settings) go to HR Manager
		by_role = [log for log in logs if log.level > 1]
		self.assertTrue(by_role)
		for log in by_role:
			self.assertIn(HR_MANAGER, log.recipients)
			self.assertNotIn(QM_ONLY, log.recipients)
		self.assertTrue(
			frappe.db.exists(
				"ToDo", {"reference_name": doc.name, "allocated_to": HR_MANAGER, "status": "Open"}
			)
		)
		for user in qm_users:
			if "HR Manager" not in frappe.get_roles(user) and "HR User" not in frappe.get_roles(user):
				self.assertFalse(frappe.db.exists("ToDo", {"reference_name": doc.name, "allocated_to": user}))
		count = frappe.db.count("Service Escalation Log", {"reference_name": doc.name})
		notifications = frappe.db.count("Notification Log", {"document_name": doc.name})
		again = run_sweep()
		self.assertEqual(frappe.db.count("Service Escalation Log", {"reference_name": doc.name}), count)
		self.assertEqual(frappe.db.count("Notification Log", {"document_name": doc.name}), notifications)
		self.assertEqual(again["notified"], 0)
		# customer service reads the escalation logs of customer cases, not of internal complaints
		log = frappe.get_all("Service Escalation Log", filters={"reference_name": doc.name}, pluck="name")[0]
		frappe.set_user(CS_ONLY)
		self.assertEqual(
			frappe.get_list("Service Escalation Log", filters={"reference_name": doc.name}, pluck="name"), []
		)
		self.assertFalse(frappe.has_permission("Service Escalation Log", doc=log, ptype="read"))
		self.assertTrue(frappe.has_permission("Service Escalation Log", ptype="read"))

	# ---- visibility --------------------------------------------------------------------------

	def assert_hidden_from(self, user: str, name: str) -> None:
		from frappe.client import get as client_get

		frappe.set_user(user)
		try:
			self.assertFalse(frappe.has_permission("Internal Complaint", doc=name, ptype="read"))
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc("Internal Complaint", name).check_permission("read")
			with self.assertRaises(frappe.PermissionError):
				client_get("Internal Complaint", name)
			try:
				listed = frappe.get_list("Internal Complaint", pluck="name")
			except frappe.PermissionError:
				listed = []
			self.assertEqual(listed, [])
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc(
					{
						"doctype": "Internal Complaint",
						"company": TEST_COMPANY,
						"complainant": frappe.db.get_value("Internal Complaint", name, "complainant"),
						"subject": "x",
						"description": "x",
						"received_on": now_datetime(),
					}
				).insert()
		finally:
			frappe.set_user("Administrator")

	def test_customer_service_and_quality_do_not_see_internal_complaints(self):
		doc = make_internal_complaint()
		self.assert_hidden_from(CS_ONLY, doc.name)
		self.assert_hidden_from(QM_ONLY, doc.name)

	def test_a_customer_portal_user_does_not_see_internal_complaints(self):
		doc = make_internal_complaint()
		portal = make_user(PORTAL_USER, ["Customer"], user_type="Website User")
		customer = frappe.get_doc("Customer", make_customer())
		if portal not in {row.user for row in customer.portal_users}:
			customer.append("portal_users", {"user": portal})
			customer.save(ignore_permissions=True)
		self.assert_hidden_from(portal, doc.name)

	def test_hr_user_reads_lists_and_handles(self):
		from frappe.client import get as client_get

		doc = make_internal_complaint()
		frappe.set_user(HR_USER)
		frappe.get_doc("Internal Complaint", doc.name).check_permission("read")
		self.assertIn(doc.name, frappe.get_list("Internal Complaint", pluck="name"))
		self.assertEqual(client_get("Internal Complaint", doc.name)["subject"], doc.subject)
		mine = make_internal_complaint(handler=HR_USER)
		mine.change_status("Investigating")
		self.assertEqual(mine.status, "Investigating")
		self.assertFalse(frappe.has_permission("Internal Complaint", ptype="delete", doc=mine.name))
		frappe.set_user(HR_MANAGER)
		self.assertTrue(frappe.has_permission("Internal Complaint", ptype="delete", doc=mine.name))

	def test_the_handler_field_offers_hr_users_only(self):
		from service_control.service_control.doctype.internal_complaint.internal_complaint import (
			handler_query,
		)

		offered = {row[0] for row in handler_query("User", "sc.", "name", 0, 100)}
		self.assertTrue({HR_USER, HR_MANAGER} <= offered)
		self.assertFalse({CS_ONLY, QM_ONLY} & offered)

	# ---- refusals ----------------------------------------------------------------------------

	def test_a_customer_passed_in_is_refused_and_nothing_is_written(self):
		from frappe.client import insert as client_insert

		customer = make_customer()
		before = frappe.db.count("Internal Complaint")
		with self.assertRaisesRegex(ComplaintValidationError, "not by customer"):
			make_internal_complaint(customer=customer)
		frappe.set_user(HR_USER)
		payload = {
			"doctype": "Internal Complaint",
			"company": TEST_COMPANY,
			"complainant": frappe.db.get_value("Employee", {"company": TEST_COMPANY}, "name"),
			"subject": "REST",
			"description": "<p>x</p>",
			"received_on": str(now_datetime()),
			"customer": customer,
		}
		with self.assertRaises(ComplaintValidationError):
			client_insert(payload)
		self.assertEqual(frappe.db.count("Internal Complaint"), before)
		# on a saved complaint too
		frappe.set_user("Administrator")
		doc = make_internal_complaint()
		doc.customer = customer
		with self.assertRaises(ComplaintValidationError):
			doc.save()

	def test_transitions_and_fields_are_refused_with_clear_errors(self):
		doc = make_internal_complaint()
		cases = [
			({"status": "Closed"}, InvalidTransitionError, "cannot go from Open to Closed"),
			({"status": "Investigating"}, InvalidTransitionError, "Assign a handler"),
			({"status": "Answered", "handler": HR_USER}, InvalidTransitionError, "Write the reply"),
			({"handler": QM_ONLY}, ComplaintValidationError, "HR User or HR Manager"),
			(
				{"received_on": now_datetime() + timedelta(hours=1)},
				ComplaintValidationError,
				"in the future",
			),
			({"status": "Cancelled"}, InvalidTransitionError, "reason for cancelling"),
		]
		for changes, error, message in cases:
			with self.subTest(changes=changes):
				fresh = frappe.get_doc("Internal Complaint", doc.name)
				fresh.update(changes)
				with self.assertRaisesRegex(error, message):
					fresh.save()
		doc.reload()
		self.assertEqual(doc.status, "Open")
		doc.update({"handler": HR_USER, "reply": "<p>Done</p>", "status": "Answered"})
		doc.save()
		doc.status = "Closed"
		with self.assertRaisesRegex(InvalidTransitionError, "reason for closing"):
			doc.save()
		doc.reload()
		doc.change_status("Closed", reason="The complainant has left the company.")
		self.assertEqual(doc.status, "Closed")
		frappe.set_user(HR_MANAGER)
		doc = frappe.get_doc("Internal Complaint", doc.name)
		doc.reply = "<p>Changed</p>"
		with self.assertRaisesRegex(ComplaintValidationError, "can no longer be edited"):
			doc.save()

	# ---- CAPA --------------------------------------------------------------------------------

	def test_a_corrective_action_is_raised_and_linked(self):
		from service_control.service_control.doctype.internal_complaint.internal_complaint import (
			make_corrective_action,
		)

		doc = make_internal_complaint(handler=HR_USER)
		capa = make_corrective_action(doc.name)
		self.assertTrue(capa.is_new())
		self.assertEqual((capa.source_type, capa.source_name), ("Internal Complaint", doc.name))
		capa.insert()
		self.assertEqual(frappe.db.get_value("Internal Complaint", doc.name, "corrective_action"), capa.name)
		self.assertEqual(make_corrective_action(doc.name).name, capa.name)
