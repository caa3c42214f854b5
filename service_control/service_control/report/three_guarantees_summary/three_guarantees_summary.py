# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""三包 summary (monthly or annual): free repairs, chargeable repairs, replacements, refunds."""

import frappe
from frappe import _

from service_control.core import repair as rules
from service_control.service_control.report.repair_statistics.repair_statistics import load_records


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	periodicity = filters.get("periodicity") or rules.MONTHLY
	summary = rules.three_guarantees_summary(load_records(filters), periodicity)
	data = [
		{
			"period": period,
			"repair_free": c.repair_free,
			"repair_chargeable": c.repair_chargeable,
			"replace": c.replace,
			"refund": c.refund,
			"total": c.total,
		}
		for period, c in summary.items()
	]
	chart = (
		{
			"data": {
				"labels": [row["period"] for row in data],
				"datasets": [
					{"name": _("Free Repair"), "values": [row["repair_free"] for row in data]},
					{"name": _("Chargeable Repair"), "values": [row["repair_chargeable"] for row in data]},
					{"name": _("Replace"), "values": [row["replace"] for row in data]},
					{"name": _("Refund"), "values": [row["refund"] for row in data]},
				],
			},
			"type": "bar",
			"barOptions": {"stacked": 1},
		}
		if data
		else None
	)
	return get_columns(), data, None, chart


def get_columns() -> list[dict]:
	return [
		{"label": _("Period"), "fieldname": "period", "fieldtype": "Data", "width": 90},
		{"label": _("Free Repair"), "fieldname": "repair_free", "fieldtype": "Int", "width": 110},
		{"label": _("Chargeable Repair"), "fieldname": "repair_chargeable", "fieldtype": "Int", "width": 140},
		{"label": _("Replace"), "fieldname": "replace", "fieldtype": "Int", "width": 90},
		{"label": _("Refund"), "fieldname": "refund", "fieldtype": "Int", "width": 90},
		{"label": _("Total"), "fieldname": "total", "fieldtype": "Int", "width": 90},
	]
