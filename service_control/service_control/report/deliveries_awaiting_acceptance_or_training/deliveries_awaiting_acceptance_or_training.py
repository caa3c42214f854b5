# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Deliveries still without the customer's acceptance (货物交付验收清单) or without the training
their item groups require (客户培训记录表), per territory, counted in the database.

A submitted delivery (not a return) awaits acceptance while its acceptance status is Awaiting
Acceptance, and awaits training while one of its rows is of an item group with *Customer
Training Required* and no submitted Customer Training Record names it
(``service_control.core.delivery.outstanding``; the SQL below is that rule, and the integration
test checks its cases against the core function). The territory is the customer's, as in the
other reports (the region a delivery is served in). Per territory by default; *Show Deliveries*
lists the deliveries themselves.
"""

import frappe
from frappe import _
from frappe.utils import getdate

from service_control.core import delivery as rules


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	conditions, values = where(filters)
	# one row per delivery: its status, whether any row needs training, whether it was trained
	per_delivery = f"""
		select dn.name as delivery_note, dn.posting_date, dn.customer, dn.customer_name,
			customer.territory, dn.sc_acceptance_status as acceptance_status,
			(dn.sc_acceptance_status = %(awaiting)s) as awaits_acceptance,
			(max(coalesce(ig.sc_training_required, 0)) = 1 and not exists (
				select 1 from `tabCustomer Training Record` tr
				where tr.delivery_note = dn.name and tr.docstatus = 1)) as awaits_training
		from `tabDelivery Note` dn
		join `tabCustomer` customer on customer.name = dn.customer
		join `tabDelivery Note Item` item on item.parent = dn.name and item.parenttype = 'Delivery Note'
		left join `tabItem Group` ig on ig.name = item.item_group
		where {conditions}
		group by dn.name
		having awaits_acceptance or awaits_training
	"""
	values["awaiting"] = rules.AWAITING_ACCEPTANCE
	if filters.get("show_deliveries"):
		data = frappe.db.sql(f"{per_delivery} order by dn.posting_date, dn.name", values, as_dict=True)
		today = getdate()
		for row in data:
			row.days = (today - getdate(row.posting_date)).days
		return delivery_columns(), data, None, None, summary(data)
	data = frappe.db.sql(
		f"""select d.territory, count(*) as deliveries,
			sum(d.awaits_acceptance) as awaits_acceptance, sum(d.awaits_training) as awaits_training,
			min(d.posting_date) as oldest
		from ({per_delivery}) d
		group by d.territory
		order by deliveries desc, d.territory""",
		values,
		as_dict=True,
	)
	return territory_columns(), data, None, chart(data), summary(data)


def where(filters) -> tuple[str, dict]:
	conditions = ["dn.docstatus = 1", "dn.is_return = 0", "dn.sc_acceptance_status is not null"]
	values: dict = {}
	if filters.get("company"):
		conditions.append("dn.company = %(company)s")
		values["company"] = filters.company
	if filters.get("from_date"):
		conditions.append("dn.posting_date >= %(from_date)s")
		values["from_date"] = getdate(filters.from_date)
	if filters.get("to_date"):
		conditions.append("dn.posting_date <= %(to_date)s")
		values["to_date"] = getdate(filters.to_date)
	if filters.get("customer"):
		conditions.append("dn.customer = %(customer)s")
		values["customer"] = filters.customer
	if filters.get("territory"):
		conditions.append("customer.territory in %(territories)s")
		values["territories"] = (
			filters.territory,
			*frappe.db.get_descendants("Territory", filters.territory),
		)
	return " and ".join(conditions), values


def summary(data) -> list[dict]:
	def total(key):
		return sum(int(r.get(key) or 0) for r in data)

	return [
		{
			"label": _("Deliveries"),
			"value": sum(int(r.get("deliveries") or 1) for r in data),
			"datatype": "Int",
		},
		{
			"label": _("Awaiting Acceptance"),
			"value": total("awaits_acceptance"),
			"datatype": "Int",
			"indicator": "Orange",
		},
		{
			"label": _("Awaiting Training"),
			"value": total("awaits_training"),
			"datatype": "Int",
			"indicator": "Blue",
		},
	]


def chart(data) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": [r.territory or _("Not Set") for r in data],
			"datasets": [
				{"name": _("Awaiting Acceptance"), "values": [int(r.awaits_acceptance or 0) for r in data]},
				{"name": _("Awaiting Training"), "values": [int(r.awaits_training or 0) for r in data]},
			],
		},
		"type": "bar",
	}


def territory_columns() -> list[dict]:
	return [
		{
			"fieldname": "territory",
			"label": _("Territory"),
			"fieldtype": "Link",
			"options": "Territory",
			"width": 180,
		},
		{"fieldname": "deliveries", "label": _("Deliveries"), "fieldtype": "Int", "width": 110},
		{
			"fieldname": "awaits_acceptance",
			"label": _("Awaiting Acceptance"),
			"fieldtype": "Int",
			"width": 160,
		},
		{"fieldname": "awaits_training", "label": _("Awaiting Training"), "fieldtype": "Int", "width": 150},
		{"fieldname": "oldest", "label": _("Oldest Delivery"), "fieldtype": "Date", "width": 130},
	]


def delivery_columns() -> list[dict]:
	return [
		{
			"fieldname": "territory",
			"label": _("Territory"),
			"fieldtype": "Link",
			"options": "Territory",
			"width": 140,
		},
		{
			"fieldname": "delivery_note",
			"label": _("Delivery Note"),
			"fieldtype": "Link",
			"options": "Delivery Note",
			"width": 150,
		},
		{"fieldname": "posting_date", "label": _("Delivery Date"), "fieldtype": "Date", "width": 110},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 160,
		},
		{
			"fieldname": "acceptance_status",
			"label": _("Acceptance Status"),
			"fieldtype": "Data",
			"width": 150,
		},
		{
			"fieldname": "awaits_acceptance",
			"label": _("Awaiting Acceptance"),
			"fieldtype": "Check",
			"width": 100,
		},
		{"fieldname": "awaits_training", "label": _("Awaiting Training"), "fieldtype": "Check", "width": 100},
		{"fieldname": "days", "label": _("Days Since Delivery"), "fieldtype": "Int", "width": 100},
	]
