# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from service_control.exceptions import ServiceControlValidationError
from service_control.tests.depot_factories import (
	LOGISTICS,
	make_depot_masters,
	make_receipt,
	sent_in_unit,
)
from service_control.tests.repair_factories import TECH, make_feedback, make_repair_request, mute_emails
from service_control.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE


def new_shipment(request, **kwargs):
	return frappe.get_doc(
		{
			"doctype": "Depot Repair Shipment",
			"repair_request": request.name,
			"carrier": "SF Express",
			"tracking_no": "SF-BACK-" + frappe.generate_hash(length=6),
			"shipped_on": now_datetime(),
			**kwargs,
		}
	)


class TestDepotRepairShipment(FrappeTestCase):
	def setUp(self):
		make_depot_masters()
		mute_emails(self)

	def tearDown(self):
		frappe.set_user("Administrator")

	def assertRefused(self, pattern, doc):
		count = frappe.db.count("Depot Repair Shipment")
		self.assertRaisesRegex(ServiceControlValidationError, pattern, doc.insert)
		self.assertEqual(frappe.db.count("Depot Repair Shipment"), count)

	def test_unit_never_received_is_refused(self):
		_serial, _dn, request = sent_in_unit()
		make_feedback(request, submit=True)
		self.assertRefused("was never received", new_shipment(request))
		make_receipt(request)  # a draft receipt: the unit is not received yet
		self.assertRefused("was never received", new_shipment(request))

	def test_unit_received_by_another_request_is_refused(self):
		serial, _dn, request = sent_in_unit()
		make_receipt(request, submit=True)
		other = make_repair_request(serial, sent_in=1, technician=TECH)
		make_feedback(other, submit=True)
		self.assertRefused(f"for repair request {request.name}, not for {other.name}", new_shipment(other))

	def test_repair_not_finished_is_refused_unless_returned_unrepaired_with_a_reason(self):
		serial, _dn, request = sent_in_unit()
		receipt = make_receipt(request, submit=True)
		self.assertRefused("is not finished", new_shipment(request))
		make_feedback(request, submit=True, result="Not Fixed")
		self.assertRefused("is not finished", new_shipment(request))
		self.assertRefused("Give the reason", new_shipment(request, returned_unrepaired=1))
		doc = new_shipment(request, returned_unrepaired=1, unrepaired_reason="Spare part discontinued")
		doc.insert()
		doc.submit()
		self.assertEqual(receipt.reload().status, "Shipped")
		self.assertEqual(frappe.db.get_value("Serial No", serial, "sc_service_status"), "In Use")

	def test_one_shipment_per_receipt_and_dates_in_order(self):
		_serial, _dn, request = sent_in_unit()
		receipt = make_receipt(request, submit=True)
		make_feedback(request, submit=True)
		self.assertRefused(
			"before the unit was received",
			new_shipment(request, shipped_on=add_to_date(receipt.received_on, hours=-1)),
		)
		first = new_shipment(request)
		first.insert()
		self.assertRefused(
			f"already shipped back by {first.name}", new_shipment(request, depot_repair_receipt=receipt.name)
		)
		first.submit()
		first.delivered_on = add_to_date(first.shipped_on, hours=-1)
		first.received_by_customer = "Li Na"
		self.assertRaisesRegex(ServiceControlValidationError, "before the unit was shipped", first.save)
		self.assertEqual(receipt.reload().status, "Shipped")

	def test_technician_cannot_ship_logistics_can(self):
		_serial, _dn, request = sent_in_unit()
		make_receipt(request, submit=True)
		make_feedback(request, submit=True)
		frappe.set_user(TECH)
		self.assertRaises(frappe.PermissionError, new_shipment(request).insert)
		frappe.set_user(LOGISTICS)
		doc = new_shipment(request)
		doc.insert()
		doc.submit()
		self.assertEqual(doc.status, "Shipped")
