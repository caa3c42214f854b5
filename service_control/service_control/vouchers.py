# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""The ERPNext vouchers the service documents post, made in one place: a credit note (return Sales
Invoice) for an approved amount, a free replacement Delivery Note, a Stock Entry, a Journal Entry;
insert-and-submit on the source document's authority; and cancelling linked vouchers.

Compensation, Repair Feedback and Return Disposition decide what to post (the rules are in
service_control.core); this module only builds ERPNext's documents. A customer complaint given as
``complaint`` is written to the accounting dimension of the voucher and its rows."""

from collections.abc import Iterable

import frappe
from frappe import _
from frappe.utils import flt

from service_control.core import compensation as voucher_rules
from service_control.exceptions import CompensationValidationError
from service_control.setup.accounting_dimension import get_dimension_field
from service_control.utils import domain_errors


def insert_and_submit(doc) -> str:
	"""Insert and submit ``doc`` without the user's permissions on its doctype: the submitted (or
	approved) source document authorises the voucher, e.g. the technician who submits a repair
	form holds no Stock Entry rights. Returns the voucher's name."""
	doc.flags.ignore_permissions = True
	doc.insert()
	doc.submit()
	return doc.name


def cancel_submitted(vouchers: Iterable[tuple[str, str | None]]) -> None:
	"""Cancel the submitted ones of the (doctype, name) pairs, in the order given: pass them the
	latest first (reverse order of creation), so a payment goes before the journal it pays. Empty
	names, repeats and drafts or cancelled vouchers are skipped."""
	seen = set()
	for doctype, name in vouchers:
		if not name or (doctype, name) in seen:
			continue
		seen.add((doctype, name))
		if frappe.db.get_value(doctype, name, "docstatus") != 1:
			continue
		voucher = frappe.get_doc(doctype, name)
		voucher.flags.ignore_permissions = True
		voucher.cancel()


def available_qty(item_code: str, warehouse: str) -> float:
	"""Actual quantity of the item in the warehouse (ERPNext's Bin)."""
	return flt(frappe.db.get_value("Bin", {"item_code": item_code, "warehouse": warehouse}, "actual_qty"))


def _tag(doc, complaint: str | None, dimension: str | None) -> None:
	if complaint and dimension and doc.meta.has_field(dimension):
		doc.set(dimension, complaint)


def make_credit_note(
	invoice: str,
	item_code: str | None,
	qty: float,
	amount: float,
	remarks: str,
	complaint: str | None = None,
	posting_date=None,
	*,
	title: str,
) -> str:
	"""A submitted credit note (return Sales Invoice made by ERPNext's return mapping) against
	``invoice`` that credits exactly ``amount`` (in the invoice's currency, at its exchange rate,
	as ERPNext requires of a return) for ``qty`` of ``item_code``, taxes included.

	The invoice's percentage taxes are kept and included in the item's rate, so the grand total
	and the GL equal ``amount`` (see core.compensation.credit_note_taxes / credit_note_lines);
	fixed charges are dropped; the rate never exceeds the invoiced one. It does not move stock.
	``title`` heads the error shown when the credit note cannot be made."""
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	cn = make_return_doc("Sales Invoice", invoice)
	with domain_errors(title=title):
		taxes = voucher_rules.credit_note_taxes([(tax.charge_type, tax.row_id) for tax in cn.taxes])
		# ERPNext refuses a return rate above the invoiced one: the tax-inclusive credit rate is
		# capped at the invoiced rate as it stands
		plan = voucher_rules.credit_note_lines(
			[
				voucher_rules.InvoiceLine(row.sales_invoice_item, row.item_code, flt(row.rate), -flt(row.qty))
				for row in cn.items
			],
			item_code,
			flt(qty),
			amount,
		)
	wanted = {p["row_name"]: p for p in plan}
	dimension = get_dimension_field() if complaint else None
	cn.items = [row for row in cn.items if row.sales_invoice_item in wanted]
	for row in cn.items:
		p = wanted[row.sales_invoice_item]
		row.qty, row.rate, row.price_list_rate = p["qty"], p["rate"], p["rate"]
		row.discount_percentage = row.discount_amount = row.margin_rate_or_amount = 0
		if dimension:
			row.set(dimension, complaint)
	mapped_taxes = list(cn.taxes)
	cn.taxes = []
	for position, row_id in taxes:
		tax = mapped_taxes[position]
		tax.row_id, tax.included_in_print_rate = row_id, 1
		_tag(tax, complaint, dimension)
		cn.append("taxes", tax)
	if not cn.taxes:
		cn.taxes_and_charges = None  # else ERPNext would fetch the template's fixed charges again
	# no invoice-level discount or rounding: the credit is exactly the approved amount
	cn.additional_discount_percentage = cn.discount_amount = 0
	cn.disable_rounded_total = 1
	cn.update_stock = 0  # goods come back on a return delivery, not on the credit note
	if posting_date:
		cn.posting_date, cn.set_posting_time = posting_date, 1
	if complaint and cn.meta.has_field("sc_customer_complaint"):
		cn.sc_customer_complaint = complaint
	_tag(cn, complaint, dimension)
	cn.remarks = remarks
	cn.flags.ignore_permissions = True
	cn.insert()
	if flt(-cn.grand_total, 2) != flt(amount, 2):
		frappe.throw(
			_("Credit note {0} would credit {1}, not the approved {2}: settle by Journal Entry.").format(
				cn.name, flt(-cn.grand_total, 2), flt(amount, 2)
			),
			exc=CompensationValidationError,
			title=title,
		)
	cn.submit()
	return cn.name


def make_replacement_delivery(
	company: str,
	customer: str,
	item_code: str,
	qty: float,
	warehouse: str,
	remarks: str,
	*,
	serial_no: str | None = None,
	expense_account: str | None = None,
	currency: str | None = None,
	conversion_rate: float = 1,
	posting_date=None,
	complaint: str | None = None,
) -> str:
	"""A submitted free replacement: a Delivery Note of ``qty`` of the item at zero rate (no price
	list rate, no pricing rule). Its cost of goods goes to ``expense_account`` when given, else to
	ERPNext's default (cost of goods sold). ``serial_no`` names the unit that leaves."""
	dn = frappe.new_doc("Delivery Note")
	dn.update({"company": company, "customer": customer, "ignore_pricing_rule": 1, "remarks": remarks})
	if posting_date:
		dn.update({"posting_date": posting_date, "set_posting_time": 1})
	if currency:
		dn.update(
			{
				"currency": currency,
				"conversion_rate": conversion_rate,
				"selling_price_list": _selling_price_list(currency),
				"plc_conversion_rate": conversion_rate,
			}
		)
	dimension = get_dimension_field() if complaint else None
	_tag(dn, complaint, dimension)
	row = voucher_rules.free_delivery_row(item_code, qty, warehouse, expense_account)
	row["cost_center"] = frappe.get_cached_value("Company", company, "cost_center")
	if serial_no:
		row.update({"use_serial_batch_fields": 1, "serial_no": serial_no})
	if dimension:
		row[dimension] = complaint
	dn.append("items", row)
	return insert_and_submit(dn)


def _selling_price_list(currency: str) -> str | None:
	name = frappe.db.get_single_value("Selling Settings", "selling_price_list")
	if name and frappe.db.get_value("Price List", name, "currency") == currency:
		return name
	return frappe.db.get_value("Price List", {"selling": 1, "enabled": 1, "currency": currency}, "name")


def make_stock_entry(
	company: str,
	purpose: str,
	items: Iterable[dict],
	remarks: str,
	*,
	posting_date=None,
	complaint: str | None = None,
):
	"""A submitted Stock Entry of ``purpose`` (Material Issue, Material Transfer ...) with the
	given item rows (item_code, qty, s_warehouse / t_warehouse, optional expense_account ...);
	ERPNext values the movement. Returns the document (its rows carry the amounts)."""
	entry = frappe.new_doc("Stock Entry")
	entry.update({"stock_entry_type": purpose, "purpose": purpose, "company": company, "remarks": remarks})
	if posting_date:
		entry.update({"posting_date": posting_date, "set_posting_time": 1})
	dimension = get_dimension_field() if complaint else None
	_tag(entry, complaint, dimension)
	for item in items:
		entry.append("items", {**item, **({dimension: complaint} if dimension else {})})
	insert_and_submit(entry)
	return entry


def make_journal_entry(company: str, posting_date, remark: str, lines: Iterable[dict]) -> str:
	"""A submitted Journal Entry of the given account lines (already balanced by the core); a line
	with an exchange rate other than 1 makes it a multi-currency journal."""
	lines = list(lines)
	je = frappe.new_doc("Journal Entry")
	je.update(
		{
			"voucher_type": "Journal Entry",
			"company": company,
			"posting_date": posting_date,
			"user_remark": remark,
			"multi_currency": int(any(flt(line.get("exchange_rate") or 1) != 1 for line in lines)),
		}
	)
	for line in lines:
		je.append("accounts", line)
	return insert_and_submit(je)
