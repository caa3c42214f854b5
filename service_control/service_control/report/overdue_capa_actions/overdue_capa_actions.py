# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Open corrective and preventive actions past their due date, on CAPAs still in progress."""

import frappe
from frappe import _
from frappe.utils import date_diff, getdate

from service_control.core import capa as rules


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = get_data(filters)
	return get_columns(), data, None, get_chart(data), get_summary(data)


def get_columns() -> list[dict]:
	return [
		{
			"label": _("CAPA"),
			"fieldname": "corrective_action",
			"fieldtype": "Link",
			"options": "Corrective Action",
			"width": 140,
		},
		{"label": _("Round"), "fieldname": "round", "fieldtype": "Int", "width": 70},
		{"label": _("Type"), "fieldname": "action_type", "fieldtype": "Data", "width": 100},
		{"label": _("Action"), "fieldname": "action", "fieldtype": "Data", "width": 240},
		{
			"label": _("Owner"),
			"fieldname": "action_owner",
			"fieldtype": "Link",
			"options": "User",
			"width": 160,
		},
		{
			"label": _("Department"),
			"fieldname": "department",
			"fieldtype": "Link",
			"options": "Department",
			"width": 130,
		},
		{"label": _("Due Date"), "fieldname": "due_date", "fieldtype": "Date", "width": 100},
		{"label": _("Days Overdue"), "fieldname": "days_overdue", "fieldtype": "Int", "width": 100},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Data", "width": 100},
		{"label": _("Escalated On"), "fieldname": "escalated_on", "fieldtype": "Date", "width": 100},
		{"label": _("CAPA Status"), "fieldname": "capa_status", "fieldtype": "Data", "width": 130},
	]


def get_data(filters) -> list[dict]:
	as_on = getdate(filters.get("as_on"))
	capa = frappe.qb.DocType("Corrective Action")
	item = frappe.qb.DocType("Corrective Action Item")
	query = (
		frappe.qb.from_(item)
		.join(capa)
		.on(capa.name == item.parent)
		.select(
			item.parent.as_("corrective_action"),
			item["round"],
			item.action_type,
			item.action,
			item.action_owner,
			item.department,
			item.due_date,
			item.status,
			item.escalated_on,
			capa.status.as_("capa_status"),
		)
		.where(item.parenttype == "Corrective Action")
		.where(capa.status.isin(rules.ACTION_LIVE_STATUSES))
		.where(item.status.isin(rules.OPEN_ACTION_STATUSES))
		.where(item.due_date < as_on)
		.orderby(item.due_date)
	)
	if filters.get("company"):
		query = query.where(capa.company == filters.company)
	if filters.get("department"):
		query = query.where(item.department == filters.department)
	if filters.get("action_owner"):
		query = query.where(item.action_owner == filters.action_owner)
	if not rules.sees_every_capa(frappe.get_roles()):
		# a Service Technician sees only the overdue actions they own
		query = query.where(item.action_owner == frappe.session.user)
	rows = query.run(as_dict=True)
	for row in rows:
		row.days_overdue = date_diff(as_on, row.due_date)
	return rows


def get_chart(data: list[dict]) -> dict | None:
	counts: dict[str, int] = {}
	for row in data:
		key = row.department or _("No Department")
		counts[key] = counts.get(key, 0) + 1
	if not counts:
		return None
	return {
		"data": {
			"labels": list(counts),
			"datasets": [{"name": _("Overdue Actions"), "values": list(counts.values())}],
		},
		"type": "bar",
	}


def get_summary(data: list[dict]) -> list[dict]:
	escalated = sum(1 for r in data if r.escalated_on)
	return [
		{"label": _("Overdue Actions"), "value": len(data), "datatype": "Int", "indicator": "Red"},
		{"label": _("Escalated"), "value": escalated, "datatype": "Int"},
		{
			"label": _("Most Days Overdue"),
			"value": max((r.days_overdue for r in data), default=0),
			"datatype": "Int",
		},
	]
