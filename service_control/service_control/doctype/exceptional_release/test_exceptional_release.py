# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import now_datetime

from erpnext.controllers.stock_controller import (
	QualityInspectionRejectedError,
	QualityInspectionRequiredError,
)

from service_control.exceptions import ServiceControlValidationError
from service_control.service_control.doctype.exceptional_release.exceptional_release import (
	make_exceptional_release,
)
from service_control.service_control.report.exceptionally_released_goods.exceptionally_released_goods import (
	execute as released_goods,
)
from service_control.tests.delivery_factories import (
	CS,
	INSPECTED,
	QM,
	UNIT,
	draft_delivery,
	make_delivery_masters,
	receive,
)
from service_control.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE

#: ERPNext's own inspection settings: stop a delivery without a submitted, accepted inspection.
STOP = {
	"action_if_quality_inspection_is_not_submitted": "Stop",
	"action_if_quality_inspection_is_rejected": "Stop",
	"allow_to_make_quality_inspection_after_purchase_or_delivery": 0,
}


def request_release(dn_name: str, user: str = CS, **kwargs):
	frappe.set_user(user)
	try:
		doc = make_exceptional_release(dn_name)
		doc.update(
			{
				"reason": "Line stopped at the customer; inspection report due tomorrow",
				"consent_given_by": "Li Na, plant manager",
				"consent_on": now_datetime(),
				"consent_method": "E-mail",
				**kwargs,
			}
		)
		return doc.insert()
	finally:
		frappe.set_user("Administrator")


def approve(doc, user: str = QM):
	frappe.set_user(user)
	try:
		doc = frappe.get_doc("Exceptional Release", doc.name)
		doc.submit()
		return doc
	finally:
		frappe.set_user("Administrator")


def reject_inspection(dn):
	qi = frappe.get_doc(
		{
			"doctype": "Quality Inspection",
			"inspection_type": "Outgoing",
			"reference_type": "Delivery Note",
			"reference_name": dn.name,
			"child_row_reference": dn.items[0].name,
			"item_code": dn.items[0].item_code,
			"sample_size": 1,
			"inspected_by": "Administrator",
			"manual_inspection": 1,
			"status": "Rejected",
		}
	).insert()
	qi.submit()
	dn.reload()
	return qi


class TestExceptionalRelease(FrappeTestCase):
	def setUp(self):
		make_delivery_masters()

	def tearDown(self):
		frappe.set_user("Administrator")

	@change_settings("Stock Settings", STOP)
	def test_missing_inspection_stops_the_delivery_until_a_release_is_approved(self):
		serials = receive(INSPECTED, 2)
		dn = draft_delivery(INSPECTED, serials)
		self.assertRaises(QualityInspectionRequiredError, dn.submit)
		dn.reload()
		release = request_release(dn.name)
		self.assertEqual(release.requested_by, CS)
		self.assertEqual(
			[(r.item_code, r.inspection_status) for r in release.items], [(INSPECTED, "Missing")]
		)
		self.assertRaises(QualityInspectionRequiredError, dn.submit)  # a draft release is not an approval
		dn.reload()
		release = approve(release)
		self.assertEqual(release.approved_by, QM)

		dn.submit()
		self.assertEqual(dn.sc_exceptional_release, release.name)
		self.assertFalse(dn.items[0].get("is_scrap_item"))  # the in-memory pass is gone
		# the stock ledger is the usual one: two units out of the store at their value
		sle = frappe.get_all(
			"Stock Ledger Entry",
			filters={"voucher_type": "Delivery Note", "voucher_no": dn.name, "is_cancelled": 0},
			fields=["item_code", "actual_qty", "stock_value_difference"],
		)
		self.assertEqual(
			[(e.item_code, e.actual_qty, e.stock_value_difference) for e in sle], [(INSPECTED, -2, -1000)]
		)
		for serial in serials:
			self.assertEqual(frappe.db.get_value("Serial No", serial, "status"), "Delivered")

		# listed for recall or replacement, serial by serial
		_columns, data = released_goods({"company": dn.company, "item_code": INSPECTED})[:2]
		listed = {(r["serial_no"], r["delivery_note"], r["exceptional_release"]) for r in data}
		self.assertLessEqual({(s, dn.name, release.name) for s in serials}, listed)

		# the record of the release stays while the delivery stands
		self.assertRaisesRegex(
			ServiceControlValidationError, "cancel the Delivery Note first", release.cancel
		)
		dn.cancel()
		release.reload()
		release.cancel()

	@change_settings("Stock Settings", STOP)
	def test_rejected_inspection_needs_the_release_too(self):
		dn = draft_delivery(INSPECTED, receive(INSPECTED, 1))
		reject_inspection(dn)
		self.assertRaises(QualityInspectionRejectedError, dn.submit)
		dn.reload()
		release = request_release(dn.name)
		self.assertEqual(release.items[0].inspection_status, "Rejected")
		self.assertEqual(release.items[0].quality_inspection, dn.items[0].quality_inspection)
		approve(release)
		dn.submit()
		self.assertEqual(dn.docstatus, 1)

	@change_settings("Stock Settings", STOP)
	def test_a_row_changed_after_the_approval_is_not_released(self):
		serials = receive(INSPECTED, 2)
		dn = draft_delivery(INSPECTED, serials[:1])
		approve(request_release(dn.name))
		dn.reload()
		dn.items[0].qty = 2
		dn.items[0].serial_no = "\n".join(serials)
		dn.save()
		self.assertRaises(QualityInspectionRequiredError, dn.submit)

	def test_only_another_quality_manager_approves(self):
		dn = draft_delivery(INSPECTED, receive(INSPECTED, 1))
		release = request_release(dn.name)
		frappe.set_user(CS)
		self.assertRaises(frappe.PermissionError, frappe.get_doc("Exceptional Release", release.name).submit)
		frappe.set_user("Administrator")
		release.delete()
		own = request_release(dn.name, user=QM)
		frappe.set_user(QM)
		doc = frappe.get_doc("Exceptional Release", own.name)
		self.assertRaisesRegex(ServiceControlValidationError, "other than its requester", doc.submit)
		self.assertEqual(frappe.db.get_value("Exceptional Release", own.name, "docstatus"), 0)

	def test_bad_input_is_refused_and_nothing_written(self):
		dn = draft_delivery(INSPECTED, receive(INSPECTED, 1))
		first = request_release(dn.name)
		self.assertRaisesRegex(ServiceControlValidationError, first.name, request_release, dn.name)
		# an item that needs no inspection needs no release
		plain = draft_delivery(UNIT)
		self.assertRaisesRegex(ServiceControlValidationError, "Name the goods", request_release, plain.name)
		# serials not on the delivery
		other = receive(INSPECTED, 1)
		frappe.set_user(CS)
		doc = make_exceptional_release(dn.name)
		frappe.set_user("Administrator")
		first.delete()
		doc.update(
			{"reason": "x", "consent_given_by": "y", "consent_on": now_datetime(), "consent_method": "Phone"}
		)
		doc.items[0].serial_no = other[0]
		self.assertRaisesRegex(ServiceControlValidationError, other[0], doc.insert)
		# a delivery already submitted is past the point of release
		submitted = draft_delivery(UNIT)
		submitted.submit()
		self.assertRaisesRegex(
			ServiceControlValidationError, "already submitted", make_exceptional_release, submitted.name
		)
		self.assertEqual(
			frappe.db.count(
				"Exceptional Release", {"delivery_note": ("in", [dn.name, plain.name, submitted.name])}
			),
			0,
		)
