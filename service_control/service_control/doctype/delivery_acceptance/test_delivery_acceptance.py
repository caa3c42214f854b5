# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.exceptions import ServiceControlValidationError
from service_control.service_control.doctype.delivery_acceptance.delivery_acceptance import (
	make_customer_complaint,
	make_delivery_acceptance,
)
from service_control.tests.delivery_factories import (
	CS,
	SALES,
	UNIT,
	delivery,
	draft_delivery,
	make_delivery_masters,
	signed,
)
from service_control.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE


def acceptance_count(delivery_note: str) -> int:
	return frappe.db.count("Delivery Acceptance", {"delivery_note": delivery_note})


class TestDeliveryAcceptance(FrappeTestCase):
	def setUp(self):
		make_delivery_masters()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_rows_serials_and_checklist_come_from_the_delivery_and_its_template(self):
		dn, serials = delivery(qty=2)
		self.assertEqual(
			frappe.db.get_value("Delivery Note", dn.name, "sc_acceptance_status"), "Awaiting Acceptance"
		)
		doc = make_delivery_acceptance(dn.name)
		self.assertEqual(doc.customer, dn.customer)
		self.assertEqual([(r.item_code, r.qty) for r in doc.items], [(UNIT, 2)])
		self.assertEqual(set(doc.items[0].serial_no.split("\n")), set(serials))
		# the item group's template: one manual per delivery, a warranty card and cable per unit
		self.assertEqual(
			{r.document: r.required_qty for r in doc.checklist},
			{"User manual": 1, "Warranty card": 2, "Power cable": 2},
		)
		doc.append(
			"checklist", {"document": "Test report (contract)", "category": "Document", "required_qty": 1}
		)
		for row in doc.checklist:
			row.delivered = 1
		doc.insert()
		self.assertEqual([r.delivered_qty for r in doc.checklist], [1, 2, 2, 1])

	def test_submit_sets_the_delivery_status_and_cancel_resets_it(self):
		for result, remarks in (("Accepted", None), ("Accepted with Remarks", "Cable box dented")):
			dn, _serials = delivery(qty=1)
			doc = make_delivery_acceptance(dn.name)
			for row in doc.checklist:
				row.delivered = 1
			signed(doc, result, remarks=remarks).insert()
			doc.submit()
			self.assertEqual(frappe.db.get_value("Delivery Note", dn.name, "sc_acceptance_status"), result)
			doc.cancel()
			self.assertEqual(
				frappe.db.get_value("Delivery Note", dn.name, "sc_acceptance_status"), "Awaiting Acceptance"
			)

	def test_short_checklist_cannot_be_plainly_accepted(self):
		dn, _serials = delivery(qty=2)
		doc = make_delivery_acceptance(dn.name)
		doc.checklist[1].delivered_qty = 1  # one warranty card of two
		signed(doc, "Accepted").insert()
		self.assertRaisesRegex(ServiceControlValidationError, "accept with remarks or reject", doc.submit)
		doc.reload()
		self.assertEqual(doc.docstatus, 0)
		self.assertEqual(
			frappe.db.get_value("Delivery Note", dn.name, "sc_acceptance_status"), "Awaiting Acceptance"
		)

	def test_submit_needs_the_signature(self):
		dn, _serials = delivery(qty=1)
		doc = make_delivery_acceptance(dn.name)
		for row in doc.checklist:
			row.delivered = 1
		signed(doc, "Accepted", signature=None).insert()
		self.assertRaisesRegex(ServiceControlValidationError, "signature", doc.submit)

	def test_rejection_opens_a_complaint_with_the_references(self):
		dn, serials = delivery(qty=1)
		doc = make_delivery_acceptance(dn.name)
		signed(doc, "Rejected", remarks="Housing cracked").insert()
		self.assertRaises(frappe.ValidationError, make_customer_complaint, doc.name)  # not submitted
		doc.submit()
		self.assertEqual(frappe.db.get_value("Delivery Note", dn.name, "sc_acceptance_status"), "Rejected")
		complaint = make_customer_complaint(doc.name)
		self.assertEqual(
			(complaint.customer, complaint.delivery_note, complaint.item_code, complaint.serial_no),
			(dn.customer, dn.name, UNIT, serials[0]),
		)
		complaint.insert()  # the complaint's own reference checks accept what was filled in
		self.assertEqual(complaint.status, "Open")

	def test_draft_or_cancelled_delivery_is_refused_and_nothing_written(self):
		draft = draft_delivery()
		self.assertRaisesRegex(
			ServiceControlValidationError, "not submitted", make_delivery_acceptance, draft.name
		)
		doc = frappe.get_doc({"doctype": "Delivery Acceptance", "delivery_note": draft.name})
		self.assertRaisesRegex(ServiceControlValidationError, "not submitted", doc.insert)
		self.assertEqual(acceptance_count(draft.name), 0)
		dn, _serials = delivery(qty=1)
		dn.cancel()
		self.assertRaisesRegex(
			ServiceControlValidationError, "is cancelled", make_delivery_acceptance, dn.name
		)
		# saving one is refused by Frappe's own link check first (a cancelled document cannot be linked)
		doc = frappe.get_doc({"doctype": "Delivery Acceptance", "delivery_note": dn.name})
		self.assertRaises(frappe.CancelledLinkError, doc.insert)
		self.assertEqual(acceptance_count(dn.name), 0)

	def test_serials_not_on_the_delivery_are_refused(self):
		dn, serials = delivery(qty=2)
		_other, other_serials = delivery(qty=1)
		doc = make_delivery_acceptance(dn.name)
		doc.items[0].serial_no = "\n".join([serials[0], other_serials[0]])
		self.assertRaisesRegex(ServiceControlValidationError, other_serials[0], doc.insert)
		doc.items[0].serial_no = serials[0]
		doc.items[0].qty = 3
		self.assertRaisesRegex(ServiceControlValidationError, "delivered, not 3", doc.insert)
		self.assertEqual(acceptance_count(dn.name), 0)

	def test_second_open_acceptance_of_a_delivery_is_refused(self):
		dn, _serials = delivery(qty=1)
		first = make_delivery_acceptance(dn.name).insert()
		second = make_delivery_acceptance(dn.name)
		self.assertRaisesRegex(ServiceControlValidationError, first.name, second.insert)
		self.assertEqual(acceptance_count(dn.name), 1)
		signed(first, "Rejected", remarks="Wrong voltage").submit()
		first.cancel()
		make_delivery_acceptance(dn.name).insert()  # a cancelled acceptance no longer counts

	def test_a_user_without_the_role_is_refused(self):
		dn, _serials = delivery(qty=1)
		frappe.set_user(SALES)
		self.assertRaises(frappe.PermissionError, make_delivery_acceptance(dn.name).insert)
		frappe.set_user(CS)
		make_delivery_acceptance(dn.name).insert()
