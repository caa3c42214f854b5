"""Factories for the delivery records' tests: an item group with a checklist template and a
training flag, serial-numbered units received and delivered, an item that needs a quality
inspection before delivery, and the users. Idempotent where they make masters."""

import frappe
from frappe.utils import getdate

from service_control.tests.utils import (
	TEST_COMPANY,
	get_warehouse,
	make_customer,
	make_item,
	make_user,
	new_delivery_note,
)

GROUP = "_Test SC Delivery Group"
UNIT = "_Test SC Delivered Unit"
INSPECTED = "_Test SC Inspected Unit"
CS = "sc.delivery.cs@example.com"
QM = "sc.delivery.qm@example.com"
SALES = "sc.delivery.sales@example.com"
TECH = "sc.delivery.tech@example.com"


def make_delivery_masters() -> None:
	if not frappe.db.exists("Item Group", GROUP):
		frappe.get_doc(
			{
				"doctype": "Item Group",
				"item_group_name": GROUP,
				"parent_item_group": frappe.db.get_value(
					"Item Group", {"is_group": 1}, "name", order_by="lft asc"
				),
			}
		).insert(ignore_permissions=True)
	frappe.db.set_value("Item Group", GROUP, "sc_training_required", 1)
	if not frappe.db.exists("Delivery Checklist Template", GROUP):
		frappe.get_doc(
			{
				"doctype": "Delivery Checklist Template",
				"item_group": GROUP,
				"items": [
					{"document": "User manual", "category": "Document", "required_qty": 1},
					{"document": "Warranty card", "category": "Document", "required_qty": 1, "per_unit": 1},
					{"document": "Power cable", "category": "Accessory", "required_qty": 1, "per_unit": 1},
				],
			}
		).insert(ignore_permissions=True)
	make_item(UNIT, item_group=GROUP, has_serial_no=1, serial_no_series="SCDU-.#####", valuation_rate=500)
	make_item(
		INSPECTED,
		item_group=GROUP,
		has_serial_no=1,
		serial_no_series="SCIU-.#####",
		valuation_rate=500,
		inspection_required_before_delivery=1,
	)
	make_customer()
	make_customer("_Test SC Other Customer")
	make_user(CS, ["Customer Service User", "Stock User", "Sales User"])
	make_user(QM, ["Quality Manager", "Sales User"])
	make_user(SALES, ["Sales User"])
	make_user(TECH, ["Service Technician"])


def receive(item_code: str = UNIT, qty: int = 2) -> list[str]:
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	prefix = frappe.generate_hash(length=6).upper()
	serials = [f"SCD-{prefix}-{i}" for i in range(qty)]
	make_stock_entry(
		item_code=item_code,
		target=get_warehouse(),
		qty=qty,
		basic_rate=500,
		company=TEST_COMPANY,
		serial_no="\n".join(serials),
		use_serial_batch_fields=1,
	)
	return serials


def draft_delivery(item_code: str = UNIT, serials: list[str] | None = None, customer: str | None = None):
	serials = serials or receive(item_code)
	dn = new_delivery_note(
		customer or make_customer(),
		[
			{
				"item_code": item_code,
				"qty": len(serials),
				"rate": 1000,
				"use_serial_batch_fields": 1,
				"serial_no": "\n".join(serials),
			}
		],
	)
	dn.insert(ignore_permissions=True)
	return dn


def delivery(item_code: str = UNIT, qty: int = 2, customer: str | None = None):
	"""A submitted delivery of ``qty`` new units; returns (delivery note, serials)."""
	serials = receive(item_code, qty)
	dn = draft_delivery(item_code, serials, customer)
	dn.submit()
	return dn, serials


def signed(doc, result: str = "Accepted", **kwargs):
	doc.update(
		{
			"result": result,
			"signer_name": "Zhang Wei",
			"signer_position": "Equipment manager",
			"signed_on": getdate(),
			"signature": "data:image/png;base64,iVBORw0KGgo=",
			**kwargs,
		}
	)
	return doc
