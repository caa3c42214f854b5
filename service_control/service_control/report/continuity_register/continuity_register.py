# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Register of the services in scope of continuity management: each with its current approved
plan, the plan's last test, next test and next review, and whether either is overdue (the core's
rules: core.continuity.review_is_due / is_test_overdue)."""

import frappe
from frappe import _
from frappe.utils import getdate

from service_control.core import continuity as rules


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = get_data(filters, getdate())
	return get_columns(), data, None, None, get_summary(data)


def get_columns() -> list[dict]:
	return [
		{
			"label": _("Service"),
			"fieldname": "service",
			"fieldtype": "Link",
			"options": "Continuity Service",
			"width": 180,
		},
		{
			"label": _("Service Owner"),
			"fieldname": "service_owner",
			"fieldtype": "Link",
			"options": "User",
			"width": 160,
		},
		{"label": _("Agreed RTO (Hours)"), "fieldname": "rto_hours", "fieldtype": "Float", "width": 110},
		{
			"label": _("Maximum Tolerable Outage (Hours)"),
			"fieldname": "mto_hours",
			"fieldtype": "Float",
			"width": 110,
		},
		{
			"label": _("Continuity Plan"),
			"fieldname": "plan",
			"fieldtype": "Link",
			"options": "Continuity Plan",
			"width": 140,
		},
		{"label": _("Version"), "fieldname": "version", "fieldtype": "Int", "width": 70},
		{"label": _("Review Required"), "fieldname": "review_required", "fieldtype": "Check", "width": 90},
		{"label": _("Next Review"), "fieldname": "next_review_date", "fieldtype": "Date", "width": 100},
		{"label": _("Last Tested On"), "fieldname": "last_tested_on", "fieldtype": "Date", "width": 100},
		{"label": _("Next Test Due"), "fieldname": "next_test_due", "fieldtype": "Date", "width": 100},
		{"label": _("Plan State"), "fieldname": "state", "fieldtype": "Data", "width": 180},
	]


def get_data(filters, today) -> list[dict]:
	service, plan = frappe.qb.DocType("Continuity Service"), frappe.qb.DocType("Continuity Plan")
	query = (
		frappe.qb.from_(service)
		.left_join(plan)
		.on((plan.service == service.name) & (plan.docstatus == 1) & (plan.scope == "Service"))
		.select(
			service.name.as_("service"),
			service.service_owner,
			service.rto_hours,
			service.mto_hours,
			plan.name.as_("plan"),
			plan.version,
			plan.review_required,
			plan.next_review_date,
			plan.last_tested_on,
			plan.next_test_due,
		)
		.where(service.disabled == 0)
		.orderby(service.name)
	)
	if filters.get("company"):
		query = query.where(service.company == filters.company)
	rows = query.run(as_dict=True)
	for row in rows:
		row.state = _state(row, today)
	if filters.get("overdue_only"):
		rows = [row for row in rows if row.state != _("Up to date")]
	return rows


def _state(row, today) -> str:
	if not row.plan:
		return _("No approved plan")
	problems = []
	if rules.is_test_overdue(1, getdate(row.next_test_due) if row.next_test_due else None, today):
		problems.append(_("Test overdue"))
	if rules.review_is_due(1, getdate(row.next_review_date) if row.next_review_date else None, today):
		problems.append(_("Review overdue"))
	if row.review_required:
		problems.append(_("Review required"))
	return ", ".join(problems) or _("Up to date")


def get_summary(data) -> list[dict]:
	return [
		{"label": _("Services"), "value": len(data), "datatype": "Int"},
		{
			"label": _("Without an Approved Plan"),
			"value": sum(1 for r in data if not r.plan),
			"datatype": "Int",
			"indicator": "Red",
		},
		{
			"label": _("Test Overdue"),
			"value": sum(1 for r in data if _("Test overdue") in r.state),
			"datatype": "Int",
			"indicator": "Orange",
		},
	]
