"""Factories for depot repair and installed-base tests: a unit delivered to a customer, its repair
request sent in, the receipt of the unit, the company's stock value and stock-account balance."""

import frappe
from frappe.utils import flt, now_datetime

from service_control.tests.repair_factories import (
	TECH,
	delivered_unit,
	make_repair_masters,
	make_repair_request,
)
from service_control.tests.utils import TEST_COMPANY, make_user, make_warehouse

DEPOT = "_Test SC Repair Depot"
CS = "sc.depot.cs@example.com"
LOGISTICS = "sc.depot.logistics@example.com"
SALES = "sc.depot.sales@example.com"


def make_depot_masters() -> str:
	make_repair_masters()
	make_user(CS, ["Customer Service User"])
	make_user(LOGISTICS, ["Stock User"])
	make_user(SALES, ["Sales User"])
	return make_warehouse(DEPOT)


def sent_in_unit(**request_fields):
	"""A unit delivered three days ago and its repair request, sent in, assigned to the technician;
	returns (serial_no, delivery_note, repair_request)."""
	serial, dn, _si = delivered_unit(days_ago=3)
	request = make_repair_request(serial, sent_in=1, technician=TECH, **request_fields)
	return serial, dn, request


def make_receipt(request, submit: bool = False, **kwargs):
	doc = frappe.get_doc(
		{
			"doctype": "Depot Repair Receipt",
			"repair_request": request.name,
			"arrival_mode": "Carrier",
			"carrier": "SF Express",
			"tracking_no": "SF" + frappe.generate_hash(length=10).upper(),
			"received_on": now_datetime(),
			"received_by": "Administrator",
			"repair_warehouse": make_warehouse(DEPOT),
			"condition": "Casing scratched, screen intact",
			"accessories": [
				{"accessory": "Power adapter", "qty": 1},
				{"accessory": "Remote control", "qty": 1},
			],
			**kwargs,
		}
	)
	doc.insert()
	if submit:
		doc.submit()
	return doc


def company_stock() -> tuple[float, float, int]:
	"""The company's stock value (sum of the stock ledger's value differences), the balance of its
	stock accounts in the GL, and the number of stock ledger rows."""
	value, rows = frappe.db.sql(
		"""select coalesce(sum(stock_value_difference), 0), count(*) from `tabStock Ledger Entry`
		where company = %s and is_cancelled = 0""",
		TEST_COMPANY,
	)[0]
	balance = frappe.db.sql(
		"""select coalesce(sum(gle.debit - gle.credit), 0) from `tabGL Entry` gle
		join `tabAccount` acc on acc.name = gle.account
		where gle.company = %s and gle.is_cancelled = 0 and acc.account_type = 'Stock'""",
		TEST_COMPANY,
	)[0][0]
	return flt(value, 2), flt(balance, 2), rows


def serial_history(serial_no: str) -> dict:
	"""What ERPNext keeps of a serial's delivery: its Serial No fields and its bundle entries."""
	values = frappe.db.get_value(
		"Serial No",
		serial_no,
		["customer", "warehouse", "status", "warranty_expiry_date", "company"],
		as_dict=True,
	)
	values["bundles"] = frappe.db.sql(
		"""select b.voucher_type, b.voucher_no, b.type_of_transaction from `tabSerial and Batch Entry` e
		join `tabSerial and Batch Bundle` b on b.name = e.parent
		where e.serial_no = %s and b.is_cancelled = 0 order by b.creation""",
		serial_no,
	)
	return values
