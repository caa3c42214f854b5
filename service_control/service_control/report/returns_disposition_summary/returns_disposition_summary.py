# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""客退品处理汇总: scrap, rework and restock quantities and values (ERPNext's valuation of the
stock entries) by item and month, from submitted Return Dispositions."""

import frappe
from frappe import _
from frappe.query_builder.functions import DateFormat, Sum

from service_control.service_control.report_filters import where_dates

FIGURES = (
	("scrap_qty", "Scrap Qty", "Float"),
	("scrap_value", "Scrap Value", "Currency"),
	("rework_qty", "Rework Qty", "Float"),
	("rework_value", "Rework Value", "Currency"),
	("restock_qty", "Restock Qty", "Float"),
	("restock_value", "Restock Value", "Currency"),
)


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = get_data(filters)
	return get_columns(), data, None, get_chart(data)


def get_columns() -> list[dict]:
	return [
		{"label": _("Month"), "fieldname": "month", "fieldtype": "Data", "width": 90},
		{"label": _("Item"), "fieldname": "item_code", "fieldtype": "Link", "options": "Item", "width": 160},
		{"label": _("Returned Qty"), "fieldname": "returned_qty", "fieldtype": "Float", "width": 100},
		*[
			{"label": _(label), "fieldname": field, "fieldtype": fieldtype, "width": 110}
			for field, label, fieldtype in FIGURES
		],
	]


def get_data(filters) -> list[dict]:
	rd, rdi = frappe.qb.DocType("Return Disposition"), frappe.qb.DocType("Return Disposition Item")
	month = DateFormat(rd.posting_date, "%Y-%m")
	query = (
		frappe.qb.from_(rdi)
		.join(rd)
		.on(rd.name == rdi.parent)
		.select(
			month.as_("month"),
			rdi.item_code,
			Sum(rdi.returned_qty).as_("returned_qty"),
			*[Sum(rdi[field]).as_(field) for field, _label, _type in FIGURES],
		)
		.where(rd.docstatus == 1)
		.where(rdi.parenttype == "Return Disposition")
		.groupby(month, rdi.item_code)
		.orderby(month)
		.orderby(rdi.item_code)
	)
	for field in ("company", "customer", "customer_complaint"):
		if filters.get(field):
			query = query.where(rd[field] == filters.get(field))
	if filters.get("item_code"):
		query = query.where(rdi.item_code == filters.item_code)
	query = where_dates(query, rd.posting_date, filters)
	return query.run(as_dict=True)


def get_chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	months = sorted({row.month for row in data})
	return {
		"data": {
			"labels": months,
			"datasets": [
				{
					"name": _(label),
					"values": [sum(r[field] or 0 for r in data if r.month == m) for m in months],
				}
				for field, label in (
					("scrap_qty", "Scrap"),
					("rework_qty", "Rework"),
					("restock_qty", "Restock"),
				)
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
	}
