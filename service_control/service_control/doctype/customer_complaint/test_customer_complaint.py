# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from datetime import timedelta
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime, now_datetime

from service_control.core.escalation import overall_state
from service_control.core.sla import derived_deadlines
from service_control.core.working_time import WorkingCalendar
from service_control.exceptions import ComplaintValidationError, InvalidTransitionError
from service_control.service_control.sla.clocks import at_risk_share
from service_control.service_control.sla.recompute import recompute_open_clocks
from service_control.service_control.sla.sweep import run_sweep
from service_control.tests.utils import (
	OTHER_ABBR,
	OTHER_COMPANY,
	TEST_COMPANY,
	TEST_IGNORE,
	as_form_loads,
	make_company,
	make_complaint,
	make_customer,
	make_delivery_note,
	make_item,
	make_sales_invoice,
	make_supplier,
	make_user,
)
from service_control.utils import clear_calendar_cache, get_holiday_list, get_holidays, get_working_calendar

CS_USER = "sc.cs@example.com"
QM_USER = "sc.qm@example.com"
GM_USER = "sc.gm@example.com"
MR_USER = "sc.mr@example.com"
OTHER_CUSTOMER = "_Test SC Other Customer"
SERIAL_ITEM = "_Test SC Serial Item"


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

	def test_requested_deadline_caps_the_first_reply_once_accepted(self):
		from service_control.service_control.doctype.customer_complaint.customer_complaint import (
			accept_requested_deadline,
		)

		settings = frappe.get_single("Service Control Settings")
		self.addCleanup(frappe.clear_document_cache, "Service Control Settings", "Service Control Settings")
		settings.min_deadline_lead_hours = 10_000  # no request leaves that lead: each one waits
		settings.save()
		received = now_datetime() - timedelta(hours=1)
		deadline = received + timedelta(hours=5)
		doc = make_complaint(received_on=received, customer_deadline=deadline)

		def first_reply_due():
			doc.reload()
			shown = as_form_loads("Customer Complaint", doc.name)  # a derived clock stores no due
			return get_datetime(next(c for c in shown.sla_clocks if c.stage == "First Reply").due_on)

		self.assertIsNone(doc.accepted_deadline)
		self.assertEqual(get_datetime(doc.due_by), received + timedelta(hours=48))  # the policy's
		self.assertEqual(first_reply_due(), received + timedelta(hours=48))

		frappe.set_user(CS_USER)
		accept_requested_deadline(doc.name)
		self.assertEqual(first_reply_due(), deadline)
		self.assertEqual(get_datetime(doc.accepted_deadline), deadline)
		self.assertEqual(doc.deadline_accepted_by, CS_USER)
		self.assertEqual((get_datetime(doc.due_by), doc.due_stage), (deadline, "First Reply"))

		# a new request is judged afresh: it waits again
		frappe.set_user("Administrator")
		doc.customer_deadline = deadline + timedelta(hours=1)
		doc.save()
		self.assertIsNone(doc.accepted_deadline)
		self.assertEqual(first_reply_due(), received + timedelta(hours=48))

		# with no minimum lead the request is accepted at once, by nobody in particular
		settings.reload()
		settings.min_deadline_lead_hours = 0
		settings.save()
		frappe.clear_document_cache("Service Control Settings", "Service Control Settings")
		doc.save()
		self.assertEqual(get_datetime(doc.accepted_deadline), deadline + timedelta(hours=1))
		self.assertIsNone(doc.deadline_accepted_by)
		self.assertEqual(first_reply_due(), deadline + timedelta(hours=1))

	def test_only_customer_service_or_quality_accept_a_requested_deadline(self):
		from service_control.service_control.doctype.customer_complaint.customer_complaint import (
			accept_requested_deadline,
		)

		technician = make_user("sc.tech.deadline@example.com", ["Service Technician"])
		doc = make_complaint(customer_deadline=now_datetime() + timedelta(minutes=1))
		frappe.set_user(technician)
		with self.assertRaises(frappe.PermissionError):
			accept_requested_deadline(doc.name)
		frappe.set_user("Administrator")
		self.assertIsNone(frappe.db.get_value("Customer Complaint", doc.name, "accepted_deadline"))
		plain = make_complaint()
		with self.assertRaises(frappe.ValidationError):
			accept_requested_deadline(plain.name)  # nothing was asked for

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

	def test_sales_order_and_return_references(self):
		from service_control.tests.utils import TEST_COMPANY, get_warehouse, make_price_list

		order = frappe.get_doc(
			{
				"doctype": "Sales Order",
				"company": TEST_COMPANY,
				"customer": make_customer(),
				"currency": "CNY",
				"conversion_rate": 1,
				"selling_price_list": make_price_list(),
				"plc_conversion_rate": 1,
				"transaction_date": frappe.utils.getdate(),
				"delivery_date": frappe.utils.getdate(),
				"items": [
					{"item_code": "_Test SC Item", "qty": 2, "rate": 100, "warehouse": get_warehouse()}
				],
			}
		).insert(ignore_permissions=True)
		order.submit()
		# an order is not a delivery: it carries the item but does not cap the affected quantity
		doc = make_complaint(sales_order=order.name, item_code="_Test SC Item", affected_qty=5)
		self.assertEqual(doc.sales_order, order.name)
		with self.assertRaisesRegex(ComplaintValidationError, "has no item"):
			make_complaint(sales_order=order.name, item_code="_Test SC Other Item")

		# a return is not the sale a complaint is about
		from erpnext.controllers.sales_and_purchase_return import make_return_doc

		dn = make_delivery_note(make_customer(), "_Test SC Item", qty=5)
		ret = make_return_doc("Delivery Note", dn.name)
		ret.insert(ignore_permissions=True)
		ret.submit()
		with self.assertRaisesRegex(ComplaintValidationError, "is a return, not a sale"):
			make_complaint(delivery_note=ret.name)

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
			"""update `tabService SLA Clock` set state = 'On Track'
			where parent = %s and stage = 'Arrangement'""",
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

	def test_case_stores_its_due_by_and_next_check_and_the_sweep_reads_them(self):
		"""A clock with a customer deadline keeps its instants; one with no pause and no deadline
		stores none (the form derives them). The case stores its next deadline (Due By, its stage)
		and when the sweep must look next, on indexes the list and the sweep read."""
		indexed = {
			row.Column_name
			for row in frappe.db.sql("show index from `tabCustomer Complaint`", as_dict=True)
			if row.Seq_in_index == 1
		}
		self.assertLessEqual({"due_by", "sla_next_on"}, indexed)

		now = now_datetime()
		doc = make_complaint(  # Normal: at risk after 36 h
			received_on=now - timedelta(hours=40), customer_deadline=now + timedelta(hours=2)
		)
		stored = {
			row.stage: row
			for row in frappe.get_all(
				"Service SLA Clock",
				filters={"parent": doc.name},
				fields=["name", "stage", "state", "derived", "due_on", "at_risk_on"],
			)
		}
		first = stored["First Reply"]
		self.assertEqual((first.state, first.derived), ("At Risk", 0))
		self.assertEqual(get_datetime(first.due_on), get_datetime(doc.customer_deadline))
		closure = stored["Closure"]
		self.assertEqual((closure.state, closure.derived), ("On Track", 1))
		self.assertEqual((closure.due_on, closure.at_risk_on), (None, None))
		shown = {c.stage: c for c in as_form_loads("Customer Complaint", doc.name).sla_clocks}
		closure_due = get_datetime(shown["Closure"].due_on)
		closure_risk = get_datetime(shown["Closure"].at_risk_on)
		self.assertLess(now, closure_risk)
		self.assertLess(closure_risk, closure_due)
		# the first reply (capped by the customer) is the case's deadline
		case = frappe.db.get_value(
			"Customer Complaint", doc.name, ["due_by", "due_stage", "sla_next_on"], as_dict=True
		)
		self.assertEqual(
			(get_datetime(case.due_by), case.due_stage), (get_datetime(first.due_on), "First Reply")
		)

		# the complaint repeats each stage's state (SLA Performance counts it)
		self.assertEqual(
			frappe.db.get_value("Customer Complaint", doc.name, ["first_reply_sla", "closure_sla"]),
			("At Risk", "On Track"),
		)

		run_sweep(now=get_datetime(first.due_on))
		self.assertEqual(frappe.db.get_value("Service SLA Clock", first.name, "state"), "Breached")
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "first_reply_sla"), "Breached")
		# overdue: the breached stage stays the deadline the agent works to
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "due_stage"), "First Reply")
		# the derived clock moves on at its at-risk and due instants, one microsecond late, not early
		for at, state in (
			(closure_risk - timedelta(microseconds=1), "On Track"),
			(closure_risk, "At Risk"),
			(closure_due - timedelta(microseconds=1), "At Risk"),
			(closure_due, "Breached"),
		):
			run_sweep(now=at)
			self.assertEqual(frappe.db.get_value("Service SLA Clock", closure.name, "state"), state)
			next_on = get_datetime(frappe.db.get_value("Customer Complaint", doc.name, "sla_next_on"))
			self.assertTrue(next_on is None or next_on > at)
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "sla_state"), "Breached")

	def test_a_save_never_deletes_by_range_in_the_clock_and_pause_tables(self):
		"""The range delete Frappe runs on each child table locks the gap after the case's rows,
		on which two saves of the newest cases deadlock; the clock and pause rows are only ever
		added or updated, so a save runs no such delete on them (and keeps every row)."""
		doc = make_complaint()
		doc.status = "Awaiting Customer"
		with patch.object(frappe.db, "sql", wraps=frappe.db.sql) as sql:
			doc.save()
		deletes = [
			str(call.args[0])
			for call in sql.call_args_list
			if call.args and str(call.args[0]).lstrip().upper().startswith("DELETE")
		]
		self.assertFalse([q for q in deletes if "Service SLA" in q], deletes)
		self.assertEqual(len(doc.sla_pauses), 1)
		self.assertEqual(frappe.db.count("Service SLA Pause", {"parent": doc.name}), 1)
		self.assertEqual(frappe.db.count("Service SLA Clock", {"parent": doc.name}), 4)

	def test_the_lists_deadline_filters_and_queue_as_an_agent_runs_them(self):
		"""The filters the list's presets and My Queue send (``frappe.get_list`` as the desk's
		reportview does), as a Customer Service User: overdue, due today, mine, soonest first."""
		from frappe.desk.form.assign_to import add as assign

		now = now_datetime()
		overdue = make_complaint(received_on=now - timedelta(hours=60), description="overdue")
		fresh = make_complaint(received_on=now - timedelta(minutes=5), description="fresh")
		waiting = make_complaint(received_on=now - timedelta(hours=2), description="waiting")
		waiting.status = "Awaiting Customer"
		waiting.save()
		self.assertIsNone(waiting.due_by)  # held by the pause before any stage ran out: no deadline
		for doc in (overdue, fresh):
			assign({"assign_to": [CS_USER], "doctype": "Customer Complaint", "name": doc.name})
		frappe.set_user(CS_USER)

		def names(filters, order_by="due_by asc"):
			return frappe.get_list("Customer Complaint", filters=filters, order_by=order_by, pluck="name")

		late = names([["due_by", "<", now], ["due_stage", "is", "set"]])
		self.assertIn(overdue.name, late)
		self.assertNotIn(fresh.name, late)
		self.assertNotIn(waiting.name, late)
		# fresh: first reply due in 48 h, so not today; overdue: its deadline has passed already
		self.assertNotIn(fresh.name, names([["due_by", "Timespan", "today"]]))
		self.assertIn(fresh.name, names([["due_by", "Timespan", "next 7 days"]]))
		queue = names(
			[
				["_assign", "like", f"%{CS_USER}%"],
				["status", "not in", ["Closed", "Cancelled"]],
				["due_by", "is", "set"],
			]
		)
		self.assertEqual([n for n in queue if n in (overdue.name, fresh.name)], [overdue.name, fresh.name])
		self.assertNotIn(waiting.name, queue)

	def test_the_sweep_and_the_recompute_run_twice_write_nothing_the_second_time(self):
		from service_control.service_control.sla import review

		now = now_datetime()
		make_complaint(received_on=now - timedelta(hours=60), description="twice")
		writes = []
		upsert = review._upsert

		def counted(doctype, columns, rows):
			writes.append((doctype, len(rows)))
			return upsert(doctype, columns, rows)

		with patch.object(review, "_upsert", counted), patch("frappe.publish_progress"):
			run_sweep(now=now)
			self.assertTrue(writes)  # the first run had work: the complaint fell due
			writes.clear()
			run_sweep(now=now)
			self.assertEqual(writes, [])
			recompute_open_clocks(now=now)
			writes.clear()
			recompute_open_clocks(now=now)
			self.assertEqual(writes, [])

	def test_a_holiday_after_every_deadline_of_a_case_reviews_nothing_of_it(self):
		doc = make_complaint()
		last = frappe.db.get_value("Customer Complaint", doc.name, "sla_last_due")
		shown = as_form_loads("Customer Complaint", doc.name).sla_clocks
		self.assertEqual(get_datetime(last), max(get_datetime(c.due_on) for c in shown))
		with patch("frappe.publish_progress"):
			self.assertEqual(recompute_open_clocks(since=get_datetime(last).date() + timedelta(days=400)), 0)
			self.assertGreaterEqual(recompute_open_clocks(since=get_datetime(last).date()), 1)

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
		# as if the sweep had marked the clock Breached before the holiday was known: the recompute
		# must lower the clock and the complaint's list-view state again
		frappe.db.sql(
			"update `tabService SLA Clock` set state = 'Breached' where parent = %s and stage = 'Resolution'",
			doc.name,
		)
		doc.db_set("sla_state", "Breached", update_modified=False)

		with patch("frappe.publish_progress") as progress:
			self.assertGreaterEqual(recompute_open_clocks(holiday_list.name), 1)
		# no clock here stores a working-hour deadline: the job ends at once, and says so
		self.assertEqual(progress.call_args.args[0], 100)

		# a derived clock: nothing stored moved, the form shows the deadline on the new calendar
		self.assertIsNone(
			frappe.db.get_value("Service SLA Clock", {"parent": doc.name, "stage": "Resolution"}, "due_on")
		)
		shown = {c.stage: c for c in as_form_loads("Customer Complaint", doc.name).sla_clocks}
		due_after = get_datetime(shown["Resolution"].due_on)
		calendar = WorkingCalendar.from_rows(
			[(r.weekday, r.from_time, r.to_time) for r in settings.working_hours], [holiday]
		)
		self.assertGreater(due_after, due_before)
		states = frappe.get_all("Service SLA Clock", filters={"parent": doc.name}, pluck="state")
		self.assertEqual(
			frappe.db.get_value("Customer Complaint", doc.name, "sla_state"), overall_state(states)
		)
		self.assertNotEqual(overall_state(states), "Breached")
		self.assertEqual(
			due_after, calendar.add(received, timedelta(hours=clocks["Resolution"].allowance_hours))
		)
		# calendar-hour clocks do not move
		self.assertEqual(get_datetime(shown["First Reply"].due_on), reply_before)

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


class TestComplaintAudit(FrappeTestCase):
	"""Every bad input of the issue refused with nothing saved; Critical informs the management
	representative; escalation by level and delay from settings; the Workflow by role."""

	def setUp(self):
		make_user(CS_USER, ["Customer Service User"])
		make_user(QM_USER, ["Quality Manager"])
		make_user(GM_USER, ["General Manager"])
		make_user(MR_USER, ["Quality Manager"])
		make_item()
		make_item("_Test SC Item 2")
		make_item(SERIAL_ITEM, has_serial_no=1)
		make_customer()
		make_customer(OTHER_CUSTOMER)
		self.addCleanup(frappe.clear_document_cache, "Service Control Settings", "Service Control Settings")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	# ---- helpers --------------------------------------------------------------------------

	def _serial_no(self, serial_no: str, item_code: str, customer: str | None = None) -> str:
		if not frappe.db.exists("Serial No", serial_no):
			frappe.get_doc({"doctype": "Serial No", "serial_no": serial_no, "item_code": item_code}).insert(
				ignore_permissions=True
			)
		frappe.db.set_value("Serial No", serial_no, "customer", customer)
		return serial_no

	def _settings(self, **values):
		settings = frappe.get_single("Service Control Settings")
		settings.update(values)
		settings.flags.ignore_permissions = True
		settings.save()
		frappe.clear_document_cache("Service Control Settings", "Service Control Settings")
		return settings

	def _answered(self, responsibility="Customer", **kwargs):
		doc = make_complaint(**kwargs)
		doc.investigation_owner = CS_USER
		doc.arrangement_plan = "Inspect the returned sample"
		doc.status = "Investigating"
		doc.save()
		doc.responsibility = responsibility
		if responsibility == "Company":
			doc.append("containment_actions", {"action": "Sort the stock", "action_type": "Temporary"})
		doc.answer_method, doc.reply, doc.replied_on = "Phone", "Parts replaced", now_datetime()
		doc.status = "Answered"
		doc.save()
		return doc

	def _clock(self, doc, stage: str):
		return frappe.db.get_value(
			"Service SLA Clock",
			{"parent": doc.name, "stage": stage},
			["state", "escalated_level", "due_on"],
			as_dict=True,
		)

	def _logs(self, doc, level: int) -> list:
		return frappe.get_all(
			"Service Escalation Log",
			filters={"reference_name": doc.name, "level": level},
			fields=["stage", "status", "recipients"],
		)

	def _notified(self, doc, user: str) -> int:
		"""System notifications (the assignment that comes with an escalation adds its own)."""
		return frappe.db.count(
			"Notification Log", {"document_name": doc.name, "for_user": user, "type": "Alert"}
		)

	# ---- bad input: a clear error and nothing saved -----------------------------------------

	def test_every_bad_registration_is_refused_and_nothing_saved(self):
		own_dn = make_delivery_note(make_customer(), "_Test SC Item", qty=5)
		other_dn = make_delivery_note(OTHER_CUSTOMER, "_Test SC Item", qty=5)
		own_si = make_sales_invoice(make_customer(), "_Test SC Item", qty=5)
		other_si = make_sales_invoice(OTHER_CUSTOMER, "_Test SC Item", qty=5)
		other_item_serial = self._serial_no("_TEST-SC-SN-ITEM", SERIAL_ITEM)
		other_customer_serial = self._serial_no("_TEST-SC-SN-CUST", SERIAL_ITEM, OTHER_CUSTOMER)
		received = now_datetime() - timedelta(hours=2)
		cases = [
			("received in the future", {"received_on": now_datetime() + timedelta(days=1)}, "in the future"),
			(
				"deadline before receipt",
				{"received_on": received, "customer_deadline": received - timedelta(hours=1)},
				"deadline",
			),
			(
				"invoice of another customer",
				{"sales_invoice": other_si.name, "item_code": "_Test SC Item"},
				OTHER_CUSTOMER,
			),
			(
				"invoice without the item",
				{"sales_invoice": own_si.name, "item_code": "_Test SC Item 2"},
				"has no item",
			),
			(
				"delivery of another customer",
				{"delivery_note": other_dn.name, "item_code": "_Test SC Item"},
				OTHER_CUSTOMER,
			),
			(
				"delivery without the item",
				{"delivery_note": own_dn.name, "item_code": "_Test SC Item 2"},
				"has no item",
			),
			(
				"serial no of another item",
				{"serial_no": other_item_serial, "item_code": "_Test SC Item"},
				"is of item",
			),
			(
				"serial no of another customer",
				{"serial_no": other_customer_serial, "item_code": SERIAL_ITEM},
				"was delivered to",
			),
			("negative quantity", {"affected_qty": -1}, "greater than zero"),
			(
				"more than delivered",
				{"delivery_note": own_dn.name, "item_code": "_Test SC Item", "affected_qty": 6},
				"more than",
			),
			(
				"more than invoiced",
				{"sales_invoice": own_si.name, "item_code": "_Test SC Item", "affected_qty": 5.5},
				"more than",
			),
			("supplier responsibility without supplier", {"responsibility": "Supplier"}, "supplier"),
		]
		count = frappe.db.count("Customer Complaint")
		for label, kwargs, message in cases:
			with self.subTest(label), self.assertRaises(frappe.ValidationError) as ctx:
				make_complaint(**kwargs)
			self.assertIn(message, str(ctx.exception), label)
		self.assertEqual(frappe.db.count("Customer Complaint"), count)
		# the same documents are accepted when they fit
		ok = make_complaint(
			delivery_note=own_dn.name,
			sales_invoice=own_si.name,
			item_code="_Test SC Item",
			affected_qty=5,
			responsibility="Supplier",
			supplier=make_supplier(),
		)
		self.assertEqual(frappe.db.get_value("Customer Complaint", ok.name, "affected_qty"), 5)

	def test_bad_status_changes_are_refused_and_nothing_saved(self):
		doc = make_complaint()
		# closing without an answer
		doc.status = "Closed"
		with self.assertRaises(InvalidTransitionError):
			doc.save()
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "status"), "Open")
		# confirming before answering
		doc.reload()
		doc.satisfaction = "Satisfied"
		with self.assertRaises(ComplaintValidationError) as ctx:
			doc.save()
		self.assertIn("answer", str(ctx.exception))
		self.assertFalse(frappe.db.get_value("Customer Complaint", doc.name, "satisfaction"))
		# Supplier responsibility without a supplier on an existing complaint
		doc.reload()
		doc.responsibility = "Supplier"
		with self.assertRaises(ComplaintValidationError):
			doc.save()
		self.assertFalse(frappe.db.get_value("Customer Complaint", doc.name, "responsibility"))

	def test_closing_needs_a_confirmation_or_unreachable_with_a_reason(self):
		doc = self._answered()
		doc.status = "Closed"
		with self.assertRaises(InvalidTransitionError):
			doc.save()  # no confirmation
		doc.reload()
		doc.satisfaction = "Unreachable"
		doc.status = "Closed"
		with self.assertRaises(InvalidTransitionError) as ctx:
			doc.save()
		self.assertIn("unreachable", str(ctx.exception))
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "status"), "Answered")
		self.assertFalse(frappe.db.get_value("Customer Complaint", doc.name, "satisfaction"))
		doc.reload()
		doc.satisfaction = "Unreachable"
		doc.satisfaction_comment = "Three calls and two e-mails over a week, no answer"
		doc.status = "Closed"
		doc.save()
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "status"), "Closed")
		self.assertEqual(
			frappe.db.get_value("Service SLA Clock", {"parent": doc.name, "stage": "Closure"}, "state"),
			"Met",
		)

	def test_editing_a_closed_complaint_saves_nothing_and_is_tracked(self):
		doc = self._answered()
		doc.satisfaction = "Satisfied"
		doc.status = "Closed"
		doc.save()
		frappe.set_user(QM_USER)
		doc = frappe.get_doc("Customer Complaint", doc.name)
		doc.remedy_requested = "Refund"
		with self.assertRaises(ComplaintValidationError):
			doc.save()
		self.assertFalse(frappe.db.get_value("Customer Complaint", doc.name, "remedy_requested"))
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Customer Complaint", doc.name)
		doc.remedy_requested = "Refund"
		doc.change_reason = "The customer's request was left out at registration"
		doc.save(ignore_version=False)  # tests skip versions unless asked
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "remedy_requested"), "Refund")
		versions = frappe.get_all(
			"Version", filters={"ref_doctype": "Customer Complaint", "docname": doc.name}, pluck="data"
		)
		self.assertTrue(
			any("remedy_requested" in data and "change_reason" in data for data in versions), versions
		)

	# ---- Critical complaints inform the management representative ---------------------------

	def test_critical_complaint_informs_the_management_representative_once(self):
		self._settings(management_representative=MR_USER)
		minor = make_complaint(severity="Minor")
		self.assertEqual(self._notified(minor, MR_USER), 0)
		critical = make_complaint(severity="Critical")
		self.assertEqual(self._notified(critical, MR_USER), 1)
		critical.remedy_requested = "Replace the batch"
		critical.save()
		self.assertEqual(self._notified(critical, MR_USER), 1)  # not again on a later save
		minor.severity = "Critical"
		minor.save()  # assessed Critical later
		self.assertEqual(self._notified(minor, MR_USER), 1)

	# ---- escalation levels from settings ----------------------------------------------------

	def _escalation_settings(self, gm_delay_hours: float = 6):
		self._settings(
			at_risk_percent=75,
			escalation_levels=[
				{"level": 1, "trigger": "At Risk", "delay_hours": 0, "notify_owner": 1},
				{"level": 2, "trigger": "Breached", "delay_hours": 0, "role": "Quality Manager"},
				{
					"level": 3,
					"trigger": "Breached",
					"delay_hours": gm_delay_hours,
					"role": "General Manager",
					"immediate_for_critical": 1,
				},
			],
		)

	def test_escalation_reaches_each_level_once_with_the_delay_from_settings(self):
		self._escalation_settings(gm_delay_hours=6)
		now = now_datetime()
		# Urgent: arrangement due 24 h after receipt, so breached 3 hours ago
		doc = make_complaint(received_on=now - timedelta(hours=27), urgency="Urgent")
		doc.db_set("investigation_owner", CS_USER)
		run_sweep(now=now)
		self.assertEqual(self._clock(doc, "Arrangement").state, "Breached")
		level1, level2 = self._logs(doc, 1), self._logs(doc, 2)
		self.assertEqual([log.stage for log in level1], ["Arrangement"])
		self.assertEqual(level1[0].recipients, CS_USER)  # the owner
		self.assertEqual([log.stage for log in level2], ["Arrangement"])
		self.assertIn(QM_USER, level2[0].recipients.split("\n"))
		self.assertNotIn(GM_USER, level2[0].recipients.split("\n"))
		self.assertFalse(self._logs(doc, 3))  # the General Manager only 6 h after the breach
		self.assertEqual(self._notified(doc, GM_USER), 0)
		self.assertEqual(self._clock(doc, "Arrangement").escalated_level, 2)
		qm_notes = self._notified(doc, QM_USER)
		self.assertEqual(qm_notes, 1)

		# four hours later: 7 h after the breach
		later = now + timedelta(hours=4)
		run_sweep(now=later)
		level3 = self._logs(doc, 3)
		self.assertEqual([log.stage for log in level3], ["Arrangement"])
		self.assertIn(GM_USER, level3[0].recipients.split("\n"))
		self.assertNotIn(QM_USER, level3[0].recipients.split("\n"))
		self.assertEqual(self._notified(doc, GM_USER), 1)
		self.assertEqual(self._notified(doc, QM_USER), qm_notes)

		# a further sweep notifies nobody
		logs = frappe.db.count("Service Escalation Log", {"reference_name": doc.name})
		notes = frappe.db.count("Notification Log", {"document_name": doc.name})
		todos = frappe.db.count("ToDo", {"reference_name": doc.name})
		again = run_sweep(now=later)
		self.assertEqual(again["notified"], 0)
		self.assertEqual(frappe.db.count("Service Escalation Log", {"reference_name": doc.name}), logs)
		self.assertEqual(frappe.db.count("Notification Log", {"document_name": doc.name}), notes)
		self.assertEqual(frappe.db.count("ToDo", {"reference_name": doc.name}), todos)

	def test_critical_complaint_reaches_the_general_manager_at_once(self):
		self._escalation_settings(gm_delay_hours=24)
		now = now_datetime()
		normal = make_complaint(received_on=now - timedelta(hours=25), urgency="Urgent")
		critical = make_complaint(
			received_on=now - timedelta(hours=25), urgency="Urgent", severity="Critical"
		)
		run_sweep(now=now)
		self.assertFalse(self._logs(normal, 3))
		self.assertTrue(self._logs(normal, 2))
		level3 = self._logs(critical, 3)
		self.assertEqual([log.stage for log in level3], ["Arrangement"])
		self.assertIn(GM_USER, level3[0].recipients.split("\n"))
		self.assertEqual(self._notified(critical, GM_USER), 1)
		run_sweep(now=now + timedelta(hours=30))  # past the delay too: still once per stage
		self.assertEqual([log.stage for log in self._logs(critical, 3)].count("Arrangement"), 1)
		self.assertEqual(
			frappe.db.count(
				"Notification Log",
				{
					"document_name": critical.name,
					"for_user": GM_USER,
					"type": "Alert",
					"subject": ("like", "%Arrangement%"),
				},
			),
			1,
		)

	def test_at_risk_notifies_only_the_owner(self):
		self._escalation_settings()
		now = now_datetime()
		# Normal: reply and arrangement due after 48 h, at risk after 36 h
		doc = make_complaint(received_on=now - timedelta(hours=40))
		doc.db_set("investigation_owner", CS_USER)
		frappe.db.sql(
			"""update `tabService SLA Clock` set state = 'On Track'
			where parent = %s and state = 'At Risk'""",
			doc.name,
		)
		doc.db_set("sla_state", "On Track")
		stats = run_sweep(now=now)
		self.assertGreaterEqual(stats["at_risk"], 2)
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "sla_state"), "At Risk")
		self.assertEqual({log.stage for log in self._logs(doc, 1)}, {"First Reply", "Arrangement"})
		self.assertTrue(all(log.recipients == CS_USER for log in self._logs(doc, 1)))
		self.assertFalse(self._logs(doc, 2))
		self.assertEqual(self._notified(doc, QM_USER), 0)
		self.assertTrue(frappe.db.exists("ToDo", {"reference_name": doc.name, "allocated_to": CS_USER}))

	# ---- Workflow transitions by role --------------------------------------------------------

	def test_resume_goes_back_to_where_the_complaint_paused(self):
		from frappe.model.workflow import apply_workflow

		from service_control.patches import complaint_resume_to_open

		complaint_resume_to_open.execute()  # a no-op where the workflow has the transition already
		waiting_first = make_complaint()  # no investigation owner yet
		frappe.set_user(CS_USER)
		apply_workflow(frappe.get_doc("Customer Complaint", waiting_first.name), "Wait for Customer")
		doc = apply_workflow(frappe.get_doc("Customer Complaint", waiting_first.name), "Resume")
		self.assertEqual((doc.status, doc.paused_from), ("Open", "Open"))
		self.assertTrue(all(p.resumed_on for p in doc.sla_pauses))
		self.assertNotIn("Paused", {c.state for c in doc.sla_clocks})

		# paused during the investigation: Resume goes back to it, and Open is refused
		frappe.set_user("Administrator")
		investigating = make_complaint()
		investigating.investigation_owner = QM_USER
		investigating.status = "Investigating"
		investigating.save()
		frappe.set_user(CS_USER)
		apply_workflow(frappe.get_doc("Customer Complaint", investigating.name), "Wait for Customer")
		frappe.set_user("Administrator")
		back_to_open = frappe.get_doc("Customer Complaint", investigating.name)
		back_to_open.status = "Open"
		with self.assertRaisesRegex(InvalidTransitionError, "from Investigating: it resumes there"):
			back_to_open.save()
		frappe.set_user(CS_USER)
		doc = apply_workflow(frappe.get_doc("Customer Complaint", investigating.name), "Resume")
		self.assertEqual(doc.status, "Investigating")
		transitions = frappe.get_all(
			"Workflow Transition",
			filters={"parent": "Customer Complaint", "state": "Awaiting Customer"},
			fields=["action", "next_state"],
			as_list=True,
		)
		self.assertEqual(
			sorted(transitions),
			[
				("Cancel", "Cancelled"),
				("Resume", "Investigating"),
				("Resume", "Open"),
				("Start Investigation", "Investigating"),
			],
		)

	def test_workflow_gives_each_action_to_its_role(self):
		from frappe.model.workflow import WorkflowTransitionError, apply_workflow

		self.assertTrue(frappe.db.get_value("Workflow", "Customer Complaint", "is_active"))
		doc = make_complaint()
		doc.db_set({"investigation_owner": CS_USER, "arrangement_plan": "Test the sample"})

		frappe.set_user(CS_USER)
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(frappe.get_doc("Customer Complaint", doc.name), "Start Investigation")
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "status"), "Open")

		frappe.set_user(QM_USER)
		apply_workflow(frappe.get_doc("Customer Complaint", doc.name), "Start Investigation")
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "status"), "Investigating")

		# a Company-responsibility complaint: Customer Service answers, only Quality closes
		frappe.set_user("Administrator")
		doc.reload()
		doc.responsibility = "Company"
		doc.append("containment_actions", {"action": "Sort the stock", "action_type": "Temporary"})
		doc.answer_method, doc.reply, doc.replied_on = "Phone", "Parts replaced", now_datetime()
		doc.save()
		frappe.set_user(CS_USER)
		apply_workflow(frappe.get_doc("Customer Complaint", doc.name), "Send Answer")
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "status"), "Answered")

		# the core guard holds whatever the workflow allows: no closing without a confirmation
		frappe.set_user(QM_USER)
		with self.assertRaises(InvalidTransitionError):
			apply_workflow(frappe.get_doc("Customer Complaint", doc.name), "Close")
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "status"), "Answered")

		frappe.set_user("Administrator")
		frappe.db.set_value(
			"Customer Complaint", doc.name, {"satisfaction": "Satisfied", "confirmed_on": now_datetime()}
		)
		frappe.set_user(CS_USER)
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(frappe.get_doc("Customer Complaint", doc.name), "Close")
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "status"), "Answered")
		frappe.set_user(QM_USER)
		apply_workflow(frappe.get_doc("Customer Complaint", doc.name), "Close")
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "status"), "Closed")

	def test_customer_service_closes_a_complaint_the_company_is_not_responsible_for(self):
		from frappe.model.workflow import apply_workflow

		doc = self._answered(responsibility="Customer")
		frappe.db.set_value(
			"Customer Complaint", doc.name, {"satisfaction": "Satisfied", "confirmed_on": now_datetime()}
		)
		frappe.set_user(CS_USER)
		apply_workflow(frappe.get_doc("Customer Complaint", doc.name), "Close")
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "status"), "Closed")

	def test_migrate_keeps_an_edited_workflow_and_restores_a_missing_one(self):
		from service_control.setup.workflows import create_missing_workflows

		def allowed(action):
			return frappe.get_all(
				"Workflow Transition",
				filters={"parent": "Customer Complaint", "action": action},
				pluck="allowed",
			)

		# the rollback restores the rows; caches outside the database are cleared afterwards
		self.addCleanup(frappe.clear_cache, doctype="Customer Complaint")
		self.addCleanup(frappe.clear_document_cache, "Workflow", "Customer Complaint")
		workflow = frappe.get_doc("Workflow", "Customer Complaint")
		for row in workflow.transitions:
			if row.action == "Start Investigation":
				row.allowed = "Customer Service User"
		workflow.save()
		create_missing_workflows()  # what install and migrate run
		# from Open and from a pause before the investigation
		self.assertEqual(allowed("Start Investigation"), ["Customer Service User"] * 2)

		frappe.delete_doc("Workflow", "Customer Complaint", force=True)
		create_missing_workflows()
		self.assertEqual(allowed("Start Investigation"), ["Quality Manager"] * 2)
		self.assertTrue(frappe.db.get_value("Workflow", "Customer Complaint", "is_active"))

	def test_holiday_list_edit_queues_a_recompute_of_the_changed_days(self):
		from unittest.mock import patch

		start = now_datetime().date()
		holiday_list = frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": "_Test SC Audit Holidays",
				"from_date": start,
				"to_date": start + timedelta(days=365),
			}
		).insert()
		with patch("service_control.overrides.holiday_list.frappe.enqueue") as enqueue:
			holiday_list.description = "no date changed"
			holiday_list.save()
			enqueue.assert_not_called()
			holiday = start + timedelta(days=10)
			holiday_list.append("holidays", {"holiday_date": holiday, "description": "Audit"})
			holiday_list.save()
		enqueue.assert_called_once()
		args, kwargs = enqueue.call_args
		self.assertEqual(args[0], "service_control.service_control.sla.recompute.recompute_open_clocks")
		self.assertEqual(kwargs["queue"], "long")
		self.assertEqual((kwargs["holiday_list"], kwargs["since"]), (holiday_list.name, holiday))
		self.assertIn(str(holiday), kwargs["job_id"])


def stale_working_hour_clock(doc, stage: str = "Resolution") -> dict:
	"""Put one stage of ``doc`` on working hours, its deadline stale as a calendar change
	leaves it. The case paused for no time at all, so the clock stores its deadline (a clock
	with no pause derives it) and the deadline is still the plain working-time one."""
	paused = get_datetime(doc.received_on) + timedelta(minutes=1)
	frappe.get_doc(
		doctype="Service SLA Pause",
		parent=doc.name,
		parenttype="Customer Complaint",
		parentfield="sla_pauses",
		paused_on=paused,
		resumed_on=paused,
	).db_insert()
	frappe.db.sql(
		"""update `tabService SLA Clock`
		set basis = 'Working Hours', derived = 0, due_on = start_on + interval 1 hour
		where parent = %s and stage = %s""",
		(doc.name, stage),
	)
	return frappe.db.get_value(
		"Service SLA Clock",
		{"parent": doc.name, "stage": stage},
		["name", "start_on", "allowance_hours", "due_on"],
		as_dict=True,
	)


class TestRecomputeJob(FrappeTestCase):
	"""The calendar-change recompute as the background job runs it: on its own connection,
	committing each batch, without overwriting what a concurrent save wrote."""

	def setUp(self):
		make_item()
		make_customer()

	def tearDown(self):
		frappe.db.rollback()

	def _working_hour_clock(self, doc, stage: str = "Resolution") -> dict:
		return stale_working_hour_clock(doc, stage)

	def _calendar_due(self, clock) -> object:
		from service_control.utils import clear_calendar_cache, get_working_calendar

		clear_calendar_cache()
		return get_working_calendar(TEST_COMPANY).add(
			get_datetime(clock.start_on), timedelta(hours=clock.allowance_hours)
		)

	def test_recompute_job_commits_each_batch_and_restores_the_isolation_level(self):
		doc = make_complaint(description="recompute job test")
		clock = self._working_hour_clock(doc)
		frappe.db.commit()  # as a job starts: nothing uncommitted on this connection
		self.addCleanup(self._delete_committed, doc.name)

		self.assertGreaterEqual(recompute_open_clocks(batch_size=1), 1)

		self.assertEqual(frappe.db.transaction_writes, 0)  # every batch committed
		frappe.db.rollback()  # a rollback here cannot undo a committed batch
		due = get_datetime(frappe.db.get_value("Service SLA Clock", clock.name, "due_on"))
		self.assertEqual(due, self._calendar_due(clock))
		self.assertNotEqual(due, get_datetime(clock.due_on))
		case = frappe.db.get_value("Customer Complaint", doc.name, ["due_by", "due_stage"], as_dict=True)
		self.assertEqual(case.due_stage, "First Reply")  # 48 calendar hours, before the resolution
		isolation = frappe.db.sql("select @@session.tx_isolation")[0][0]
		self.assertEqual(isolation, "REPEATABLE-READ")  # the session is as Frappe left it

	def _delete_committed(self, name: str) -> None:
		frappe.db.rollback()
		for table in frappe.get_meta("Customer Complaint").get_table_fields():
			frappe.db.delete(table.options, {"parent": name, "parenttype": "Customer Complaint"})
		for doctype, field in (
			("Version", "docname"),
			("Comment", "reference_name"),
			("ToDo", "reference_name"),
			("Notification Log", "document_name"),
			("Service Escalation Log", "reference_name"),
			("Email Queue", "reference_name"),
		):
			frappe.db.delete(doctype, {field: name})
		frappe.db.delete("Customer Complaint", {"name": name})
		frappe.db.commit()

	def test_sweep_skips_a_case_being_saved_and_takes_it_next_time(self):
		"""A case whose row a save holds is skipped, not waited for (``for update skip locked``);
		the other cases are reviewed, and the skipped one on the next run."""
		import threading

		held = make_complaint(received_on=now_datetime() - timedelta(hours=60), description="held")
		free = make_complaint(received_on=now_datetime() - timedelta(hours=60), description="free")
		names = (held.name, free.name)
		frappe.db.sql("update `tabService SLA Clock` set state = 'On Track' where parent in %s", [names])
		frappe.db.commit()
		for name in names:
			self.addCleanup(self._delete_committed, name)

		locked, release = threading.Event(), threading.Event()
		site, sites_path = frappe.local.site, frappe.local.sites_path

		def saving():
			frappe.init(site, sites_path=sites_path)
			frappe.connect()
			try:
				frappe.db.sql(
					"select name from `tabCustomer Complaint` where name = %s for update", held.name
				)
				locked.set()
				release.wait(60)
				frappe.db.rollback()
			finally:
				frappe.destroy()

		thread = threading.Thread(target=saving)
		thread.start()
		try:
			self.assertTrue(locked.wait(30))
			run_sweep()
		finally:
			release.set()
			thread.join(60)

		def states(name):
			return set(frappe.get_all("Service SLA Clock", filters={"parent": name}, pluck="state"))

		frappe.db.rollback()
		self.assertIn("Breached", states(free.name))
		self.assertEqual(states(held.name), {"On Track"})
		run_sweep()
		frappe.db.rollback()
		self.assertIn("Breached", states(held.name))

	def test_a_batch_that_loses_a_deadlock_is_reviewed_again(self):
		from service_control.service_control.sla.review import ReviewJob

		doc = make_complaint(received_on=now_datetime() - timedelta(hours=60), description="retried")
		frappe.db.sql("update `tabService SLA Clock` set state = 'On Track' where parent = %s", doc.name)
		frappe.db.commit()
		self.addCleanup(self._delete_committed, doc.name)
		review, calls = ReviewJob.review, []

		def deadlocked_once(job, parenttype, names):
			calls.append(list(names))
			if len(calls) == 1:
				frappe.db.sql("update `tabService SLA Clock` set state = 'Met' where parent = %s", doc.name)
				raise frappe.QueryDeadlockError("Deadlock found when trying to get lock")
			return review(job, parenttype, names)

		with patch.object(ReviewJob, "review", deadlocked_once):
			stats = run_sweep()
		self.assertGreaterEqual(len(calls), 2)
		self.assertIn(doc.name, calls[1])  # claimed again after the rollback
		self.assertGreaterEqual(stats["breached"], 1)
		frappe.db.rollback()
		states = set(frappe.get_all("Service SLA Clock", filters={"parent": doc.name}, pluck="state"))
		self.assertIn("Breached", states)
		self.assertNotIn("Met", states)  # the lost attempt's write was rolled back with it

	def test_putting_the_newest_cases_on_hold_at_once_never_deadlocks(self):
		"""Each user puts their own complaint (the newest ones) on hold and resumes it, all at the
		same moment, three times: every save succeeds, each complaint has its pause rows."""
		from service_control.tests.concurrency import errors, run_concurrently

		users = [make_user(f"sc.hold{i}@example.com", ["Customer Service User"]) for i in range(4)]
		docs = [make_complaint(description=f"hold {i}") for i in range(4)]
		frappe.db.commit()
		for doc in docs:
			self.addCleanup(self._delete_committed, doc.name)
		mine = dict(zip(users, (doc.name for doc in docs), strict=True))

		def toggle(status):
			def action():
				doc = frappe.get_doc("Customer Complaint", mine[frappe.session.user])
				doc.status = status
				doc.save()

			return action

		for _round in range(3):
			for status in ("Awaiting Customer", "Open"):
				self.assertEqual(errors(run_concurrently(toggle(status), users)), [])
		frappe.db.rollback()
		for doc in docs:
			self.assertEqual(frappe.db.count("Service SLA Pause", {"parent": doc.name}), 3)

	def test_a_recompute_whose_connection_is_reset_leaves_whole_batches_and_a_rerun_finishes(self):
		"""MariaDB drops the job's connection in its second batch: the first batch stays, the
		second is rolled back whole (no clock of it moved without its case), and a rerun ends the
		job."""
		from service_control.service_control.sla.review import ReviewJob

		docs = [make_complaint(description=f"reset {i}") for i in range(2)]
		clocks = [self._working_hour_clock(doc) for doc in docs]
		frappe.db.commit()
		for doc in docs:
			self.addCleanup(self._delete_committed, doc.name)
		by_name = dict(zip((doc.name for doc in docs), clocks, strict=True))
		first, second = (by_name[name] for name in sorted(by_name))  # the keyset's order
		write_clocks = ReviewJob._write_clocks

		def reset_in_second_batch(job, rows):
			if second.name in {row[0] for row in rows}:
				frappe.db.sql("kill connection connection_id()")
			return write_clocks(job, rows)

		def due(clock):
			return get_datetime(frappe.db.get_value("Service SLA Clock", clock.name, "due_on"))

		with patch.object(ReviewJob, "_write_clocks", reset_in_second_batch), self.assertRaises(Exception):
			recompute_open_clocks(batch_size=1, companies=[TEST_COMPANY])
		frappe.connect()  # a new connection, as the next job gets
		self.assertEqual(due(first), self._calendar_due(first))  # committed before the reset
		self.assertEqual(due(second), get_datetime(second.due_on))  # rolled back with its batch
		self.assertGreaterEqual(recompute_open_clocks(batch_size=1, companies=[TEST_COMPANY]), 2)
		frappe.db.rollback()
		self.assertEqual(due(second), self._calendar_due(second))

	def test_a_sweep_that_dies_mid_batch_writes_nothing_of_it_and_the_next_run_does_it(self):
		from service_control.service_control.sla.review import ReviewJob

		doc = make_complaint(received_on=now_datetime() - timedelta(hours=60), description="crash")
		frappe.db.sql("update `tabService SLA Clock` set state = 'On Track' where parent = %s", doc.name)
		frappe.db.commit()
		self.addCleanup(self._delete_committed, doc.name)

		def crash(job, parenttype, rows):
			raise SystemExit("worker killed")

		with patch.object(ReviewJob, "_write_cases", crash), self.assertRaises(SystemExit):
			run_sweep()
		frappe.db.rollback()
		states = set(frappe.get_all("Service SLA Clock", filters={"parent": doc.name}, pluck="state"))
		self.assertEqual(states, {"On Track"})  # the clock writes before the crash went with it
		self.assertFalse(frappe.db.exists("Service Escalation Log", {"reference_name": doc.name}))
		self.assertEqual(
			frappe.db.sql("select @@session.tx_isolation")[0][0], "REPEATABLE-READ"
		)  # the job's session was put back
		run_sweep()
		frappe.db.rollback()
		states = set(frappe.get_all("Service SLA Clock", filters={"parent": doc.name}, pluck="state"))
		self.assertIn("Breached", states)
		self.assertTrue(frappe.db.exists("Service Escalation Log", {"reference_name": doc.name}))

	def test_a_save_killed_midway_leaves_no_pause_without_its_status(self):
		"""The connection of a save that puts a complaint on hold dies after the pause row is
		written: nothing of the save stays (no open pause on a complaint that is not waiting)."""
		doc = make_complaint(description="killed mid-save")
		frappe.db.commit()
		self.addCleanup(self._delete_committed, doc.name)
		doc = frappe.get_doc("Customer Complaint", doc.name)
		doc.status = "Awaiting Customer"

		def killed(self_doc, *args, **kwargs):
			frappe.db.sql("kill connection connection_id()")

		with patch.object(type(doc), "on_update", killed), self.assertRaises(Exception):
			doc.save()
		frappe.connect()
		self.assertEqual(frappe.db.get_value("Customer Complaint", doc.name, "status"), "Open")
		self.assertEqual(frappe.db.count("Service SLA Pause", {"parent": doc.name}), 0)


class TestCompanyPolicy(FrappeTestCase):
	"""Working hours, SLA targets and escalation levels of one company of the group: its complaints
	follow its own policy, every other company's keep the default one."""

	#: The other company works 08:00-20:00 every day and counts its targets in working hours.
	OTHER_WEEK = [
		(day, "08:00:00", "20:00:00")
		for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
	]
	OTHER_TARGETS = {
		("Urgent", "First Reply"): 2,
		("Urgent", "Arrangement"): 4,
		("Urgent", "Resolution"): 8,
		("Urgent", "Closure"): 16,
		("Normal", "First Reply"): 4,
		("Normal", "Arrangement"): 8,
		("Normal", "Resolution"): 16,
		("Normal", "Closure"): 40,
	}

	def setUp(self):
		make_item()
		make_customer()
		make_company(OTHER_COMPANY, OTHER_ABBR)
		make_user(CS_USER, ["Customer Service User"])
		make_user(QM_USER, ["Quality Manager"])
		make_user(GM_USER, ["General Manager"])

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.clear_document_cache("Service Control Settings", "Service Control Settings")
		clear_calendar_cache()

	def _policy(self, hours: bool = True, targets: bool = True, levels: list[dict] | None = None):
		"""Give the other company its own week, targets and (given) escalation levels."""
		settings = frappe.get_single("Service Control Settings")
		if hours:
			for day, start, end in self.OTHER_WEEK:
				settings.append(
					"working_hours",
					{"for_company": OTHER_COMPANY, "weekday": day, "from_time": start, "to_time": end},
				)
		if targets:
			for (urgency, stage), allowance in self.OTHER_TARGETS.items():
				settings.append(
					"sla_targets",
					{
						"for_company": OTHER_COMPANY,
						"document_type": "Customer Complaint",
						"urgency": urgency,
						"stage": stage,
						"hours": allowance,
						"basis": "Working Hours",
					},
				)
		for row in levels or []:
			settings.append("escalation_levels", {"for_company": OTHER_COMPANY, **row})
		with patch("frappe.enqueue"):  # the recompute a week change queues is tested on its own
			settings.save()
		frappe.clear_document_cache("Service Control Settings", "Service Control Settings")
		clear_calendar_cache()
		return settings

	def _other_calendar(self) -> WorkingCalendar:
		return WorkingCalendar.from_rows(self.OTHER_WEEK, get_holidays(get_holiday_list(OTHER_COMPANY)))

	def test_each_company_gets_deadlines_from_its_own_policy(self):
		self._policy()
		received = now_datetime().replace(microsecond=0) - timedelta(hours=1)
		own = make_complaint(received_on=received, urgency="Urgent")
		other = make_complaint(received_on=received, urgency="Urgent", company=OTHER_COMPANY)

		# the default policy: calendar hours (urgent arrangement 24 h)
		own_clocks = {c.stage: c for c in as_form_loads("Customer Complaint", own.name).sla_clocks}
		self.assertEqual(own_clocks["Arrangement"].basis, "Calendar Hours")
		self.assertEqual(get_datetime(own_clocks["Arrangement"].due_on), received + timedelta(hours=24))
		# the other company's: its own allowances in its own working hours
		other_clocks = {c.stage: c for c in as_form_loads("Customer Complaint", other.name).sla_clocks}
		calendar = self._other_calendar()
		for (urgency, stage), allowance in self.OTHER_TARGETS.items():
			if urgency != "Urgent":
				continue
			clock = other_clocks[stage]
			self.assertEqual(
				(clock.basis, clock.allowance_hours, clock.company),
				("Working Hours", allowance, OTHER_COMPANY),
			)
			self.assertEqual(
				get_datetime(clock.due_on), calendar.add(received, timedelta(hours=allowance)), stage
			)
		# the other company's week is not the default one, and the default week did not change
		self.assertIsNot(get_working_calendar(OTHER_COMPANY), get_working_calendar(TEST_COMPANY))
		default_week = frappe.get_all(
			"Service Working Hours",
			filters={"parent": "Service Control Settings", "for_company": ("is", "not set")},
			fields=["weekday", "from_time", "to_time"],
		)
		start = now_datetime().replace(microsecond=0)
		self.assertEqual(
			get_working_calendar(TEST_COMPANY).add(start, timedelta(hours=30)),
			WorkingCalendar.from_rows(
				[(r.weekday, r.from_time, r.to_time) for r in default_week],
				get_holidays(get_holiday_list(TEST_COMPANY)),
			).add(start, timedelta(hours=30)),
		)
		# moved to the other company, a complaint takes that company's policy on its next save
		own.company = OTHER_COMPANY
		own.save()
		moved = {c.stage: c for c in own.sla_clocks}
		self.assertEqual(
			(moved["Arrangement"].basis, moved["Arrangement"].allowance_hours), ("Working Hours", 4)
		)

	def test_sweep_moves_a_derived_clock_at_its_companys_thresholds(self):
		self._policy()
		received = now_datetime().replace(microsecond=0) - timedelta(hours=1)
		other = make_complaint(received_on=received, urgency="Urgent", company=OTHER_COMPANY)
		own = make_complaint(received_on=received, urgency="Urgent")
		clock = frappe.db.get_value(
			"Service SLA Clock",
			{"parent": other.name, "stage": "Arrangement"},
			["name", "derived"],
			as_dict=True,
		)
		self.assertTrue(clock.derived)
		due, at_risk = derived_deadlines(
			self._other_calendar(), received, timedelta(hours=4), at_risk_share()
		)
		self.assertLess(due, received + timedelta(hours=24) * at_risk_share())  # before the default's
		for at, state in (
			(at_risk - timedelta(microseconds=1), "On Track"),
			(at_risk, "At Risk"),
			(due - timedelta(microseconds=1), "At Risk"),
			(due, "Breached"),
		):
			run_sweep(now=at)
			self.assertEqual(frappe.db.get_value("Service SLA Clock", clock.name, "state"), state, at)
		# the same stage of the default company's complaint, received together: still on track
		self.assertEqual(
			frappe.db.get_value("Service SLA Clock", {"parent": own.name, "stage": "Arrangement"}, "state"),
			"On Track",
		)

	def test_working_hours_change_recomputes_only_that_companys_clocks(self):
		# both companies count the resolution in working hours, each on its own week
		settings = self._policy(targets=False)
		for row in settings.sla_targets:
			if row.document_type == "Customer Complaint" and row.stage == "Resolution":
				row.basis = "Working Hours"
		with patch("frappe.enqueue"):
			settings.save()
		frappe.clear_document_cache("Service Control Settings", "Service Control Settings")
		clear_calendar_cache()
		received = now_datetime().replace(microsecond=0) - timedelta(hours=1)
		own = make_complaint(received_on=received)
		other = make_complaint(received_on=received, company=OTHER_COMPANY)
		own_clock = stale_working_hour_clock(own)
		other_clock = stale_working_hour_clock(other)

		# the default week changes: each day's last interval ends 30 minutes later
		settings = frappe.get_single("Service Control Settings")
		for day in {r.weekday for r in settings.working_hours if not r.for_company}:
			last = max(
				(r for r in settings.working_hours if not r.for_company and r.weekday == day),
				key=lambda r: r.to_time,
			)
			last.to_time = str(last.to_time + timedelta(minutes=30))
		path = "service_control.service_control.doctype.service_control_settings.service_control_settings.frappe.enqueue"
		with patch(path) as enqueue:
			settings.save()
		enqueue.assert_called_once()
		companies = enqueue.call_args.kwargs["companies"]
		self.assertIn(TEST_COMPANY, companies)
		self.assertNotIn(OTHER_COMPANY, companies)
		frappe.clear_document_cache("Service Control Settings", "Service Control Settings")

		# the job as queued: the default company's clock moves to the new week, the other's not
		with patch("frappe.publish_progress"):
			self.assertGreaterEqual(recompute_open_clocks(companies=companies), 1)
		clear_calendar_cache()
		own_due = get_datetime(frappe.db.get_value("Service SLA Clock", own_clock.name, "due_on"))
		self.assertEqual(
			own_due,
			get_working_calendar(TEST_COMPANY).add(
				get_datetime(own_clock.start_on), timedelta(hours=own_clock.allowance_hours)
			),
		)
		self.assertNotEqual(own_due, get_datetime(own_clock.due_on))
		self.assertEqual(
			get_datetime(frappe.db.get_value("Service SLA Clock", other_clock.name, "due_on")),
			get_datetime(other_clock.due_on),
		)

	def test_escalation_levels_per_company(self):
		settings = frappe.get_single("Service Control Settings")
		settings.escalation_levels = []
		for row in (
			{"level": 1, "trigger": "At Risk", "delay_hours": 0, "notify_owner": 1},
			{"level": 2, "trigger": "Breached", "delay_hours": 0, "role": "Quality Manager"},
			# the other company: one level, its General Manager as soon as a stage is breached
			{"for_company": OTHER_COMPANY, "level": 1, "trigger": "Breached", "role": "General Manager"},
		):
			settings.append("escalation_levels", row)
		settings.save()
		frappe.clear_document_cache("Service Control Settings", "Service Control Settings")
		now = now_datetime()
		# urgent arrangement due 24 h after receipt (the default targets for both): breached 3 h ago
		own = make_complaint(received_on=now - timedelta(hours=27), urgency="Urgent")
		other = make_complaint(received_on=now - timedelta(hours=27), urgency="Urgent", company=OTHER_COMPANY)
		for doc in (own, other):
			doc.db_set("investigation_owner", CS_USER)
		run_sweep(now=now)

		def logs(doc) -> dict[int, list[str]]:
			return {
				log.level: log.recipients.split("\n")
				for log in frappe.get_all(
					"Service Escalation Log",
					filters={"reference_name": doc.name, "stage": "Arrangement"},
					fields=["level", "recipients"],
				)
			}

		own_logs, other_logs = logs(own), logs(other)
		self.assertEqual(set(own_logs), {1, 2})
		self.assertEqual(own_logs[1], [CS_USER])
		self.assertIn(QM_USER, own_logs[2])
		# the other company's one level: its General Manager, neither the owner nor quality
		self.assertEqual(set(other_logs), {1})
		self.assertIn(GM_USER, other_logs[1])
		self.assertNotIn(CS_USER, other_logs[1])
		self.assertNotIn(QM_USER, other_logs[1])
		# a second sweep adds nothing
		count = frappe.db.count("Service Escalation Log", {"reference_name": ("in", [own.name, other.name])})
		run_sweep(now=now)
		self.assertEqual(
			frappe.db.count("Service Escalation Log", {"reference_name": ("in", [own.name, other.name])}),
			count,
		)
