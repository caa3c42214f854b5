# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""顾客投诉处理一览表: the register of complaints, one row each, with their SLA outcome.

A register lists rows, so it is bounded: the filters (the period first) must select at most
``report_filters.MAX_REGISTER_ROWS`` complaints, else the user is asked to narrow them.
"""

import frappe
from frappe import _

from service_control.core.sla import ClockState
from service_control.service_control.report_filters import check_register_size, where_category, where_dates


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	complaint = frappe.qb.DocType("Customer Complaint")
	check_register_size(
		apply_filters(frappe.qb.from_(complaint).select(complaint.name), complaint, filters), _("complaints")
	)
	data = get_data(filters)
	return get_columns(), data, None, get_chart(data), get_summary(data)


def get_columns() -> list[dict]:
	return [
		{
			"label": _("Complaint"),
			"fieldname": "name",
			"fieldtype": "Link",
			"options": "Customer Complaint",
			"width": 150,
		},
		{
			"label": _("Received On", context="Customer Complaint"),
			"fieldname": "received_on",
			"fieldtype": "Datetime",
			"width": 150,
		},
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 160,
		},
		{"label": _("Item"), "fieldname": "item_code", "fieldtype": "Link", "options": "Item", "width": 130},
		{
			"label": _("Category"),
			"fieldname": "category",
			"fieldtype": "Link",
			"options": "Complaint Category",
			"width": 130,
		},
		{"label": _("Urgency"), "fieldname": "urgency", "fieldtype": "Data", "width": 80},
		{"label": _("Affected Qty"), "fieldname": "affected_qty", "fieldtype": "Float", "width": 90},
		{"label": _("Responsibility"), "fieldname": "responsibility", "fieldtype": "Data", "width": 110},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Data", "width": 110},
		{"label": _("SLA State"), "fieldname": "sla_state", "fieldtype": "Data", "width": 90},
		{"label": _("Replied On"), "fieldname": "replied_on", "fieldtype": "Datetime", "width": 150},
		{"label": _("Satisfaction"), "fieldname": "satisfaction", "fieldtype": "Data", "width": 110},
		{"label": _("Closed On"), "fieldname": "closed_on", "fieldtype": "Datetime", "width": 150},
	]


def get_data(filters) -> list[dict]:
	complaint = frappe.qb.DocType("Customer Complaint")
	query = (
		frappe.qb.from_(complaint)
		.select(
			complaint.name,
			complaint.received_on,
			complaint.customer,
			complaint.item_code,
			complaint.category,
			complaint.urgency,
			complaint.affected_qty,
			complaint.responsibility,
			complaint.status,
			complaint.sla_state,
			complaint.replied_on,
			complaint.satisfaction,
			complaint.closed_on,
		)
		.orderby(complaint.received_on, order=frappe.qb.desc)
	)
	return apply_filters(query, complaint, filters).run(as_dict=True)


def apply_filters(query, complaint, filters):
	for field in ("company", "customer", "item_code", "status"):
		if filters.get(field):
			query = query.where(complaint[field] == filters[field])
	query = where_category(query, complaint.category, filters.get("category"))
	return where_dates(query, complaint.received_on, filters)


def get_chart(data: list[dict]) -> dict | None:
	counts: dict[str, int] = {}
	for row in data:
		counts[row.status] = counts.get(row.status, 0) + 1
	if not counts:
		return None
	labels = list(counts)
	return {
		"data": {
			"labels": [_(s) for s in labels],
			"datasets": [{"name": _("Complaints"), "values": [counts[s] for s in labels]}],
		},
		"type": "bar",
	}


def get_summary(data: list[dict]) -> list[dict]:
	closed = sum(1 for r in data if r.status == "Closed")
	breached = sum(1 for r in data if r.sla_state in (ClockState.BREACHED, ClockState.MET_LATE))
	return [
		{"label": _("Complaints"), "value": len(data), "datatype": "Int"},
		{"label": _("Closed"), "value": closed, "datatype": "Int", "indicator": "Green"},
		{
			"label": _("Late or Breached"),
			"value": breached,
			"datatype": "Int",
			"indicator": "Red" if breached else "Green",
		},
	]
