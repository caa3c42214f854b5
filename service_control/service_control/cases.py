"""What customer complaints and repair requests share as service cases on Frappe: loading the
sales documents and serial numbers they point at (the rules are in core.references), the pause
rows of their SLA clocks, and which fields a user changed."""

import frappe
from frappe import _

from service_control.core.record_lock import changed_fields
from service_control.core.references import ReferenceDoc, SerialFacts
from service_control.core.sla import pause_change


def load_reference(doctype: str, name: str) -> ReferenceDoc:
	"""The document with its item quantities, returns against it netted off (one query each)."""
	is_delivery = doctype != "Sales Order"  # an order has no returns and no is_return column
	customer, docstatus, *is_return = frappe.db.get_value(
		doctype, name, ["customer", "docstatus", *(["is_return"] if is_delivery else [])]
	)
	item_table = frappe.qb.DocType(f"{doctype} Item")
	parent = frappe.qb.DocType(doctype)
	qty = {
		row[0]: row[1]
		for row in frappe.qb.from_(item_table)
		.select(item_table.item_code, frappe.query_builder.functions.Sum(item_table.qty))
		.where((item_table.parent == name) & (item_table.parenttype == doctype))
		.groupby(item_table.item_code)
		.run()
	}
	if is_delivery:
		returned = (
			frappe.qb.from_(item_table)
			.join(parent)
			.on(parent.name == item_table.parent)
			.select(item_table.item_code, frappe.query_builder.functions.Sum(item_table.qty))
			.where((parent.return_against == name) & (parent.docstatus == 1) & (parent.is_return == 1))
			.groupby(item_table.item_code)
			.run()
		)
		for item_code, returned_qty in returned:
			if item_code in qty:
				qty[item_code] += returned_qty  # return quantities are negative
	return ReferenceDoc(doctype, name, customer, docstatus, qty, bool(is_return and is_return[0]))


def load_serial(serial_no: str) -> SerialFacts:
	item_code, customer, warehouse = frappe.db.get_value(
		"Serial No", serial_no, ["item_code", "customer", "warehouse"]
	)
	return SerialFacts(serial_no, item_code, customer, warehouse)


def sync_pauses(doc, waiting: bool, now) -> None:
	"""Waiting for the customer opens a pause row (the clocks stop); leaving it closes the row
	(they go on with the time left)."""
	open_pause = next((p for p in doc.sla_pauses or [] if not p.resumed_on), None)
	change = pause_change(waiting, open_pause is not None)
	if change == "open":
		doc.append("sla_pauses", {"paused_on": now, "reason": _("Awaiting customer")})
	elif change == "close":
		open_pause.resumed_on = now


def user_changes(doc, before) -> list[str]:
	"""The fields a user changed (compared like with like; bookkeeping and tables left out)."""
	return changed_fields(
		((df.fieldname, df.fieldtype) for df in doc.meta.fields), before, doc, ignore={"change_reason"}
	)
