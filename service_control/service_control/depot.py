"""Depot repair on Frappe: loads the repair request and the receipts, calls the rules in
service_control.core.depot and keeps the receipt's status in step with the repair.

*No stock movement for the customer's unit.* ERPNext 15 has no notion of goods the company holds
for a customer: every inward stock ledger entry of a serial number (a Material Receipt, even at
zero valuation with ``allow_zero_valuation_rate``) sets the Serial No's warehouse, clears its
``customer`` and its warranty expiry (``SerialBatchBundle.update_serial_no_status_warehouse``),
counts the unit in the company's stock (available to be delivered to someone else) and averages
into the item's valuation; shipping it back would be a second delivery, restarting the warranty
from that date. *Customer Provided Item* is a flag on the Item, for material a customer supplies
for production, which may not be a purchase item nor carry a valuation rate: it does not fit a
product the company sells. So the receipt records the repair warehouse as the unit's location
only and the installed base marks the unit In Repair; parts used in the repair still leave stock
through the Repair Feedback's Material Issue.
"""

import frappe
from frappe import _
from frappe.utils import get_datetime

from service_control.core import depot as rules
from service_control.core import installed_base as base_rules
from service_control.service_control import installed_base


def load_request(name: str, for_update: bool = False) -> rules.RequestFacts:
	values = frappe.db.get_value(
		"Repair Request",
		name,
		["name", "serial_no", "sent_in", "status", "last_result"],
		as_dict=True,
		for_update=for_update,
	)
	if not values:
		frappe.throw(_("Repair Request {0} does not exist.").format(name), frappe.DoesNotExistError)
	return rules.RequestFacts(
		values.name, values.serial_no, bool(values.sent_in), values.status, values.last_result
	)


def open_receipts(filters: dict, exclude: str | None) -> list[frappe._dict]:
	"""Draft or submitted receipts whose unit has not been shipped back."""
	return frappe.get_all(
		"Depot Repair Receipt",
		filters={
			**filters,
			"docstatus": ("<", 2),
			"status": ("in", (rules.RECEIVED, rules.REPAIRED)),
			"name": ("!=", exclude or ""),
		},
		fields=["name", "repair_request"],
		order_by="creation desc",
	)


def receipt_facts(name: str) -> rules.ReceiptFacts | None:
	values = frappe.db.get_value(
		"Depot Repair Receipt",
		name,
		["name", "repair_request", "serial_no", "docstatus", "received_on"],
		as_dict=True,
	)
	if not values:
		return None
	return rules.ReceiptFacts(
		values.name,
		values.repair_request,
		values.serial_no,
		values.docstatus,
		get_datetime(values.received_on) if values.received_on else None,
	)


def unit_receipt(repair_request: str, serial_no: str | None) -> rules.ReceiptFacts | None:
	"""The submitted receipt holding the unit: the serial number's (whichever request received
	it), else the request's for a unit without one."""
	filters = {"serial_no": serial_no} if serial_no else {"repair_request": repair_request}
	rows = frappe.get_all(
		"Depot Repair Receipt",
		filters={**filters, "docstatus": 1, "status": ("in", (rules.RECEIVED, rules.REPAIRED))},
		pluck="name",
		order_by="creation desc",
		limit=1,
	)
	return receipt_facts(rows[0]) if rows else None


def refresh_receipt(name: str) -> None:
	"""The receipt's repaired / shipped / delivered times and status, from its request and its
	return shipment."""
	receipt = frappe.get_doc("Depot Repair Receipt", name)
	request = frappe.db.get_value(
		"Repair Request", receipt.repair_request, ["last_result", "resolved_on"], as_dict=True
	)
	repaired_on = request.resolved_on if request and rules.repair_finished(request.last_result) else None
	shipment = (
		frappe.db.get_value(
			"Depot Repair Shipment",
			{"depot_repair_receipt": name, "docstatus": 1},
			["name", "shipped_on", "delivered_on"],
			as_dict=True,
		)
		or frappe._dict()
	)
	values = {
		"repaired_on": repaired_on,
		"shipped_on": shipment.shipped_on,
		"delivered_on": shipment.delivered_on,
		"depot_repair_shipment": shipment.name,
	}
	values["status"] = rules.receipt_status(
		receipt.docstatus, repaired_on, shipment.shipped_on, shipment.delivered_on
	)
	receipt.db_set(values, notify=True)


def feedback_changed(doc, method=None) -> None:
	"""Repair Feedback submitted or cancelled: the unit in the depot is Repaired, or not."""
	for name in frappe.get_all(
		"Depot Repair Receipt",
		filters={"repair_request": doc.repair_request, "docstatus": 1},
		pluck="name",
	):
		refresh_receipt(name)


def unit_in_repair(serial_no: str | None) -> None:
	if serial_no:
		installed_base.set_status([serial_no], base_rules.IN_REPAIR, only_from=(base_rules.IN_USE,))


def unit_back_in_use(serial_no: str | None) -> None:
	if serial_no:
		installed_base.set_status([serial_no], base_rules.IN_USE, only_from=(base_rules.IN_REPAIR,))


@frappe.whitelist()
def make_shipment(source_name: str) -> "frappe.model.document.Document":
	"""Create → Return Shipment on a submitted receipt: an unsaved shipment of its unit."""
	receipt = frappe.get_doc("Depot Repair Receipt", source_name)
	receipt.check_permission("read")
	doc = frappe.new_doc("Depot Repair Shipment")
	doc.update(
		{
			"repair_request": receipt.repair_request,
			"serial_no": receipt.serial_no,
			"depot_repair_receipt": receipt.name,
			"company": receipt.company,
			"customer": receipt.customer,
			"customer_name": receipt.customer_name,
			"item_code": receipt.item_code,
			"ship_to": frappe.db.get_value("Repair Request", receipt.repair_request, "service_address"),
		}
	)
	return doc
