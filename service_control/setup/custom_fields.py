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

#: Delivery records: the customer's acceptance (货物交付验收清单) sets the status; a delivery made
#: before its inspections were complete links the approved Exceptional Release (紧急放行).
CUSTOM_FIELDS["Delivery Note"] += [
	{
		"fieldname": "sc_acceptance_status",
		"label": "Acceptance Status",
		"fieldtype": "Select",
		"options": "\nAwaiting Acceptance\nAccepted\nAccepted with Remarks\nRejected",
		"insert_after": "installation_status",
		"read_only": 1,
		"no_copy": 1,
		"allow_on_submit": 1,
		"in_standard_filter": 1,
		# the Deliveries Awaiting Acceptance or Training report filters on it
		"search_index": 1,
	},
	{
		"fieldname": "sc_exceptional_release",
		"label": "Exceptional Release",
		"fieldtype": "Link",
		"options": "Exceptional Release",
		"insert_after": "sc_acceptance_status",
		"depends_on": "eval:doc.sc_exceptional_release",
		"read_only": 1,
		"no_copy": 1,
		"search_index": 1,
	},
]
#: Deliveries of an item group that needs training are listed until a training record is signed.
CUSTOM_FIELDS["Item Group"] = [
	{
		"fieldname": "sc_training_required",
		"label": "Customer Training Required",
		"fieldtype": "Check",
		"insert_after": "is_group",
		"description": "Deliveries of this group's items are listed until a Customer Training Record is submitted.",
	},
]

#: An ERPNext Issue or Warranty Claim converted into a case links to it (the case links back
#: through its Received As fields).
CASE_LINK_FIELDS = [
	{
		"fieldname": "sc_customer_complaint",
		"label": "Customer Complaint",
		"fieldtype": "Link",
		"options": "Customer Complaint",
		"read_only": 1,
		"no_copy": 1,
		"search_index": 1,
	},
	{
		"fieldname": "sc_repair_request",
		"label": "Repair Request",
		"fieldtype": "Link",
		"options": "Repair Request",
		"insert_after": "sc_customer_complaint",
		"read_only": 1,
		"no_copy": 1,
		"search_index": 1,
	},
]
CUSTOM_FIELDS["Issue"] = [{**CASE_LINK_FIELDS[0], "insert_after": "customer"}, CASE_LINK_FIELDS[1]]
CUSTOM_FIELDS["Warranty Claim"] = [{**CASE_LINK_FIELDS[0], "insert_after": "status"}, CASE_LINK_FIELDS[1]]

#: A Quality Goal objective bound to a service indicator; its reviews record the figure.
CUSTOM_FIELDS["Quality Goal Objective"] = [
	{
		"fieldname": "sc_indicator",
		"label": "Service Indicator",
		"fieldtype": "Select",
		"options": "\nCPU\nTGW\nR/1000",
		"insert_after": "uom",
		"in_list_view": 1,
		"description": "Reviewed from the Service Indicators report; lower is better.",
	},
	{
		"fieldname": "sc_window",
		"label": "Indicator Window",
		"fieldtype": "Select",
		"options": "\nShort-term\nLong-term",
		"insert_after": "sc_indicator",
		"depends_on": "sc_indicator",
		"mandatory_depends_on": "sc_indicator",
	},
	{
		"fieldname": "sc_company",
		"label": "Indicator Company",
		"fieldtype": "Link",
		"options": "Company",
		"insert_after": "sc_window",
		"depends_on": "sc_indicator",
		"mandatory_depends_on": "sc_indicator",
	},
	{
		"fieldname": "sc_item_group",
		"label": "Indicator Item Group",
		"fieldtype": "Link",
		"options": "Item Group",
		"insert_after": "sc_company",
		"depends_on": "sc_indicator",
	},
]
CUSTOM_FIELDS["Quality Review Objective"] = [
	{
		"fieldname": "sc_achieved",
		"label": "Achieved",
		"fieldtype": "Float",
		"insert_after": "uom",
		"read_only": 1,
		"in_list_view": 1,
	},
]


#: The installed base (营销部 4.1): where each delivered unit is used, by whom and in what state.
#: ERPNext's own ``customer`` stays the customer of the last delivery; these follow the unit to
#: its end customer and site. Written by the app's records only (core.installed_base).
CUSTOM_FIELDS["Serial No"] = [
	{
		"fieldname": "sc_installed_base_section",
		"label": "Installed Base",
		"fieldtype": "Section Break",
		"insert_after": "customer",
		"collapsible": 1,
	},
	{
		"fieldname": "sc_end_customer",
		"label": "End Customer",
		"fieldtype": "Link",
		"options": "Customer",
		"insert_after": "sc_installed_base_section",
		"read_only": 1,
		"no_copy": 1,
		"in_standard_filter": 1,
		# the Installed Base report and the cases' serial check read it
		"search_index": 1,
	},
	{
		"fieldname": "sc_site_address",
		"label": "Site Address",
		"fieldtype": "Link",
		"options": "Address",
		"insert_after": "sc_end_customer",
		"read_only": 1,
		"no_copy": 1,
	},
	{
		"fieldname": "sc_installed_base_column",
		"fieldtype": "Column Break",
		"insert_after": "sc_site_address",
	},
	{
		"fieldname": "sc_service_status",
		"label": "Service Status",
		"fieldtype": "Select",
		"options": "\nIn Use\nIn Repair\nReplaced\nScrapped\nReturned",
		"insert_after": "sc_installed_base_column",
		"read_only": 1,
		"no_copy": 1,
		"in_standard_filter": 1,
		"search_index": 1,
	},
	{
		"fieldname": "sc_in_use_since",
		"label": "In Use Since",
		"fieldtype": "Date",
		"insert_after": "sc_service_status",
		"read_only": 1,
		"no_copy": 1,
	},
]


def sync() -> None:
	create_custom_fields(CUSTOM_FIELDS, ignore_validate=True, update=True)


def delete() -> None:
	for doctype, fields in CUSTOM_FIELDS.items():
		for df in fields:
			name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": df["fieldname"]})
			if name:
				frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
		frappe.clear_cache(doctype=doctype)
