# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""质量损失: the cost of poor quality read from the General Ledger: every GL entry that carries the
Customer Complaint accounting dimension, on an expense or income account (compensation expense,
scrap loss, credit notes, goods replaced free), by customer, item, category and month."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count, DateFormat, Sum

from service_control.service_control.report_filters import where_dates
from service_control.setup.accounting_dimension import get_dimension_field


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	field = get_dimension_field()
	if not field:
		return get_columns(), [], _("The Customer Complaint accounting dimension is missing: run a migrate.")
	data = get_data(filters, field)
	total = sum(row.amount for row in data)
	summary = [{"label": _("Cost of Poor Quality"), "value": total, "datatype": "Currency"}]
	return get_columns(), data, None, None, summary


def get_columns() -> list[dict]:
	return [
		{"label": _("Month"), "fieldname": "month", "fieldtype": "Data", "width": 90},
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 160,
		},
		{"label": _("Item"), "fieldname": "item_code", "fieldtype": "Link", "options": "Item", "width": 150},
		{
			"label": _("Category"),
			"fieldname": "category",
			"fieldtype": "Link",
			"options": "Complaint Category",
			"width": 140,
		},
		{
			"label": _("Account"),
			"fieldname": "account",
			"fieldtype": "Link",
			"options": "Account",
			"width": 200,
		},
		{"label": _("Complaints"), "fieldname": "complaints", "fieldtype": "Int", "width": 90},
		{"label": _("Amount"), "fieldname": "amount", "fieldtype": "Currency", "width": 120},
	]


def get_data(filters, field: str) -> list[dict]:
	gle, account = frappe.qb.DocType("GL Entry"), frappe.qb.DocType("Account")
	complaint = frappe.qb.DocType("Customer Complaint")
	month = DateFormat(gle.posting_date, "%Y-%m")
	query = (
		frappe.qb.from_(gle)
		.join(account)
		.on(account.name == gle.account)
		.join(complaint)
		.on(complaint.name == gle[field])
		.select(
			month.as_("month"),
			complaint.customer,
			complaint.item_code,
			complaint.category,
			gle.account,
			Count(gle[field]).distinct().as_("complaints"),
			Sum(gle.debit - gle.credit).as_("amount"),
		)
		.where(gle.is_cancelled == 0)
		.where(account.root_type.isin(["Expense", "Income"]))
		.groupby(month, complaint.customer, complaint.item_code, complaint.category, gle.account)
		.orderby(month)
		.orderby(complaint.customer)
	)
	if filters.get("company"):
		query = query.where(gle.company == filters.company)
	query = where_dates(query, gle.posting_date, filters)
	for name in ("customer", "item_code", "category"):
		if filters.get(name):
			query = query.where(complaint[name] == filters.get(name))
	return query.run(as_dict=True)
