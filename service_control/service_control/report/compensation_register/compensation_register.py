# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""赔偿登记: settled compensations with their breakdown, reconciled against the General Ledger.

Amounts are shown in the compensation's currency and in the company currency; the GL is kept in
the company currency, so the reconciliation compares that one.

For each compensation the GL amount is what its cost voucher (the journal, the credit note or the
replacement delivery) debited to accounts other than the customer's; a row whose GL amount
differs from the approved total is flagged, and so is the report's total. The ledger is also
read the other way round: anything posted to the compensation expense account with a complaint's
accounting dimension by a voucher no compensation made (a manual journal, say) is shown as
"Unmatched GL" on the complaint's first row and flagged too."""

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt

from service_control.service_control.doctype.compensation.compensation import gl_amounts
from service_control.service_control.report_filters import where_dates
from service_control.setup.accounting_dimension import get_dimension_field
from service_control.utils import get_company_defaults

BREAKDOWN = (
	("goods_amount", "Goods"),
	("freight_amount", "Freight"),
	("labour_amount", "Labour"),
	("penalty_amount", "Penalty"),
	("other_amount", "Other"),
)
COST_VOUCHER = {
	"Credit Note": ("Sales Invoice", "credit_note"),
	"Free Replacement": ("Delivery Note", "replacement_delivery"),
	"Journal Entry": ("Journal Entry", "journal_entry"),
	"Payment Entry": ("Journal Entry", "journal_entry"),
}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = get_data(filters)
	differences = [row for row in data if row.difference]
	unmatched = [row for row in data if row.unmatched_gl]
	messages = []
	if differences:
		messages.append(_("{0} compensation(s) differ from the General Ledger.").format(len(differences)))
	if unmatched:
		messages.append(
			_(
				"{0} complaint(s) have compensation expense in the General Ledger that no compensation posted."
			).format(len(unmatched))
		)
	message = " ".join(messages) or None
	return get_columns(), data, message, None, get_summary(data)


def get_columns() -> list[dict]:
	return [
		{
			"label": _("Compensation"),
			"fieldname": "name",
			"fieldtype": "Link",
			"options": "Compensation",
			"width": 140,
		},
		{"label": _("Posting Date"), "fieldname": "posting_date", "fieldtype": "Date", "width": 100},
		{
			"label": _("Customer Complaint"),
			"fieldname": "customer_complaint",
			"fieldtype": "Link",
			"options": "Customer Complaint",
			"width": 140,
		},
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 150,
		},
		{
			"label": _("Repair Feedback"),
			"fieldname": "repair_feedback",
			"fieldtype": "Link",
			"options": "Repair Feedback",
			"width": 130,
		},
		{
			"label": _("Settlement Method"),
			"fieldname": "settlement_method",
			"fieldtype": "Data",
			"width": 120,
		},
		{
			"label": _("Currency"),
			"fieldname": "currency",
			"fieldtype": "Link",
			"options": "Currency",
			"width": 70,
		},
		*[
			{
				"label": _(label),
				"fieldname": field,
				"fieldtype": "Currency",
				"options": "currency",
				"width": 100,
			}
			for field, label in BREAKDOWN
		],
		{
			"label": _("Total"),
			"fieldname": "total_amount",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 110,
		},
		{
			"label": _("Total (Company Currency)"),
			"fieldname": "base_total_amount",
			"fieldtype": "Currency",
			"width": 120,
		},
		{"label": _("Voucher Type"), "fieldname": "voucher_type", "fieldtype": "Data", "width": 110},
		{
			"label": _("Voucher"),
			"fieldname": "voucher_no",
			"fieldtype": "Dynamic Link",
			"options": "voucher_type",
			"width": 150,
		},
		{"label": _("GL Amount"), "fieldname": "gl_amount", "fieldtype": "Currency", "width": 110},
		{"label": _("Difference"), "fieldname": "difference", "fieldtype": "Currency", "width": 100},
		{"label": _("Unmatched GL"), "fieldname": "unmatched_gl", "fieldtype": "Currency", "width": 110},
	]


def get_data(filters) -> list[dict]:
	comp = frappe.qb.DocType("Compensation")
	query = (
		frappe.qb.from_(comp)
		.select(
			comp.name,
			comp.posting_date,
			comp.customer_complaint,
			comp.repair_feedback,
			comp.customer,
			comp.settlement_method,
			comp.currency,
			*[comp[field] for field, _label in BREAKDOWN],
			comp.company,
			comp.total_amount,
			comp.base_total_amount,
			comp.journal_entry,
			comp.credit_note,
			comp.replacement_delivery,
		)
		.where(comp.docstatus == 1)
		.orderby(comp.posting_date)
		.orderby(comp.name)
	)
	for field in ("company", "customer", "settlement_method", "customer_complaint"):
		if filters.get(field):
			query = query.where(comp[field] == filters.get(field))
	query = where_dates(query, comp.posting_date, filters)
	rows = query.run(as_dict=True)
	for row in rows:
		row.voucher_type, field = COST_VOUCHER[row.settlement_method]
		row.voucher_no = row.get(field)
	gl = gl_amounts([(row.voucher_type, row.voucher_no) for row in rows if row.voucher_no])
	for row in rows:
		row.gl_amount = gl.get((row.voucher_type, row.voucher_no), 0.0)
		row.difference = flt(row.base_total_amount - row.gl_amount, 2)
	unmatched = unmatched_gl(rows)
	seen = set()
	for row in rows:
		key = (row.company, row.customer_complaint)
		row.unmatched_gl = 0.0 if key in seen else flt(unmatched.get(key), 2)
		seen.add(key)
	return rows


def unmatched_gl(rows: list[dict]) -> dict[tuple[str, str], float]:
	"""Per (company, complaint): the net of GL entries on the company's compensation expense account
	carrying the complaint's dimension, made by vouchers that no submitted compensation (or return
	disposition) of the complaint links."""
	field = get_dimension_field()
	complaints = {row.customer_complaint for row in rows if row.customer_complaint}
	accounts = {
		account
		for company in {row.company for row in rows}
		if (account := get_company_defaults(company).get("compensation_expense_account"))
	}
	if not field or not complaints or not accounts:
		return {}
	comp = frappe.qb.DocType("Compensation")
	linked = set()
	for voucher_row in (
		frappe.qb.from_(comp)
		.select(
			comp.journal_entry,
			comp.payment_entry,
			comp.credit_note,
			comp.replacement_delivery,
			comp.supplier_recovery,
		)
		.where(comp.docstatus == 1)
		.where(comp.customer_complaint.isin(list(complaints)))
		.run()
	):
		linked.update(v for v in voucher_row if v)
	# a scrap loss booked to the same account (if a company uses one account for both) is no stray
	rd, rdi = frappe.qb.DocType("Return Disposition"), frappe.qb.DocType("Return Disposition Item")
	for voucher_row in (
		frappe.qb.from_(rdi)
		.join(rd)
		.on(rd.name == rdi.parent)
		.select(rdi.scrap_stock_entry, rdi.rework_stock_entry, rdi.restock_stock_entry)
		.where(rd.docstatus == 1)
		.where(rd.customer_complaint.isin(list(complaints)))
		.run()
	):
		linked.update(v for v in voucher_row if v)
	gle = frappe.qb.DocType("GL Entry")
	query = (
		frappe.qb.from_(gle)
		.select(gle.company, gle[field], Sum(gle.debit - gle.credit))
		.where(gle.is_cancelled == 0)
		.where(gle[field].isin(list(complaints)))
		.where(gle.account.isin(list(accounts)))
		.groupby(gle.company, gle[field])
	)
	if linked:
		query = query.where(gle.voucher_no.notin(list(linked)))
	return {(company, complaint): flt(amount) for company, complaint, amount in query.run()}


def get_summary(data: list[dict]) -> list[dict]:
	total = flt(sum(row.base_total_amount for row in data), 2)
	gl_total = flt(sum(row.gl_amount for row in data), 2)
	difference = flt(total - gl_total, 2)
	unmatched = flt(sum(row.unmatched_gl or 0 for row in data), 2)
	return [
		{"label": _("Compensations"), "value": len(data), "datatype": "Int"},
		{"label": _("Approved Total"), "value": total, "datatype": "Currency"},
		{"label": _("Posted to GL"), "value": gl_total, "datatype": "Currency"},
		{
			"label": _("Difference"),
			"value": difference,
			"datatype": "Currency",
			"indicator": "Red" if difference else "Green",
		},
		{
			"label": _("Unmatched GL"),
			"value": unmatched,
			"datatype": "Currency",
			"indicator": "Red" if unmatched else "Green",
		},
	]
