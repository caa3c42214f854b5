"""Custom fields on ERPNext doctypes, declared as data (create_custom_fields is idempotent)."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

CUSTOM_FIELDS = {
	"Customer": [
		{
			"fieldname": "sc_key_customer",
			"label": "Key Customer",
			"fieldtype": "Check",
			"insert_after": "customer_group",
			"description": "Key customers get the periodic satisfaction surveys and a yearly visit.",
			# the daily survey dispatch and the key-customer visit reminder filter on it
			"search_index": 1,
		},
	],
	# a sales return made from a complaint links back to it
	"Delivery Note": [
		{
			"fieldname": "sc_customer_complaint",
			"label": "Returned for Complaint",
			"fieldtype": "Link",
			"options": "Customer Complaint",
			"insert_after": "return_against",
			"depends_on": "eval:doc.is_return",
			"read_only": 1,
			"no_copy": 1,
			"search_index": 1,
		},
	],
	"Sales Invoice": [
		{
			"fieldname": "sc_customer_complaint",
			"label": "Returned for Complaint",
			"fieldtype": "Link",
			"options": "Customer Complaint",
			"insert_after": "return_against",
			"depends_on": "eval:doc.is_return",
			"read_only": 1,
			"no_copy": 1,
			"search_index": 1,
		},
		{
			# an invoice for a repair's chargeable parts and labour; one per form
			"fieldname": "sc_repair_feedback",
			"label": "Repair Feedback",
			"fieldtype": "Link",
			"options": "Repair Feedback",
			"insert_after": "sc_customer_complaint",
			"depends_on": "eval:doc.sc_repair_feedback",
			"read_only": 1,
			"no_copy": 1,
			"search_index": 1,
		},
	],
}


def sync() -> None:
	create_custom_fields(CUSTOM_FIELDS, ignore_validate=True, update=True)


def delete() -> None:
	for doctype, fields in CUSTOM_FIELDS.items():
		for df in fields:
			name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": df["fieldname"]})
			if name:
				frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
		frappe.clear_cache(doctype=doctype)
