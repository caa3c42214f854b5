# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, get_datetime, getdate, now_datetime

from service_control.service_control.sla.sweep import run_sweep
from service_control.tests.repair_factories import (
	NOT_TECH,
	TECH,
	TECH2,
	UNIT_ITEM,
	delivered_unit,
	make_feedback,
	make_repair_masters,
	make_repair_request,
	mute_emails,
)
from service_control.tests.utils import TEST_IGNORE, make_customer, make_user

test_ignore = TEST_IGNORE


class TestRepairRequest(FrappeTestCase):
	def setUp(self):
		make_repair_masters()
		mute_emails(self)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_register_reads_warranty_from_serial_and_delivery(self):
		serial, dn, _si = delivered_unit(days_ago=3)
		doc = make_repair_request(serial)
		self.assertEqual(doc.status, "Open")
		self.assertEqual(getdate(doc.delivery_date), getdate(dn.posting_date))
		self.assertEqual(doc.warranty_status, "Under Warranty")
		self.assertEqual(
			getdate(doc.warranty_expiry_date),
			getdate(add_days(dn.posting_date, 0)).replace(year=getdate(dn.posting_date).year + 1),
		)
		self.assertEqual(doc.chargeable, 0)
		self.assertEqual(
			{c.stage for c in doc.sla_clocks}, {"First Reply", "Arrangement", "Resolution", "Closure"}
		)
		first = next(c for c in doc.sla_clocks if c.stage == "First Reply")
		self.assertEqual(get_datetime(first.due_on), get_datetime(doc.reported_on) + timedelta(hours=24))

	def test_out_of_warranty_is_chargeable_and_amc_is_free(self):
		serial, _dn, _si = delivered_unit(days_ago=3)
		frappe.db.set_value("Serial No", serial, "warranty_expiry_date", add_days(getdate(), -1))
		doc = make_repair_request(serial)
		self.assertEqual((doc.warranty_status, doc.chargeable), ("Out of Warranty", 1))
		frappe.db.set_value("Serial No", serial, "amc_expiry_date", add_days(getdate(), 30))
		doc = make_repair_request(serial)
		self.assertEqual((doc.warranty_status, doc.chargeable), ("Under AMC", 0))

	def test_serial_of_another_customer_refused_nothing_saved(self):
		serial, _dn, _si = delivered_unit(days_ago=3, customer=make_customer("_Test SC Other Customer"))
		before = frappe.db.count("Repair Request")
		with self.assertRaisesRegex(frappe.ValidationError, "does not belong to customer"):
			make_repair_request(serial)
		self.assertEqual(frappe.db.count("Repair Request"), before)

	def test_technician_without_role_refused(self):
		serial, _dn, _si = delivered_unit(days_ago=3)
		with self.assertRaisesRegex(frappe.ValidationError, "Service Technician role"):
			make_repair_request(serial, technician=NOT_TECH)

	def test_refund_outside_window_refused(self):
		serial, _dn, _si = delivered_unit(days_ago=10)
		with self.assertRaisesRegex(frappe.ValidationError, "Refund is allowed only within 7 days"):
			make_repair_request(serial, remedy="Refund")
		# a replacement is still inside its 15 days
		self.assertEqual(make_repair_request(serial, remedy="Replace").remedy, "Replace")

	def test_assignment_and_status_flow(self):
		serial, _dn, _si = delivered_unit(days_ago=3)
		doc = make_repair_request(serial)
		doc.technician = TECH
		doc.planned_visit_on = now_datetime() + timedelta(hours=3)
		doc.save()
		self.assertEqual(doc.status, "Assigned")
		self.assertTrue(doc.assigned_on and doc.first_response_on)
		clocks = {c.stage: c for c in doc.sla_clocks}
		self.assertEqual(clocks["First Reply"].state, "Met")
		self.assertEqual(clocks["Arrangement"].state, "Met")
		# cannot close before a feedback form
		doc.status = "Closed"
		with self.assertRaisesRegex(frappe.ValidationError, "cannot go from Assigned to Closed"):
			doc.save()
		doc.reload()
		doc.change_status("Awaiting Customer")
		self.assertEqual(doc.status, "Awaiting Customer")
		self.assertEqual(doc.sla_state, "Paused")
		doc.change_status("In Progress")
		self.assertTrue(doc.sla_pauses[0].resumed_on)
		with self.assertRaisesRegex(frappe.ValidationError, "reason"):
			doc.change_status("Cancelled")

	def test_sweep_breaches_repair_clocks(self):
		serial, _dn, _si = delivered_unit(days_ago=5)
		doc = make_repair_request(serial, reported_on=now_datetime() - timedelta(days=3))
		clock = frappe.db.get_value(
			"Service SLA Clock",
			{"parent": doc.name, "parenttype": "Repair Request", "stage": "First Reply"},
			"state",
		)
		self.assertEqual(clock, "Breached")  # computed on save already
		# as a clock saved before it fell due: On Track, looked at again when at risk
		frappe.db.sql(
			"""update `tabService SLA Clock` set state = 'On Track'
			where parent = %s and stage = 'First Reply'""",
			doc.name,
		)
		frappe.db.set_value("Repair Request", doc.name, "sla_state", "On Track")
		run_sweep()
		self.assertEqual(
			frappe.db.get_value("Service SLA Clock", {"parent": doc.name, "stage": "First Reply"}, "state"),
			"Breached",
		)
		self.assertEqual(frappe.db.get_value("Repair Request", doc.name, "sla_state"), "Breached")

	def test_technician_sees_only_own_assignments(self):
		serial1, _dn, _si = delivered_unit(days_ago=3)
		serial2, _dn, _si = delivered_unit(days_ago=3)
		mine = make_repair_request(serial1, technician=TECH)
		theirs = make_repair_request(serial2, technician=TECH2)
		feedback = make_feedback(mine)
		other_feedback = make_feedback(theirs)
		frappe.set_user(TECH)
		names = frappe.get_list("Repair Request", pluck="name")
		self.assertIn(mine.name, names)
		self.assertNotIn(theirs.name, names)
		self.assertTrue(frappe.has_permission("Repair Request", "read", mine.name))
		self.assertFalse(frappe.has_permission("Repair Request", "read", theirs.name))
		feedback_names = frappe.get_list("Repair Feedback", pluck="name")
		self.assertIn(feedback.name, feedback_names)
		self.assertNotIn(other_feedback.name, feedback_names)
		self.assertFalse(frappe.has_permission("Repair Feedback", "read", other_feedback.name))

	def test_item_of_serial_must_match(self):
		serial, _dn, _si = delivered_unit(days_ago=3)
		with self.assertRaisesRegex(frappe.ValidationError, "is of item"):
			make_repair_request(serial, item_code="_Test SC Repair Part")
		self.assertTrue(frappe.db.exists("Serial No", {"name": serial, "item_code": UNIT_ITEM}))

	def test_company_caused_repair_opens_corrective_action(self):
		from service_control.service_control.doctype.repair_request.repair_request import (
			make_corrective_action,
		)

		serial, _dn, _si = delivered_unit(days_ago=3)
		doc = make_repair_request(serial)
		with self.assertRaisesRegex(frappe.ValidationError, "cause is the company's"):
			make_corrective_action(doc.name)
		doc.company_responsible = 1
		doc.save()
		capa = make_corrective_action(doc.name)
		self.assertEqual(
			(capa.source_type, capa.source_name, capa.company), ("Repair Request", doc.name, doc.company)
		)
		self.assertEqual(capa.items[0].item_code, UNIT_ITEM)
		self.assertEqual(capa.items[0].serial_no, serial)
		self.assertIn("Does not power on", capa.problem_what)
		capa.insert()
		# a second call returns the open CAPA instead of a duplicate
		self.assertEqual(make_corrective_action(doc.name).name, capa.name)
		# a closed one does not block a new one (as for a complaint and a survey answer)
		frappe.db.set_value("Corrective Action", capa.name, "status", "Closed")
		self.assertTrue(make_corrective_action(doc.name).is_new())

	def test_portal_customer_sees_only_own_requests(self):
		own = make_repair_request(None)
		other = make_repair_request(None, customer=make_customer("_Test SC Other Customer"))
		portal = make_user("sc.portal@example.com", ["Customer"], user_type="Website User")
		customer = frappe.get_doc("Customer", make_customer())
		if portal not in {row.user for row in customer.portal_users}:
			customer.append("portal_users", {"user": portal})
			customer.save(ignore_permissions=True)
		frappe.set_user(portal)
		names = frappe.get_list("Repair Request", pluck="name")
		self.assertIn(own.name, names)
		self.assertNotIn(other.name, names)
		self.assertFalse(frappe.has_permission("Repair Request", doc=other.name, ptype="read"))

	# ---- closed / cancelled requests are read-only -------------------------------------------

	def _closed_request(self):
		serial, dn, _si = delivered_unit(days_ago=3)
		doc = make_repair_request(serial, technician=TECH, delivery_note=dn.name)
		make_feedback(doc, submit=True, quality_rating=1, attitude_rating=1, verifier_name="Mr Li")
		doc.reload()
		doc.change_status("Closed", "Customer confirmed by phone")
		self.assertEqual(doc.status, "Closed")
		return doc

	def test_closed_request_read_only_except_system_manager_with_reason(self):
		doc = self._closed_request()
		clerk = make_user("sc.csu.repair@example.com", ["Customer Service User"])
		frappe.set_user(clerk)
		as_clerk = frappe.get_doc("Repair Request", doc.name)
		as_clerk.save()  # nothing changed: a plain save passes
		as_clerk.fault_description = "Does not power on; smells burnt"
		as_clerk.change_reason = "I am not allowed to give one"  # permlevel 1: reset for the clerk
		with self.assertRaisesRegex(frappe.ValidationError, "Repair request is Closed and can no longer"):
			as_clerk.save()
		frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value("Repair Request", doc.name, "fault_description"), "Does not power on"
		)
		doc = frappe.get_doc("Repair Request", doc.name)
		doc.fault_description = "Does not power on; smells burnt"
		with self.assertRaisesRegex(frappe.ValidationError, "Give a reason for changing a Closed"):
			doc.save()
		doc.reload()
		doc.fault_description = "Does not power on; smells burnt"
		doc.change_reason = "The customer described the fault again on the callback"
		doc.save(ignore_version=False)  # tests skip versions unless asked
		self.assertEqual(doc.status, "Closed")
		# track changes: the correction and its reason are in the version history
		version = frappe.get_last_doc("Version", {"ref_doctype": "Repair Request", "docname": doc.name})
		changed = {row[0]: row[2] for row in frappe.parse_json(version.data)["changed"]}
		self.assertEqual(changed["fault_description"], "Does not power on; smells burnt")
		self.assertIn("change_reason", changed)

	def test_cancelled_request_read_only(self):
		serial, _dn, _si = delivered_unit(days_ago=3)
		doc = make_repair_request(serial)
		doc.change_status("Cancelled", "Registered twice")
		doc.reload()
		doc.urgency = "Urgent"
		with self.assertRaisesRegex(frappe.ValidationError, "Give a reason for changing a Cancelled"):
			doc.save()
		frappe.set_user(make_user("sc.csu.repair@example.com", ["Customer Service User"]))
		doc = frappe.get_doc("Repair Request", doc.name)
		doc.urgency = "Urgent"
		with self.assertRaisesRegex(frappe.ValidationError, "Repair request is Cancelled and can no longer"):
			doc.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Repair Request", doc.name, "urgency"), "Normal")

	# ---- the technician's ToDo ("Assigned to me") --------------------------------------------

	def _todos(self, name: str, user: str) -> list[str]:
		return frappe.get_all(
			"ToDo",
			filters={"reference_type": "Repair Request", "reference_name": name, "allocated_to": user},
			pluck="status",
		)

	def test_assigning_technician_creates_one_todo_and_moves_it_on_change(self):
		serial, _dn, _si = delivered_unit(days_ago=3)
		doc = make_repair_request(serial)
		self.assertFalse(frappe.db.exists("ToDo", {"reference_name": doc.name}))
		doc.technician = TECH
		doc.urgency = "Urgent"
		doc.save()
		self.assertEqual(self._todos(doc.name, TECH), ["Open"])
		todo = frappe.get_doc("ToDo", {"reference_name": doc.name, "allocated_to": TECH})
		self.assertEqual(todo.priority, "High")
		self.assertIn(doc.name, todo.description)
		doc.planned_visit_on = now_datetime() + timedelta(hours=3)
		doc.save()  # saving again does not assign twice
		self.assertEqual(self._todos(doc.name, TECH), ["Open"])
		# "Assigned to me" is the list filtered on _assign
		frappe.set_user(TECH)
		mine = frappe.get_list("Repair Request", filters={"_assign": ("like", f"%{TECH}%")}, pluck="name")
		self.assertIn(doc.name, mine)
		frappe.set_user("Administrator")
		# another technician takes over: the first one's ToDo is cancelled
		doc.reload()
		doc.technician = TECH2
		doc.save()
		self.assertEqual(self._todos(doc.name, TECH), ["Cancelled"])
		self.assertEqual(self._todos(doc.name, TECH2), ["Open"])
		self.assertEqual(
			frappe.parse_json(frappe.db.get_value("Repair Request", doc.name, "_assign")), [TECH2]
		)
		# a second save in the same request keeps the fresh _assign
		doc.save()
		self.assertEqual(
			frappe.parse_json(frappe.db.get_value("Repair Request", doc.name, "_assign")), [TECH2]
		)
		# cancelling the request cancels the open assignment
		doc.change_status("Cancelled", "Registered twice")
		self.assertEqual(self._todos(doc.name, TECH2), ["Cancelled"])

	def test_new_request_with_technician_assigned_and_closed_with_request(self):
		doc = self._closed_request()
		self.assertEqual(self._todos(doc.name, TECH), ["Closed"])
