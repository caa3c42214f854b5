# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import json
from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime, now_datetime
from frappe.website.doctype.web_form.web_form import accept

from service_control.exceptions import ComplaintValidationError
from service_control.service_control.doctype.customer_complaint.portal import (
	default_company,
	get_portal_link_options,
)
from service_control.tests.utils import (
	TEST_IGNORE,
	make_complaint,
	make_customer,
	make_delivery_note,
	make_item,
	make_user,
)

test_ignore = TEST_IGNORE

PORTAL_USER = "sc.portal.form@example.com"
OWN = "_Test SC Portal Own"
OTHER = "_Test SC Portal Other"
ITEM = "_Test SC Portal Item"
WEB_FORM = "submit-complaint"


class TestPortalComplaint(FrappeTestCase):
	def setUp(self):
		make_customer(OWN)
		make_customer(OTHER)
		make_item(ITEM)
		make_user(PORTAL_USER, ["Customer"], user_type="Website User")
		customer = frappe.get_doc("Customer", OWN)
		if PORTAL_USER not in {row.user for row in customer.portal_users}:
			customer.append("portal_users", {"user": PORTAL_USER})
			customer.save(ignore_permissions=True)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def submit(self, **data):
		frappe.set_user(PORTAL_USER)
		return accept(WEB_FORM, json.dumps({"description": "Motor hums loudly", **data}, default=str))

	def test_web_form_matches_portal_menu(self):
		web_form = frappe.get_doc("Web Form", WEB_FORM)
		self.assertEqual(web_form.route, "complaints")
		self.assertTrue(web_form.login_required)
		routes = {item["route"] for item in frappe.get_hooks("standard_portal_menu_items")}
		self.assertIn("/" + web_form.route, routes)
		self.assertNotIn("customer", {f.fieldname for f in web_form.web_form_fields})

	def test_portal_submission_is_filed_for_own_customer(self):
		before = now_datetime() - timedelta(seconds=5)
		doc = self.submit(item_code=ITEM, remedy_requested="Replace the motor", customer=OTHER)
		self.assertEqual(doc.customer, OWN)
		self.assertEqual(doc.channel, "Portal")
		self.assertEqual(doc.status, "Open")
		self.assertEqual(doc.company, default_company())
		self.assertTrue(doc.company)
		self.assertGreaterEqual(get_datetime(doc.received_on), before)
		self.assertEqual(doc.contact_email, PORTAL_USER)
		self.assertEqual(len(doc.sla_clocks), 4)  # the desk's validate ran: clocks started
		self.assertEqual(doc.owner, PORTAL_USER)

	def test_a_deadline_one_minute_away_from_the_portal_sets_no_alarm(self):
		"""A customer cannot set the company's alarms: a requested deadline that leaves less than
		the minimum lead (4 working hours by default) is recorded as requested and caps nothing
		until customer service accepts it, and a request cannot carry its own acceptance."""
		from service_control.service_control.sla.sweep import review_due

		soon = now_datetime() + timedelta(minutes=1)
		doc = self.submit(customer_deadline=soon, accepted_deadline=soon)
		self.assertEqual(get_datetime(doc.customer_deadline), get_datetime(soon))
		self.assertIsNone(doc.accepted_deadline)
		first = next(c for c in doc.sla_clocks if c.stage == "First Reply")
		self.assertNotEqual(get_datetime(first.due_on or doc.due_by), get_datetime(soon))
		self.assertGreater(get_datetime(doc.due_by), soon + timedelta(hours=1))

		frappe.set_user("Administrator")
		review_due(soon + timedelta(minutes=5))
		self.assertNotEqual(frappe.db.get_value("Customer Complaint", doc.name, "sla_state"), "Breached")
		self.assertFalse(frappe.db.exists("Service Escalation Log", {"reference_name": doc.name}))

	def test_a_portal_user_cannot_accept_their_own_deadline(self):
		from service_control.service_control.doctype.customer_complaint.customer_complaint import (
			accept_requested_deadline,
		)

		doc = self.submit(customer_deadline=now_datetime() + timedelta(minutes=1))
		frappe.set_user(PORTAL_USER)
		with self.assertRaises(frappe.PermissionError):
			accept_requested_deadline(doc.name)
		frappe.set_user("Administrator")
		self.assertIsNone(frappe.db.get_value("Customer Complaint", doc.name, "accepted_deadline"))

	def test_another_customer_is_refused_or_overridden(self):
		frappe.set_user(PORTAL_USER)
		foreign = frappe.get_doc(
			{
				"doctype": "Customer Complaint",
				"customer": OTHER,
				"description": "Not mine",
				"channel": "Phone",
			}
		)
		self.assertRaises(frappe.PermissionError, foreign.insert)
		# without a permission check (as the web form inserts), the controller overrides it
		overridden = frappe.get_doc(
			{
				"doctype": "Customer Complaint",
				"customer": OTHER,
				"description": "Still not mine",
				"investigation_owner": "Administrator",
				"received_on": now_datetime() - timedelta(days=30),
			}
		).insert(ignore_permissions=True)
		self.assertEqual(overridden.customer, OWN)
		self.assertIsNone(overridden.investigation_owner)
		self.assertGreater(get_datetime(overridden.received_on), now_datetime() - timedelta(minutes=1))
		# with no customer at all the permission check lets the controller fill it in
		plain = frappe.get_doc({"doctype": "Customer Complaint", "description": "Third try"}).insert()
		self.assertEqual(plain.customer, OWN)

	def test_portal_input_is_validated_like_desk(self):
		dn = make_delivery_note(OTHER, ITEM, qty=2)
		with self.assertRaisesRegex(ComplaintValidationError, "belongs to customer"):
			self.submit(delivery_note=dn.name, item_code=ITEM)
		with self.assertRaisesRegex(ComplaintValidationError, "deadline"):
			self.submit(customer_deadline=str(now_datetime() - timedelta(days=2)))
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Customer Complaint", {"customer": OWN, "channel": "Portal"}))

	def test_portal_user_lists_only_own_complaints(self):
		own = make_complaint(customer=OWN)
		other = make_complaint(customer=OTHER)
		mine = self.submit()
		frappe.set_user(PORTAL_USER)
		names = set(frappe.get_list("Customer Complaint", pluck="name"))
		self.assertEqual(names & {own.name, other.name, mine.name}, {own.name, mine.name})
		from frappe.www.list import get_list_data

		listed = {row.name for row in get_list_data("Customer Complaint", web_form_name=WEB_FORM, limit=100)}
		self.assertIn(mine.name, listed)
		self.assertNotIn(other.name, listed)
		self.assertFalse(frappe.has_permission("Customer Complaint", doc=other.name, ptype="read"))

	def test_link_options_are_the_customers_own_documents(self):
		own_dn = make_delivery_note(OWN, ITEM, qty=1)
		other_dn = make_delivery_note(OTHER, ITEM, qty=1)
		frappe.set_user(PORTAL_USER)
		options = get_portal_link_options()
		notes = {o["value"] for o in options["delivery_note"]}
		self.assertIn(own_dn.name, notes)
		self.assertNotIn(other_dn.name, notes)
		self.assertIn(ITEM, {o["value"] for o in options["item_code"]})
		frappe.set_user("Administrator")  # not a portal user: offered nothing
		self.assertEqual(get_portal_link_options()["delivery_note"], [])
