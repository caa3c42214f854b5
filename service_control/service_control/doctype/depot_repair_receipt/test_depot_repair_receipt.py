# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from service_control.exceptions import ServiceControlValidationError
from service_control.service_control.depot import make_shipment
from service_control.tests.depot_factories import (
	CS,
	LOGISTICS,
	SALES,
	company_stock,
	make_depot_masters,
	make_receipt,
	sent_in_unit,
	serial_history,
)
from service_control.tests.repair_factories import (
	TECH,
	UNIT_ITEM,
	delivered_unit,
	make_feedback,
	make_repair_request,
	mute_emails,
)
from service_control.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE


class TestDepotRepairReceipt(FrappeTestCase):
	def setUp(self):
		make_depot_masters()
		mute_emails(self)
		# a warranty period, so the test sees whether the depot cycle rewrites the warranty
		frappe.db.set_value("Item", UNIT_ITEM, "warranty_period", 365)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_depot_cycle_leaves_company_stock_and_serial_history_unchanged(self):
		serial, dn, request = sent_in_unit()
		history = serial_history(serial)
		self.assertEqual(
			(history.customer, history.status, history.warehouse), (dn.customer, "Delivered", None)
		)
		self.assertTrue(history.warranty_expiry_date)

		receipt = make_receipt(request)
		self.assertEqual(receipt.serial_no, serial)  # filled from the request
		before = company_stock()
		receipt.submit()
		self.assertEqual(company_stock(), before)
		self.assertEqual(serial_history(serial), history)
		self.assertEqual(frappe.db.get_value("Serial No", serial, "sc_service_status"), "In Repair")
		self.assertEqual(receipt.reload().status, "Received")
		for doctype in ("Stock Ledger Entry", "GL Entry"):
			self.assertFalse(frappe.db.exists(doctype, {"voucher_no": receipt.name}))

		make_feedback(request, submit=True)  # no parts: the repair itself moves no stock
		receipt.reload()
		self.assertEqual(receipt.status, "Repaired")
		self.assertTrue(receipt.repaired_on)

		shipment = make_shipment(receipt.name)
		shipment.update({"carrier": "SF Express", "tracking_no": "SF-BACK-1", "shipped_on": now_datetime()})
		shipment.insert()
		before = company_stock()
		shipment.submit()
		self.assertEqual(company_stock(), before)
		self.assertEqual(serial_history(serial), history)
		self.assertFalse(frappe.db.exists("Stock Ledger Entry", {"voucher_no": shipment.name}))
		self.assertEqual(frappe.db.get_value("Serial No", serial, "sc_service_status"), "In Use")
		receipt.reload()
		self.assertEqual((receipt.status, receipt.depot_repair_shipment), ("Shipped", shipment.name))

		shipment.delivered_on = now_datetime()
		shipment.received_by_customer = "Li Na"
		shipment.save()
		self.assertEqual(receipt.reload().status, "Delivered")
		self.assertEqual(shipment.status, "Delivered")
		html = frappe.get_print("Depot Repair Receipt", receipt.name, "Depot Repair Form")
		for text in ("送修/返修登记单", "Depot Repair Form", "Power adapter", "SF-BACK-1", "Li Na"):
			self.assertIn(text, html)

		# undone in order: the shipment back to the depot, then the receipt
		shipment.cancel()
		self.assertEqual(receipt.reload().status, "Repaired")
		self.assertEqual(frappe.db.get_value("Serial No", serial, "sc_service_status"), "In Repair")
		receipt.cancel()
		self.assertEqual(frappe.db.get_value("Serial No", serial, "sc_service_status"), "In Use")
		self.assertEqual(serial_history(serial), history)

	def test_logistics_from_another_region_uses_the_same_record(self):
		_serial, _dn, request = sent_in_unit()
		receipt = make_receipt(
			request, submit=True, arrival_mode="Logistics from Another Region", from_region="Chengdu"
		)
		self.assertEqual(receipt.status, "Received")
		self.assertRaisesRegex(
			ServiceControlValidationError,
			"carrier and the tracking number",
			make_receipt,
			make_repair_request(sent_in_unit()[0], sent_in=1),
			arrival_mode="Logistics from Another Region",
			tracking_no=None,
		)

	def test_serial_not_the_requests_is_refused_and_nothing_written(self):
		_serial, _dn, request = sent_in_unit()
		other_serial, _dn2, _si = delivered_unit()
		count = frappe.db.count("Depot Repair Receipt")
		self.assertRaisesRegex(
			ServiceControlValidationError,
			"is not the unit of repair request",
			make_receipt,
			request,
			serial_no=other_serial,
		)
		self.assertEqual(frappe.db.count("Depot Repair Receipt"), count)
		self.assertEqual(frappe.db.get_value("Serial No", other_serial, "sc_service_status"), "In Use")

	def test_request_not_sent_in_second_receipt_and_unit_already_in_the_depot_are_refused(self):
		serial, _dn, request = sent_in_unit()
		plain = make_repair_request(serial, technician=TECH)
		self.assertRaisesRegex(ServiceControlValidationError, "not marked Sent In", make_receipt, plain)
		first = make_receipt(request, submit=True)
		self.assertRaisesRegex(
			ServiceControlValidationError, "already has an open depot receipt", make_receipt, request
		)
		plain.sent_in = 1
		plain.save()
		self.assertRaisesRegex(
			ServiceControlValidationError,
			f"already in the depot: received by {first.name}",
			make_receipt,
			plain,
		)

	def test_group_or_foreign_warehouse_is_refused(self):
		_serial, _dn, request = sent_in_unit()
		group = frappe.db.get_value("Warehouse", {"is_group": 1, "company": request.company}, "name")
		self.assertRaisesRegex(
			frappe.ValidationError, "must be a warehouse", make_receipt, request, repair_warehouse=group
		)

	def test_permissions_sales_user_refused_logistics_and_customer_service_allowed(self):
		_serial, _dn, request = sent_in_unit()
		frappe.set_user(SALES)
		self.assertRaises(frappe.PermissionError, make_receipt, request)
		for user in (CS, LOGISTICS):
			frappe.set_user(user)
			receipt = make_receipt(request, received_by=user)
			receipt.submit()
			frappe.set_user("Administrator")
			receipt.cancel()
		frappe.set_user(TECH)
		self.assertRaises(frappe.PermissionError, make_receipt, request)
		self.assertTrue(frappe.has_permission("Depot Repair Receipt", "read", user=TECH))
