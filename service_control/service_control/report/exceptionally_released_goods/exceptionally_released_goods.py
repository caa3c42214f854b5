# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Goods released by exception (紧急放行): one line per serial number (or per row, for a batch
or an item without serials) delivered under an approved Exceptional Release, with the inspection
state at release and the inspection on the delivery now, so quality can recall or replace them."""

import frappe
from frappe import _

from service_control.core import delivery as rules
from service_control.service_control.report_filters import where_dates, where_territory


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	release = frappe.qb.DocType("Exceptional Release")
	row = frappe.qb.DocType("Exceptional Release Item")
	note = frappe.qb.DocType("Delivery Note")
	note_item = frappe.qb.DocType("Delivery Note Item")
	qi = frappe.qb.DocType("Quality Inspection")
	query = (
		frappe.qb.from_(row)
		.join(release)
		.on(release.name == row.parent)
		.join(note)
		.on(note.name == release.delivery_note)
		.left_join(note_item)
		.on(note_item.name == row.dn_detail)
		.left_join(qi)
		.on(qi.name == note_item.quality_inspection)
		.select(
			release.name.as_("exceptional_release"),
			release.approved_by,
			release.approved_on,
			release.follow_up,
			note.name.as_("delivery_note"),
			note.posting_date,
			note.customer,
			note.customer_name,
			row.item_code,
			row.item_name,
			row.qty,
			row.serial_no,
			row.batch_no,
			row.inspection_status,
			note_item.quality_inspection,
			qi.docstatus.as_("qi_docstatus"),
			qi.status.as_("qi_status"),
		)
		.where((release.docstatus == 1) & (note.docstatus == 1) & (row.parenttype == "Exceptional Release"))
		.orderby(note.posting_date, order=frappe.qb.desc)
	)
	if filters.get("company"):
		query = query.where(release.company == filters.company)
	for field in ("customer", "item_code"):
		if filters.get(field):
			query = query.where((note.customer if field == "customer" else row.item_code) == filters[field])
	query = where_dates(query, note.posting_date, filters)
	query = where_territory(query, note.customer, filters.get("territory"))
	data = []
	for r in query.run(as_dict=True):
		current = rules.inspection_state(r.quality_inspection, r.qi_docstatus, r.qi_status)
		base = {k: v for k, v in r.items() if k not in ("serial_no", "qi_docstatus", "qi_status")}
		base["inspection_now"] = current
		serials = rules.parse_serials(r.serial_no)
		if serials:
			data.extend({**base, "serial_no": s, "qty": 1} for s in serials)
		else:
			data.append({**base, "serial_no": None})
	return columns(), data


def columns() -> list[dict]:
	return [
		{
			"fieldname": "exceptional_release",
			"label": _("Exceptional Release"),
			"fieldtype": "Link",
			"options": "Exceptional Release",
			"width": 140,
		},
		{
			"fieldname": "delivery_note",
			"label": _("Delivery Note"),
			"fieldtype": "Link",
			"options": "Delivery Note",
			"width": 140,
		},
		{"fieldname": "posting_date", "label": _("Delivery Date"), "fieldtype": "Date", "width": 100},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 140,
		},
		{"fieldname": "item_code", "label": _("Item"), "fieldtype": "Link", "options": "Item", "width": 140},
		{
			"fieldname": "serial_no",
			"label": _("Serial No"),
			"fieldtype": "Link",
			"options": "Serial No",
			"width": 140,
		},
		{"fieldname": "batch_no", "label": _("Batch"), "fieldtype": "Link", "options": "Batch", "width": 110},
		{"fieldname": "qty", "label": _("Qty"), "fieldtype": "Float", "width": 70},
		{
			"fieldname": "inspection_status",
			"label": _("Inspection at Release"),
			"fieldtype": "Data",
			"width": 120,
		},
		{
			"fieldname": "quality_inspection",
			"label": _("Quality Inspection"),
			"fieldtype": "Link",
			"options": "Quality Inspection",
			"width": 140,
		},
		{"fieldname": "inspection_now", "label": _("Inspection Now"), "fieldtype": "Data", "width": 110},
		{
			"fieldname": "approved_by",
			"label": _("Approved By"),
			"fieldtype": "Link",
			"options": "User",
			"width": 140,
		},
		{"fieldname": "approved_on", "label": _("Approved On"), "fieldtype": "Datetime", "width": 150},
		{
			"fieldname": "follow_up",
			"label": _("Recall or Replacement Plan"),
			"fieldtype": "Data",
			"width": 200,
		},
	]
