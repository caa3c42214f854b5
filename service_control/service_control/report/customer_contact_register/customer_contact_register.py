# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""顾客来人来函登记台帐: the front desk's ledger of customer contacts for a period, one row each,
in the order they came in; its print (customer_contact_register.html) is the paper ledger.

Bounded like every register (``report_filters.check_register_size``); the period filter runs on
the indexed ``received_on``.
"""

import frappe
from frappe import _

from service_control.service_control.report_filters import check_register_size, where_dates

FILTER_FIELDS = ("company", "contact_type", "classification", "status", "customer")


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	log = frappe.qb.DocType("Customer Contact Log")
	check_register_size(apply_filters(frappe.qb.from_(log).select(log.name), log, filters), _("contacts"))
	data = get_data(filters)
	return get_columns(), data, None, None, get_summary(data)


def get_columns() -> list[dict]:
	return [
		{
			"label": _("Entry"),
			"fieldname": "name",
			"fieldtype": "Link",
			"options": "Customer Contact Log",
			"width": 140,
		},
		{"label": _("Received On"), "fieldname": "received_on", "fieldtype": "Datetime", "width": 150},
		{"label": _("Contact Type"), "fieldname": "contact_type", "fieldtype": "Data", "width": 90},
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 150,
		},
		{"label": _("Name"), "fieldname": "caller", "fieldtype": "Data", "width": 150},
		{"label": _("Phone"), "fieldname": "caller_phone", "fieldtype": "Data", "width": 110},
		{"label": _("Subject"), "fieldname": "subject", "fieldtype": "Data", "width": 220},
		{"label": _("Classification"), "fieldname": "classification", "fieldtype": "Data", "width": 120},
		{"label": _("Handling"), "fieldname": "handling", "fieldtype": "Data", "width": 150},
		{"label": _("Answered On"), "fieldname": "answered_on", "fieldtype": "Datetime", "width": 150},
		{
			"label": _("Answered By"),
			"fieldname": "answered_by",
			"fieldtype": "Link",
			"options": "User",
			"width": 130,
		},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Data", "width": 90},
		{"label": _("SLA State"), "fieldname": "sla_state", "fieldtype": "Data", "width": 90},
		{
			"label": _("Received By"),
			"fieldname": "received_by",
			"fieldtype": "Link",
			"options": "User",
			"width": 130,
		},
	]


def get_data(filters) -> list[dict]:
	log = frappe.qb.DocType("Customer Contact Log")
	query = frappe.qb.from_(log).select(
		log.name,
		log.received_on,
		log.contact_type,
		log.customer,
		frappe.query_builder.functions.Coalesce(log.customer_name, log.caller_name, log.sender_email).as_(
			"caller"
		),
		log.caller_phone,
		log.subject,
		log.classification,
		log.handling,
		log.answered_on,
		log.answered_by,
		log.status,
		log.sla_state,
		log.received_by,
	)
	return apply_filters(query, log, filters).orderby(log.received_on).run(as_dict=True)


def apply_filters(query, log, filters):
	for field in FILTER_FIELDS:
		if filters.get(field):
			query = query.where(log[field] == filters[field])
	return where_dates(query, log.received_on, filters)


def get_summary(data: list[dict]) -> list[dict]:
	unanswered = sum(1 for row in data if row.status in ("Open", "Referred"))
	late = sum(1 for row in data if row.sla_state in ("Breached", "Met Late"))
	return [
		{"label": _("Contacts"), "value": len(data), "datatype": "Int"},
		{
			"label": _("Awaiting an Answer"),
			"value": unanswered,
			"datatype": "Int",
			"indicator": "Orange" if unanswered else "Green",
		},
		{
			"label": _("Answered Late or Overdue"),
			"value": late,
			"datatype": "Int",
			"indicator": "Red" if late else "Green",
		},
	]
