# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""The installed base (营销部 4.1): the delivered units by end customer, territory and item, with
their site and service status. Grouped, it counts the units per status with GROUP BY in the
database; ungrouped, it lists them (bounded). Months in service are core.installed_base's."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import getdate, today

from service_control.core import installed_base as rules

#: Rows listed at most when not grouped; the message says when more match.
LIMIT = 2000
GROUPS = {"Customer": "end_customer", "Territory": "territory", "Item": "item_code"}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by")
	if group_by in GROUPS:
		return grouped(filters, group_by)
	return listed(filters)


def _query(filters):
	serial = frappe.qb.DocType("Serial No")
	customer = frappe.qb.DocType("Customer")
	query = (
		frappe.qb.from_(serial)
		.join(customer)
		.on(customer.name == serial.sc_end_customer)
		.where(serial.sc_end_customer.isnotnull())
	)
	for field, column in (
		("company", serial.company),
		("customer", serial.sc_end_customer),
		("item_code", serial.item_code),
		("status", serial.sc_service_status),
		("territory", customer.territory),
	):
		if filters.get(field):
			query = query.where(column == filters[field])
	return query, serial, customer


def listed(filters):
	query, serial, customer = _query(filters)
	rows = (
		query.select(
			serial.name.as_("serial_no"),
			serial.item_code,
			serial.item_name,
			serial.sc_end_customer.as_("end_customer"),
			customer.customer_name,
			customer.territory,
			serial.sc_site_address.as_("site_address"),
			serial.sc_service_status.as_("status"),
			serial.sc_in_use_since.as_("in_use_since"),
			serial.customer.as_("delivered_to"),
			serial.warranty_expiry_date,
		)
		.orderby(serial.sc_end_customer)
		.orderby(serial.name)
		.limit(LIMIT + 1)
		.run(as_dict=True)
	)
	message = None
	if len(rows) > LIMIT:
		rows = rows[:LIMIT]
		message = _("Only the first {0} units are listed: filter or group the report.").format(LIMIT)
	on = getdate(today())
	for row in rows:
		row.months_in_service = rules.months_in_service(
			getdate(row.in_use_since) if row.in_use_since else None, on
		)
	return list_columns(), rows, message


def grouped(filters, group_by: str):
	query, serial, customer = _query(filters)
	column = {
		"end_customer": serial.sc_end_customer,
		"territory": customer.territory,
		"item_code": serial.item_code,
	}[GROUPS[group_by]]
	counts = (
		query.select(column.as_("group"), serial.sc_service_status.as_("status"), Count("*").as_("units"))
		.groupby(column, serial.sc_service_status)
		.run(as_dict=True)
	)
	data: dict[str, dict] = {}
	for row in counts:
		line = data.setdefault(row.group, {"group": row.group, "total": 0})
		line[frappe.scrub(row.status or "")] = row.units
		line["total"] += row.units
	return grouped_columns(group_by), sorted(data.values(), key=lambda r: r["group"] or "")


def list_columns() -> list[dict]:
	return [
		{
			"label": _("Serial No"),
			"fieldname": "serial_no",
			"fieldtype": "Link",
			"options": "Serial No",
			"width": 150,
		},
		{"label": _("Item"), "fieldname": "item_code", "fieldtype": "Link", "options": "Item", "width": 150},
		{
			"label": _("End Customer"),
			"fieldname": "end_customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 150,
		},
		{"label": _("Customer Name"), "fieldname": "customer_name", "fieldtype": "Data", "width": 150},
		{
			"label": _("Territory"),
			"fieldname": "territory",
			"fieldtype": "Link",
			"options": "Territory",
			"width": 110,
		},
		{
			"label": _("Site Address"),
			"fieldname": "site_address",
			"fieldtype": "Link",
			"options": "Address",
			"width": 150,
		},
		{"label": _("Service Status"), "fieldname": "status", "fieldtype": "Data", "width": 100},
		{"label": _("In Use Since"), "fieldname": "in_use_since", "fieldtype": "Date", "width": 100},
		{"label": _("Months in Service"), "fieldname": "months_in_service", "fieldtype": "Int", "width": 90},
		{
			"label": _("Delivered To"),
			"fieldname": "delivered_to",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 150,
		},
		{
			"label": _("Warranty Expiry Date"),
			"fieldname": "warranty_expiry_date",
			"fieldtype": "Date",
			"width": 110,
		},
	]


def grouped_columns(group_by: str) -> list[dict]:
	return [
		{"label": _(group_by), "fieldname": "group", "fieldtype": "Data", "width": 180},
		*(
			{"label": _(status), "fieldname": frappe.scrub(status), "fieldtype": "Int", "width": 90}
			for status in rules.STATUSES
		),
		{"label": _("Total"), "fieldname": "total", "fieldtype": "Int", "width": 80},
	]
