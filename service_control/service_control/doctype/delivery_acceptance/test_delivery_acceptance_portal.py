# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""The customer signs the acceptance on the portal: the page's own method, as the portal users."""

import frappe
import frappe.client
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from service_control.service_control.doctype.delivery_acceptance.delivery_acceptance import (
	make_delivery_acceptance,
)
from service_control.service_control.doctype.delivery_acceptance.portal import acceptances_of
from service_control.tests.delivery_factories import CS, delivery, make_delivery_masters
from service_control.tests.utils import TEST_IGNORE, make_customer, make_user

test_ignore = TEST_IGNORE

SIGN = "service_control.service_control.doctype.delivery_acceptance.portal.sign"
OWN = "_Test SC Acceptance Portal Own"
OTHER = "_Test SC Acceptance Portal Other"
OWN_USER = "sc.acceptance.own@example.com"
OTHER_USER = "sc.acceptance.other@example.com"
UNLINKED_USER = "sc.acceptance.nobody@example.com"
SIGNATURE = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def portal_user(user: str, customer: str | None) -> str:
	make_user(user, ["Customer"], user_type="Website User")
	if customer:
		doc = frappe.get_doc("Customer", make_customer(customer))
		if user not in {row.user for row in doc.portal_users}:
			doc.append("portal_users", {"user": user})
			doc.save(ignore_permissions=True)
	return user


class TestDeliveryAcceptancePortal(FrappeTestCase):
	def setUp(self):
		make_delivery_masters()
		portal_user(OWN_USER, OWN)
		portal_user(OTHER_USER, OTHER)
		portal_user(UNLINKED_USER, None)
		# customer service makes the draft on the desk from a real, submitted delivery
		self.dn, self.serials = delivery(qty=2, customer=make_customer(OWN))
		frappe.set_user(CS)
		self.acceptance = make_delivery_acceptance(self.dn.name).insert()
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def sign(self, user: str = OWN_USER, **kwargs):
		"""Post as the page does (frappe.call drops arguments the method does not take)."""
		frappe.set_user(user)
		args = {
			"name": self.acceptance.name,
			"result": "Accepted",
			"signer_name": "Zhang Wei",
			"signer_position": "Equipment manager",
			"signed_on": str(getdate()),
			"signature": SIGNATURE,
			"checklist": [{"name": r.name, "delivered": 1} for r in self.acceptance.checklist],
			**kwargs,
		}
		try:
			return frappe.call(SIGN, **args)
		finally:
			frappe.set_user("Administrator")

	def status(self) -> str:
		return frappe.db.get_value("Delivery Note", self.dn.name, "sc_acceptance_status")

	def test_portal_user_signs_and_the_delivery_status_follows(self):
		frappe.set_user(OWN_USER)
		self.assertIn(self.acceptance.name, {a.name for a in acceptances_of()})
		self.assertIn(self.acceptance.name, frappe.get_list("Delivery Acceptance", pluck="name"))
		self.assertEqual(
			frappe.client.get("Delivery Acceptance", self.acceptance.name)["delivery_note"], self.dn.name
		)
		self.assertEqual(self.status(), "Awaiting Acceptance")

		short = self.acceptance.checklist[1]  # two warranty cards required, one came
		checklist = [{"name": r.name, "delivered": 1} for r in self.acceptance.checklist]
		checklist[1] = {"name": short.name, "delivered": 1, "delivered_qty": 1, "remarks": "One card missing"}
		out = self.sign(result="Accepted with Remarks", remarks="Warranty card short", checklist=checklist)

		self.assertEqual(out["delivery_status"], "Accepted with Remarks")
		self.assertEqual(self.status(), "Accepted with Remarks")
		doc = frappe.get_doc("Delivery Acceptance", self.acceptance.name)
		self.assertEqual(doc.docstatus, 1)
		self.assertEqual(
			(doc.signer_name, doc.signer_position, doc.signature, doc.modified_by),
			("Zhang Wei", "Equipment manager", SIGNATURE, OWN_USER),
		)
		self.assertEqual(
			[(r.delivered, r.delivered_qty, r.remarks) for r in doc.checklist],
			[(1, 1, None), (1, 1, "One card missing"), (1, 2, None)],
		)
		# the desk's on_submit doc events ran too: the installed base dates the start of use
		self.assertEqual(
			getdate(frappe.db.get_value("Serial No", self.serials[0], "sc_in_use_since")), getdate()
		)

		# signed: read-only on the portal, nothing changes on a second post
		with self.assertRaisesRegex(frappe.ValidationError, "already signed"):
			self.sign(result="Rejected", remarks="Changed my mind")
		self.assertEqual(self.status(), "Accepted with Remarks")

	def test_the_desk_rules_apply_to_a_portal_signature(self):
		short = self.acceptance.checklist[1]
		checklist = [{"name": short.name, "delivered": 1, "delivered_qty": 1}]
		with self.assertRaisesRegex(frappe.ValidationError, "accept with remarks or reject"):
			self.sign(checklist=checklist)
		with self.assertRaisesRegex(frappe.ValidationError, "signature"):
			self.sign(signature="")
		with self.assertRaisesRegex(frappe.ValidationError, "signature pad"):
			self.sign(signature="javascript:alert(1)")
		self.assertEqual(frappe.db.get_value("Delivery Acceptance", self.acceptance.name, "docstatus"), 0)
		self.assertEqual(self.status(), "Awaiting Acceptance")

	def test_another_customers_user_and_an_unlinked_user_are_refused(self):
		for user in (OTHER_USER, UNLINKED_USER):
			with self.subTest(user=user):
				frappe.set_user(user)
				self.assertEqual(acceptances_of(), [])
				self.assertNotIn(self.acceptance.name, frappe.get_list("Delivery Acceptance", pluck="name"))
				self.assertNotIn(
					self.acceptance.name,
					{d["name"] for d in frappe.client.get_list("Delivery Acceptance", limit_page_length=0)},
				)
				self.assertRaises(
					frappe.PermissionError, frappe.client.get, "Delivery Acceptance", self.acceptance.name
				)
				self.assertRaises(frappe.PermissionError, self.sign, user=user)
				frappe.set_user("Administrator")
		self.assertRaises(frappe.PermissionError, self.sign, user=CS)  # desk users sign on the desk
		self.assertEqual(frappe.db.get_value("Delivery Acceptance", self.acceptance.name, "docstatus"), 0)
		self.assertEqual(self.status(), "Awaiting Acceptance")

	def test_portal_user_cannot_change_items_serials_or_the_delivery(self):
		other_dn, other_serials = delivery(qty=1, customer=OWN)
		before = frappe.get_doc("Delivery Acceptance", self.acceptance.name).as_dict()
		row = self.acceptance.items[0]
		frappe.set_user(OWN_USER)
		self.assertRaises(
			frappe.PermissionError,
			frappe.client.set_value,
			"Delivery Acceptance",
			self.acceptance.name,
			"delivery_note",
			other_dn.name,
		)
		self.assertRaises(
			frappe.PermissionError,
			frappe.client.set_value,
			"Delivery Acceptance Item",
			row.name,
			"serial_no",
			other_serials[0],
		)
		changed = frappe.client.get("Delivery Acceptance", self.acceptance.name)
		changed["items"][0]["serial_no"] = other_serials[0]
		self.assertRaises(frappe.PermissionError, frappe.client.save, changed)
		self.assertRaises(frappe.PermissionError, frappe.client.submit, changed)
		self.assertRaises(
			frappe.PermissionError,
			frappe.client.insert,
			{"doctype": "Delivery Acceptance", "delivery_note": other_dn.name},
		)
		frappe.set_user("Administrator")
		after = frappe.get_doc("Delivery Acceptance", self.acceptance.name).as_dict()
		self.assertEqual(after.modified, before.modified)
		self.assertEqual(after["items"][0]["serial_no"], before["items"][0]["serial_no"])
		self.assertFalse(frappe.db.exists("Delivery Acceptance", {"delivery_note": other_dn.name}))

		# the sign method takes the customer's part only: other fields and row keys are ignored
		with self.assertRaisesRegex(frappe.ValidationError, "not on this acceptance"):
			self.sign(checklist=[{"name": "not-a-row", "delivered": 1}])
		self.sign(
			delivery_note=other_dn.name,
			items=[{"item_code": row.item_code, "qty": 1, "serial_no": other_serials[0]}],
			checklist=[
				{"name": r.name, "delivered": 1, "document": "Nothing", "required_qty": 0}
				for r in self.acceptance.checklist
			],
		)
		doc = frappe.get_doc("Delivery Acceptance", self.acceptance.name)
		self.assertEqual(doc.delivery_note, self.dn.name)
		self.assertEqual(doc.items[0].serial_no, before["items"][0]["serial_no"])
		self.assertEqual([r.document for r in doc.checklist], [r["document"] for r in before["checklist"]])
		self.assertEqual(
			frappe.db.get_value("Delivery Note", other_dn.name, "sc_acceptance_status"), "Awaiting Acceptance"
		)

	def test_portal_page_and_menu(self):
		routes = {item["route"] for item in frappe.get_hooks("standard_portal_menu_items")}
		self.assertIn("/delivery-acceptance", routes)
		listed = self.page(OWN_USER)
		self.assertIn(self.acceptance.name, listed)
		page = self.page(OWN_USER, name=self.acceptance.name)
		self.assertIn(self.serials[0], page)
		self.assertIn('id="sc-acceptance-form"', page)
		for user in (OTHER_USER, UNLINKED_USER):
			self.assertNotIn(self.acceptance.name, self.page(user))
			page = self.page(user, name=self.acceptance.name)
			self.assertNotIn(self.serials[0], page)
			self.assertIn("not addressed to you", page)

	def page(self, user: str, **form_dict) -> str:
		"""The page /delivery-acceptance as ``user`` renders it (its body, for short failures)."""
		from frappe.website.serve import get_response_content

		frappe.set_user(user)
		frappe.local.form_dict = frappe._dict(form_dict)
		try:
			html = get_response_content("delivery-acceptance")
		finally:
			frappe.local.form_dict = frappe._dict()
			frappe.set_user("Administrator")
		return html[html.index('<div class="sc-acceptance"') : html.index('<div class="page-footer">')]
