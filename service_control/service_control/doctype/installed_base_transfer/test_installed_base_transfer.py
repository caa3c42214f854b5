# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from service_control.exceptions import ServiceControlValidationError
from service_control.service_control.report.installed_base.installed_base import execute as installed_base
from service_control.tests.depot_factories import CS, SALES, make_depot_masters
from service_control.tests.repair_factories import (
	TECH,
	deliver_unit,
	delivered_unit,
	make_feedback,
	make_repair_request,
	mute_emails,
	receive_units,
	settle_compensation,
)
from service_control.tests.utils import (
	TEST_IGNORE,
	get_warehouse,
	make_customer,
	set_service_company_defaults,
)

test_ignore = TEST_IGNORE

DEALER = "_Test SC Customer"
END_USER = "_Test SC Other Customer"


def make_address(customer: str, title: str) -> str:
	name = frappe.db.get_value("Dynamic Link", {"link_name": customer, "parenttype": "Address"}, "parent")
	existing = frappe.db.get_value("Address", {"address_title": title}, "name")
	if existing and name:
		return existing
	return (
		frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": title,
				"address_type": "Shipping",
				"address_line1": title + " Road 1",
				"city": "Hangzhou",
				"country": "China",
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def placement(serial: str) -> tuple:
	values = frappe.db.get_value(
		"Serial No",
		serial,
		["sc_end_customer", "sc_site_address", "sc_service_status", "sc_in_use_since"],
	)
	return values[0], values[1], values[2], getdate(values[3]) if values[3] else None


def transfer(serial: str, to_customer: str, to_address: str | None = None, **kwargs):
	return frappe.get_doc(
		{
			"doctype": "Installed Base Transfer",
			"serial_no": serial,
			"to_customer": to_customer,
			"to_address": to_address,
			"transfer_date": getdate(),
			"reason": "Resold by the dealer",
			**kwargs,
		}
	)


class TestInstalledBaseTransfer(FrappeTestCase):
	def setUp(self):
		make_depot_masters()
		make_customer(DEALER)
		make_customer(END_USER)
		mute_emails(self)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_delivery_places_the_unit_and_its_cancel_removes_it(self):
		serial, dn, _si = delivered_unit(days_ago=5, customer=DEALER)
		self.assertEqual(
			placement(serial),
			(DEALER, dn.shipping_address_name or dn.customer_address, "In Use", getdate(dn.posting_date)),
		)
		dn.reload().cancel()
		self.assertEqual(placement(serial), (None, None, None, None))

	def test_transfer_moves_the_unit_keeps_the_history_and_is_undone_newest_first(self):
		serial, _dn, _si = delivered_unit(days_ago=5, customer=DEALER)
		site = make_address(END_USER, "_Test SC End User Plant")
		first = transfer(serial, END_USER, site)
		first.insert()
		self.assertEqual((first.from_customer, first.to_customer), (DEALER, END_USER))
		first.submit()
		self.assertEqual(placement(serial)[:3], (END_USER, site, "In Use"))
		# ERPNext's own record of the sale stays as it was
		self.assertEqual(frappe.db.get_value("Serial No", serial, "customer"), DEALER)

		# the end customer's repair request and complaint are accepted on the unit
		request = make_repair_request(serial, customer=None, technician=TECH)
		self.assertEqual(request.customer, END_USER)
		self.assertIn("End User Plant", request.service_address)

		# a second move, back to the dealer's site; the first cannot be cancelled before it
		second = transfer(serial, DEALER, None, reason="Returned to the dealer's showroom")
		second.insert()
		second.submit()
		self.assertRaisesRegex(ServiceControlValidationError, f"later transfer {second.name}", first.cancel)
		history = frappe.get_all(
			"Installed Base Transfer",
			filters={"serial_no": serial, "docstatus": 1},
			fields=["from_customer", "to_customer"],
			order_by="creation asc",
		)
		self.assertEqual(
			[(h.from_customer, h.to_customer) for h in history], [(DEALER, END_USER), (END_USER, DEALER)]
		)
		second.cancel()
		self.assertEqual(placement(serial)[:2], (END_USER, site))
		first.reload().cancel()
		self.assertEqual(placement(serial)[:2], (DEALER, None))

	def test_bad_transfers_are_refused_and_nothing_written(self):
		serial, _dn, _si = delivered_unit(days_ago=5, customer=DEALER)
		other_site = make_address(END_USER, "_Test SC End User Plant")
		count = frappe.db.count("Installed Base Transfer")
		for doc, pattern in (
			(transfer(serial, DEALER), "already at customer"),
			(transfer(serial, DEALER, other_site), "is not an address of customer"),
			(transfer(serial, END_USER, transfer_date=add_days(getdate(), 1)), "in the future"),
			(
				transfer(serial, END_USER, transfer_date=add_days(getdate(), -30)),
				"before the unit's last move",
			),
			(transfer(receive_units(1)[0], END_USER), "has not been delivered"),
		):
			self.assertRaisesRegex(ServiceControlValidationError, pattern, doc.insert)
		self.assertEqual(frappe.db.count("Installed Base Transfer"), count)
		self.assertEqual(placement(serial)[0], DEALER)

	def test_permissions_quality_manager_only_reads(self):
		serial, _dn, _si = delivered_unit(days_ago=5, customer=DEALER)
		from service_control.tests.compensation_fixtures import QM, make_users

		make_users()
		frappe.set_user(QM)
		self.assertRaises(frappe.PermissionError, transfer(serial, END_USER).insert)
		frappe.set_user(SALES)
		doc = transfer(serial, END_USER)
		doc.insert()
		self.assertRaises(frappe.PermissionError, doc.submit)  # sales may prepare, not approve
		frappe.set_user(CS)
		doc.reload().submit()
		self.assertEqual(placement(serial)[0], END_USER)

	def test_signed_acceptance_dates_the_start_of_use(self):
		from service_control.service_control.doctype.delivery_acceptance.delivery_acceptance import (
			make_delivery_acceptance,
		)
		from service_control.tests.delivery_factories import signed

		serial = receive_units(1, posting_date=add_days(getdate(), -6))[0]
		dn = deliver_unit(DEALER, serial, posting_date=add_days(getdate(), -5))
		self.assertEqual(placement(serial)[3], add_days(getdate(), -5))
		doc = make_delivery_acceptance(dn.name)
		for row in doc.checklist:
			row.delivered = 1
		signed(doc, "Accepted", signed_on=add_days(getdate(), -1)).insert()
		doc.submit()
		self.assertEqual(placement(serial)[2:], ("In Use", add_days(getdate(), -1)))

	def test_settled_replacement_replaces_the_unit(self):
		set_service_company_defaults()
		old, dn, _si = delivered_unit(days_ago=10, customer=DEALER)
		transfer(old, END_USER).insert().submit()
		request = make_repair_request(old, customer=END_USER, technician=TECH, remedy="Replace")
		new = receive_units(1)[0]
		feedback = make_feedback(
			request,
			result="Replaced",
			work_done="Unit exchanged",
			replacement_serial_no=new,
			replacement_warehouse=get_warehouse(),
			submit=True,
		)
		comp = settle_compensation(feedback.compensation)
		self.assertEqual(placement(old)[:3], (END_USER, None, "Replaced"))
		self.assertEqual(placement(new)[:3], (END_USER, None, "In Use"))
		self.assertEqual(
			getdate(placement(new)[3]),
			getdate(frappe.db.get_value("Delivery Note", comp.replacement_delivery, "posting_date")),
		)
		comp.reload().cancel()
		self.assertEqual(placement(old)[2], "In Use")
		self.assertEqual(placement(new), (None, None, None, None))

	def test_installed_base_report_lists_and_groups_by_status(self):
		customer = make_customer("_Test SC Installed Base Customer")
		serials = [deliver_unit(customer, s).items[0].serial_no for s in receive_units(3)]
		transfer(serials[0], END_USER).insert().submit()
		_columns, rows, _message = installed_base({"customer": customer})
		self.assertEqual(sorted(r.serial_no for r in rows), sorted(serials[1:]))
		self.assertEqual({r.status for r in rows}, {"In Use"})
		self.assertEqual({r.months_in_service for r in rows}, {0})
		_columns, groups = installed_base({"group_by": "Customer", "item_code": rows[0].item_code})[:2]
		line = next(g for g in groups if g["group"] == customer)
		self.assertEqual((line["in_use"], line["total"]), (2, 2))
		_columns, groups = installed_base({"group_by": "Territory", "customer": customer})[:2]
		self.assertEqual(sum(g["total"] for g in groups), 2)
