# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""送修 / 返修 turnaround: each unit received for depot repair with the hours from receipt to repair,
repair to shipment and receipt to shipment, and their means in the summary. The arithmetic is
core.depot's (calendar hours)."""

import frappe
from frappe import _
from frappe.utils import get_datetime

from service_control.core import depot as rules
from service_control.service_control.report_filters import where_dates


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	receipt = frappe.qb.DocType("Depot Repair Receipt")
	query = (
		frappe.qb.from_(receipt)
		.select(
			receipt.name,
			receipt.repair_request,
			receipt.customer_name,
			receipt.item_code,
			receipt.serial_no,
			receipt.arrival_mode,
			receipt.status,
			receipt.received_on,
			receipt.repaired_on,
			receipt.shipped_on,
			receipt.delivered_on,
		)
		.where(receipt.docstatus == 1)
		.orderby(receipt.received_on)
	)
	for field in ("company", "item_code", "arrival_mode", "status"):
		if filters.get(field):
			query = query.where(receipt[field] == filters[field])
	rows = where_dates(query, receipt.received_on, filters).run(as_dict=True)
	for row in rows:
		t = rules.turnaround(*(_dt(row[f]) for f in ("received_on", "repaired_on", "shipped_on")))
		row.update({"to_repair": t.to_repair, "to_ship": t.to_ship, "total": t.total})
	summary = [
		{"label": _(label), "value": rules.mean(r[field] for r in rows), "datatype": "Float"}
		for field, label in (
			("to_repair", "Received to Repaired (Hours)"),
			("to_ship", "Repaired to Shipped (Hours)"),
			("total", "Received to Shipped (Hours)"),
		)
	]
	return get_columns(), rows, None, None, summary


def _dt(value):
	return get_datetime(value) if value else None


def get_columns() -> list[dict]:
	return [
		{
			"label": _("Depot Repair Receipt"),
			"fieldname": "name",
			"fieldtype": "Link",
			"options": "Depot Repair Receipt",
			"width": 140,
		},
		{
			"label": _("Repair Request"),
			"fieldname": "repair_request",
			"fieldtype": "Link",
			"options": "Repair Request",
			"width": 130,
		},
		{"label": _("Customer Name"), "fieldname": "customer_name", "fieldtype": "Data", "width": 150},
		{"label": _("Item"), "fieldname": "item_code", "fieldtype": "Link", "options": "Item", "width": 130},
		{
			"label": _("Serial No"),
			"fieldname": "serial_no",
			"fieldtype": "Link",
			"options": "Serial No",
			"width": 130,
		},
		{"label": _("Arrived By"), "fieldname": "arrival_mode", "fieldtype": "Data", "width": 130},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Data", "width": 90},
		{"label": _("Received On"), "fieldname": "received_on", "fieldtype": "Datetime", "width": 150},
		{"label": _("Repaired On"), "fieldname": "repaired_on", "fieldtype": "Datetime", "width": 150},
		{"label": _("Shipped On"), "fieldname": "shipped_on", "fieldtype": "Datetime", "width": 150},
		{"label": _("Delivered On"), "fieldname": "delivered_on", "fieldtype": "Datetime", "width": 150},
		{
			"label": _("Received to Repaired (Hours)"),
			"fieldname": "to_repair",
			"fieldtype": "Float",
			"width": 120,
		},
		{
			"label": _("Repaired to Shipped (Hours)"),
			"fieldname": "to_ship",
			"fieldtype": "Float",
			"width": 120,
		},
		{"label": _("Received to Shipped (Hours)"), "fieldname": "total", "fieldtype": "Float", "width": 120},
	]
