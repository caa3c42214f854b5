"""Factories for the repair-service tests: serial-tracked units delivered to a
customer, parts in stock, technicians and repair requests. Idempotent where they make masters."""

import frappe
from frappe.utils import add_days, getdate

from service_control.tests.utils import (
	TEST_COMPANY,
	earlier_today,
	get_warehouse,
	make_customer,
	make_item,
	make_user,
	new_delivery_note,
)

TECH = "sc.tech@example.com"
TECH2 = "sc.tech2@example.com"
NOT_TECH = "sc.nottech@example.com"
UNIT_ITEM = "_Test SC Repair Unit"
PART_ITEM = "_Test SC Repair Part"
LABOUR_ITEM = "_Test SC Repair Labour"


def make_repair_masters() -> None:
	make_user(TECH, ["Service Technician"])
	make_user(TECH2, ["Service Technician"])
	for user in (TECH, TECH2):
		no_email_notifications(user)
	make_user(NOT_TECH, ["Sales User"])
	make_customer()
	make_customer("_Test SC Other Customer")
	make_item(UNIT_ITEM, has_serial_no=1, serial_no_series="SCRU-.#####", valuation_rate=500)
	make_item(PART_ITEM, valuation_rate=20)
	make_item(LABOUR_ITEM, is_stock_item=0, valuation_rate=0)
	frappe.db.set_single_value(
		"Service Control Settings",
		{"warranty_refund_days": 7, "warranty_replace_days": 15, "warranty_months": 12},
	)
	frappe.clear_document_cache("Service Control Settings", "Service Control Settings")


def no_email_notifications(user: str) -> None:
	"""Assigning a technician notifies them (Notification Log) and, by default, e-mails them. In
	tests Frappe sends that mail at once, and sending commits the transaction (or fails on an
	outgoing account another test left in the cache), so the technicians get no notification
	e-mails: the Notification Log and the ToDo are what the tests look at."""
	from frappe.desk.doctype.notification_settings.notification_settings import (
		create_notification_settings,
	)

	create_notification_settings(user)
	frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)


def mute_emails(test_case) -> None:
	"""In tests Frappe sends mail at once and sending commits the transaction, which would leave
	the test's records behind (a CAPA opened from a repair notifies its owner, for one): mute mail
	for the test, restore the flag afterwards."""
	previous = frappe.flags.mute_emails
	frappe.flags.mute_emails = True
	test_case.addCleanup(setattr, frappe.flags, "mute_emails", previous)


def receive_units(qty: int = 1, posting_date=None, warehouse: str | None = None) -> list[str]:
	"""Material Receipt of new serial-numbered units; returns the serial numbers created."""
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	prefix = frappe.generate_hash(length=6).upper()
	serials = [f"SCRU-{prefix}-{i}" for i in range(qty)]
	make_stock_entry(
		item_code=UNIT_ITEM,
		target=warehouse or get_warehouse(),
		qty=qty,
		basic_rate=500,
		company=TEST_COMPANY,
		posting_date=posting_date,
		serial_no="\n".join(serials),
		use_serial_batch_fields=1,
	)
	return serials


def receive_parts(qty: float = 50, warehouse: str | None = None) -> None:
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	make_stock_entry(
		item_code=PART_ITEM, target=warehouse or get_warehouse(), qty=qty, basic_rate=20, company=TEST_COMPANY
	)


def deliver_unit(customer: str, serial_no: str, posting_date=None, rate: float = 1000):
	dn = new_delivery_note(
		customer,
		[
			{
				"item_code": UNIT_ITEM,
				"qty": 1,
				"rate": rate,
				"use_serial_batch_fields": 1,
				"serial_no": serial_no,
			}
		],
		set_posting_time=1,
		posting_date=posting_date or getdate(),
	)
	dn.insert(ignore_permissions=True)
	dn.submit()
	return dn


def invoice_delivery(dn_name: str):
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

	si = make_sales_invoice(dn_name)
	si.set_posting_time = 1
	si.posting_date = frappe.db.get_value("Delivery Note", dn_name, "posting_date")
	si.due_date = si.posting_date
	si.insert(ignore_permissions=True)
	si.submit()
	return si


def delivered_unit(days_ago: int = 3, customer: str | None = None, invoice: bool = False):
	"""A unit received and delivered ``days_ago``; returns (serial_no, delivery_note, sales_invoice)."""
	day = add_days(getdate(), -days_ago)
	serial = receive_units(1, posting_date=add_days(day, -1))[0]
	dn = deliver_unit(customer or make_customer(), serial, posting_date=day)
	si = invoice_delivery(dn.name) if invoice else None
	return serial, dn, si


def make_repair_request(serial_no: str | None = None, **kwargs):
	doc = frappe.get_doc(
		{
			"doctype": "Repair Request",
			"company": TEST_COMPANY,
			"customer": make_customer(),
			"item_code": UNIT_ITEM,
			"serial_no": serial_no,
			"channel": "Phone",
			"reported_on": earlier_today(2),
			"urgency": "Normal",
			"fault_type": "Electrical",
			"fault_description": "Does not power on",
			**kwargs,
		}
	)
	doc.insert()
	return doc


def make_feedback(request, submit: bool = False, **kwargs):
	doc = frappe.get_doc(
		{
			"doctype": "Repair Feedback",
			"repair_request": request.name,
			"visits": [{"visit_date": getdate(), "technician": request.technician, "hours": 2}],
			"fault_found": "Blown fuse",
			"work_done": "Replaced the fuse and tested",
			"result": "Fixed",
			**kwargs,
		}
	)
	doc.insert()
	if submit:
		doc.submit()
	return doc


def settle_compensation(name: str, approver: str | None = None, accountant: str | None = None):
	"""Take a repair's compensation request through the Quality Manager's approval and Accounts'
	settlement, as those users; returns the settled Compensation."""
	from frappe.model.workflow import apply_workflow

	from service_control.tests.compensation_fixtures import ACC, QM, make_users
	from service_control.tests.utils import set_service_company_defaults

	set_service_company_defaults()
	make_users()
	for action, user in (("Approve", approver or QM), ("Settle", accountant or ACC)):
		frappe.set_user(user)
		apply_workflow(frappe.get_doc("Compensation", name), action)
	frappe.set_user("Administrator")
	return frappe.get_doc("Compensation", name)
