"""Returned goods (客退品) from a complaint: ERPNext's own sales-return mapping, into the company's
pending-disposition warehouse, capped at what was delivered and not yet returned; then the
Return Disposition mapped from the return."""

import frappe
from frappe import _
from frappe.utils import flt

from service_control.core import disposition as rules
from service_control.service_control.doctype.return_disposition.return_disposition import open_quantities
from service_control.utils import domain_errors, get_company_defaults


@frappe.whitelist()
def make_sales_return(complaint: str, qty: float | None = None):
	"""An unsaved return Delivery Note (or Sales Invoice with stock) against the complaint's
	document, made by erpnext.controllers.sales_and_purchase_return.make_return_doc."""
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	doc = frappe.get_doc("Customer Complaint", complaint)
	doc.check_permission("read")
	if doc.status == "Cancelled":
		frappe.throw(_("Complaint {0} is cancelled.").format(complaint), title=_("Cannot return goods"))
	if doc.delivery_note:
		source_doctype, source_name = "Delivery Note", doc.delivery_note
	elif doc.sales_invoice:
		source_doctype, source_name = "Sales Invoice", doc.sales_invoice
		if not frappe.db.get_value("Sales Invoice", source_name, "update_stock"):
			frappe.throw(
				_(
					"Sales Invoice {0} did not deliver the goods: return them against the Delivery Note."
				).format(source_name),
				title=_("Cannot return goods"),
			)
	else:
		frappe.throw(
			_("The complaint names no Delivery Note or Sales Invoice to return against."),
			title=_("Cannot return goods"),
		)
	pending = get_company_defaults(doc.company).get("pending_warehouse")
	if not pending:
		frappe.throw(
			_("Set the pending-disposition warehouse of company {0} in Service Control Settings.").format(
				doc.company
			),
			title=_("Cannot return goods"),
		)

	ret = make_return_doc(source_doctype, source_name)
	requested = None
	if doc.item_code and (flt(qty) or flt(doc.affected_qty)):
		requested = {doc.item_code: flt(qty) or flt(doc.affected_qty)}
	lines = [
		{
			"row": row,
			"item_code": row.item_code,
			"delivered_qty": -flt(row.qty),  # the mapping already nets earlier returns off
			"returned_qty": 0,
		}
		for row in ret.items
		if not doc.item_code or row.item_code == doc.item_code
	]
	with domain_errors(title=_("Cannot return goods")):
		capped = rules.cap_return_lines(lines, requested)
	ret.items = []
	for line in capped:
		row = line["row"]
		row.qty = -line["qty"]
		row.stock_qty = -line["qty"] * flt(row.conversion_factor or 1)
		row.warehouse = pending
		ret.append("items", row)
	if source_doctype == "Delivery Note":
		ret.set_warehouse = pending
	ret.sc_customer_complaint = complaint
	ret.run_method("calculate_taxes_and_totals")
	return ret


@frappe.whitelist()
def make_return_disposition(source_doctype: str, source_name: str):
	"""An unsaved Return Disposition listing what the return brought back (still to be decided)."""
	if source_doctype not in ("Delivery Note", "Sales Invoice"):
		frappe.throw(_("A disposition is made from a return Delivery Note or Sales Invoice."))
	# quality prepares the disposition without rights on sales documents: the right that counts
	# is creating a Return Disposition
	frappe.has_permission("Return Disposition", "create", throw=True)
	ret = frappe.get_doc(source_doctype, source_name)
	if not ret.is_return or ret.docstatus != 1:
		frappe.throw(_("{0} {1} is not a submitted sales return.").format(_(source_doctype), source_name))
	if not ret.get("sc_customer_complaint"):
		frappe.throw(_("{0} {1} was not made from a complaint.").format(_(source_doctype), source_name))
	disposition = frappe.new_doc("Return Disposition")
	disposition.update(
		{
			"customer_complaint": ret.sc_customer_complaint,
			"company": ret.company,
			"customer": ret.customer,
			"return_doctype": source_doctype,
			"sales_return": source_name,
		}
	)
	# what still waits for a decision: the returned goods not yet disposed of, then goods sent to
	# rework by an earlier disposition, to be inspected again and restocked or scrapped
	open_qty = open_quantities(source_doctype, source_name)
	for row in ret.items:
		key = (row.item_code, row.warehouse)
		qty = min(abs(flt(row.stock_qty)), max(open_qty.get(key, 0), 0))
		if qty <= 0:
			continue
		open_qty[key] -= qty
		disposition.append(
			"items",
			{
				"item_code": row.item_code,
				"item_name": row.item_name,
				"returned_qty": qty,
				"warehouse": row.warehouse,
				"return_detail": row.name,
			},
		)
	for (item_code, warehouse), qty in open_qty.items():
		if qty > 0:
			disposition.append(
				"items",
				{
					"item_code": item_code,
					"item_name": frappe.get_cached_value("Item", item_code, "item_name"),
					"returned_qty": qty,
					"warehouse": warehouse,
				},
			)
	if not disposition.items:
		frappe.throw(
			_("Everything {0} {1} brought back has been disposed of.").format(_(source_doctype), source_name),
			title=_("Nothing to dispose of"),
		)
	return disposition
