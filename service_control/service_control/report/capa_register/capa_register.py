# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""纠正和预防措施一览表: one row per CAPA with its risk, round and the state of its actions."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum
from frappe.utils import getdate

from service_control.core import capa as rules
from service_control.service_control.report_filters import where_dates

FILTER_FIELDS = ("company", "status", "source_type", "department", "cause_category", "risk_band")


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = get_data(filters)
	return get_columns(), data, None, get_chart(data), get_summary(data)


def get_columns() -> list[dict]:
	return [
		{
			"label": _("CAPA"),
			"fieldname": "name",
			"fieldtype": "Link",
			"options": "Corrective Action",
			"width": 140,
		},
		{"label": _("CAPA Date"), "fieldname": "opened_on", "fieldtype": "Date", "width": 100},
		{"label": _("Title"), "fieldname": "title", "fieldtype": "Data", "width": 200},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Data", "width": 130},
		{"label": _("Round"), "fieldname": "current_round", "fieldtype": "Int", "width": 70},
		{"label": _("Source Type"), "fieldname": "source_type", "fieldtype": "Data", "width": 140},
		{
			"label": _("Source"),
			"fieldname": "source_name",
			"fieldtype": "Dynamic Link",
			"options": "source_type",
			"width": 140,
		},
		{
			"label": _("Department"),
			"fieldname": "department",
			"fieldtype": "Link",
			"options": "Department",
			"width": 130,
		},
		{"label": _("Cause Category"), "fieldname": "cause_category", "fieldtype": "Data", "width": 110},
		{"label": _("Risk Score"), "fieldname": "risk_score", "fieldtype": "Int", "width": 90},
		{"label": _("Risk Band"), "fieldname": "risk_band", "fieldtype": "Data", "width": 90},
		{"label": _("Actions"), "fieldname": "actions", "fieldtype": "Int", "width": 80},
		{"label": _("Open Actions"), "fieldname": "open_actions", "fieldtype": "Int", "width": 100},
		{"label": _("Overdue Actions"), "fieldname": "overdue_actions", "fieldtype": "Int", "width": 110},
		{"label": _("Closed On"), "fieldname": "closed_on", "fieldtype": "Date", "width": 100},
	]


def get_data(filters) -> list[dict]:
	capa = frappe.qb.DocType("Corrective Action")
	item = frappe.qb.DocType("Corrective Action Item")
	today = getdate()
	is_open = item.status.isin(rules.OPEN_ACTION_STATUSES)
	counts = (
		frappe.qb.from_(item)
		.select(
			item.parent,
			Count(item.name).as_("actions"),
			Sum(frappe.qb.terms.Case().when(is_open, 1).else_(0)).as_("open_actions"),
			Sum(frappe.qb.terms.Case().when(is_open & (item.due_date < today), 1).else_(0)).as_(
				"overdue_actions"
			),
		)
		.where(item.parenttype == "Corrective Action")
		.groupby(item.parent)
	).as_("counts")
	query = (
		frappe.qb.from_(capa)
		.left_join(counts)
		.on(counts.parent == capa.name)
		.select(
			capa.name,
			capa.opened_on,
			capa.title,
			capa.status,
			capa.current_round,
			capa.source_type,
			capa.source_name,
			capa.department,
			capa.cause_category,
			capa.risk_score,
			capa.risk_band,
			counts.actions,
			counts.open_actions,
			counts.overdue_actions,
			capa.closed_on,
		)
		.orderby(capa.opened_on, order=frappe.qb.desc)
	)
	for field in FILTER_FIELDS:
		if filters.get(field):
			query = query.where(capa[field] == filters[field])
	query = where_dates(query, capa.opened_on, filters)
	rows = query.run(as_dict=True)
	for row in rows:
		for key in ("actions", "open_actions", "overdue_actions"):
			row[key] = int(row[key] or 0)
		if row.status in rules.FINAL_STATUSES:
			row.overdue_actions = 0
	return rows


def get_chart(data: list[dict]) -> dict | None:
	counts = {s: 0 for s in rules.STATUSES}
	for row in data:
		counts[row.status] = counts.get(row.status, 0) + 1
	labels = [s for s in rules.STATUSES if counts[s]]
	if not labels:
		return None
	return {
		"data": {
			"labels": [_(s) for s in labels],
			"datasets": [{"name": _("CAPAs"), "values": [counts[s] for s in labels]}],
		},
		"type": "bar",
	}


def get_summary(data: list[dict]) -> list[dict]:
	open_capas = sum(1 for r in data if r.status not in rules.FINAL_STATUSES)
	overdue = sum(r.overdue_actions for r in data)
	high = sum(1 for r in data if r.risk_band == "High" and r.status not in rules.FINAL_STATUSES)
	return [
		{"label": _("CAPAs"), "value": len(data), "datatype": "Int"},
		{"label": _("Open"), "value": open_capas, "datatype": "Int", "indicator": "Blue"},
		{
			"label": _("High Risk Open"),
			"value": high,
			"datatype": "Int",
			"indicator": "Red" if high else "Green",
		},
		{
			"label": _("Overdue Actions"),
			"value": overdue,
			"datatype": "Int",
			"indicator": "Red" if overdue else "Green",
		},
	]
