# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Effectiveness rate and cycle time of CAPAs, by month, department or cause category.

The arithmetic is the core's (service_control.core.capa.summarize_effectiveness); this loads
the CAPAs of the period (not cancelled) and their verified checks in two queries.
"""

import frappe
from frappe import _
from frappe.utils import getdate

from service_control.core import capa as rules
from service_control.service_control.report_filters import where_dates


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or "Month"
	data = rules.summarize_effectiveness(load_outcomes(filters), group_by)
	return get_columns(group_by), data, None, get_chart(data), get_summary(data)


def get_columns(group_by: str) -> list[dict]:
	return [
		{"label": _(group_by), "fieldname": "group", "fieldtype": "Data", "width": 140},
		{"label": _("CAPAs"), "fieldname": "capas", "fieldtype": "Int", "width": 80},
		{"label": _("Closed"), "fieldname": "closed", "fieldtype": "Int", "width": 80},
		{"label": _("Checks Verified"), "fieldname": "checks", "fieldtype": "Int", "width": 110},
		{"label": _("Effective"), "fieldname": "effective", "fieldtype": "Int", "width": 90},
		{
			"label": _("Effectiveness Rate"),
			"fieldname": "effectiveness_rate",
			"fieldtype": "Percent",
			"width": 130,
		},
		{
			"label": _("Effective First Time"),
			"fieldname": "first_time_rate",
			"fieldtype": "Percent",
			"width": 140,
		},
		{
			"label": _("Avg Cycle Time (Days)"),
			"fieldname": "avg_cycle_days",
			"fieldtype": "Float",
			"width": 150,
		},
	]


def load_outcomes(filters) -> list[rules.Outcome]:
	capa = frappe.qb.DocType("Corrective Action")
	query = (
		frappe.qb.from_(capa)
		.select(capa.name, capa.opened_on, capa.closed_on, capa.department, capa.cause_category)
		.where(capa.status != rules.CANCELLED)
	)
	for field in ("company", "department", "cause_category"):
		if filters.get(field):
			query = query.where(capa[field] == filters[field])
	query = where_dates(query, capa.opened_on, filters)
	capas = query.run(as_dict=True)
	if not capas:
		return []
	results: dict[str, list[str]] = {}
	for row in frappe.get_all(
		"Corrective Action Effectiveness",
		filters={
			"parenttype": "Corrective Action",
			"parent": ("in", [c.name for c in capas]),
			"result": ("in", rules.RESULTS),
		},
		fields=["parent", "result"],
		order_by="`round` asc",
	):
		results.setdefault(row.parent, []).append(row.result)
	return [
		rules.Outcome(
			opened_on=getdate(c.opened_on),
			closed_on=getdate(c.closed_on) if c.closed_on else None,
			department=c.department,
			cause_category=c.cause_category,
			results=tuple(results.get(c.name, ())),
		)
		for c in capas
	]


def get_chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": [r["group"] or _("Not Set") for r in data],
			"datasets": [
				{"name": _("Effectiveness Rate"), "values": [r["effectiveness_rate"] or 0 for r in data]},
				{"name": _("Avg Cycle Time (Days)"), "values": [r["avg_cycle_days"] or 0 for r in data]},
			],
		},
		"type": "bar",
	}


def get_summary(data: list[dict]) -> list[dict]:
	checks = sum(r["checks"] for r in data)
	effective = sum(r["effective"] for r in data)
	rate = round(100.0 * effective / checks, 1) if checks else 0
	return [
		{"label": _("CAPAs"), "value": sum(r["capas"] for r in data), "datatype": "Int"},
		{"label": _("Checks Verified"), "value": checks, "datatype": "Int"},
		{
			"label": _("Effectiveness Rate"),
			"value": rate,
			"datatype": "Percent",
			"indicator": "Green" if rate >= 80 else "Orange",
		},
	]
