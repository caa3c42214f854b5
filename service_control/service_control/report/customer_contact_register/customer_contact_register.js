// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.query_reports["Customer Contact Register"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.month_start(),
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{
			fieldname: "contact_type",
			label: __("Contact Type"),
			fieldtype: "Select",
			options: ["", "Visit", "Phone", "Fax", "Letter", "E-mail", "Showroom", "Portal", "Other"],
		},
		{
			fieldname: "classification",
			label: __("Classification"),
			fieldtype: "Select",
			options: ["", "Inquiry", "Product Feedback", "Complaint", "Repair Request", "Praise", "Other"],
		},
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: ["", "Open", "Referred", "Answered", "Converted", "Cancelled"],
		},
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
	],
};
