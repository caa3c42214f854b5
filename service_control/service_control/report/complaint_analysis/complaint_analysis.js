// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.query_reports["Complaint Analysis"] = {
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
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{
			fieldname: "view",
			label: __("View"),
			fieldtype: "Select",
			options: [
				{ value: "Pareto", label: __("Pareto") },
				{ value: "Repeat Complaints", label: __("Repeat Complaints") },
			],
			default: "Pareto",
			reqd: 1,
		},
		{
			fieldname: "dimension",
			label: __("Analyse By"),
			fieldtype: "Select",
			options: [
				{ value: "Category", label: __("Category") },
				{ value: "Item", label: __("Item") },
				{ value: "Responsibility", label: __("Responsibility") },
				{ value: "Customer", label: __("Customer") },
			],
			default: "Category",
			depends_on: "eval:doc.view == 'Pareto'",
		},
		{
			fieldname: "repeat_by",
			label: __("Repeat By"),
			fieldtype: "Select",
			options: [
				"",
				{ value: "Customer and Item", label: __("Customer and Item") },
				{ value: "Serial No", label: __("Serial No") },
			],
			depends_on: "eval:doc.view == 'Repeat Complaints'",
		},
		{
			fieldname: "window_days",
			label: __("Window (Days)"),
			fieldtype: "Int",
			default: 90,
			depends_on: "eval:doc.view == 'Repeat Complaints'",
		},
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{ fieldname: "item_code", label: __("Item"), fieldtype: "Link", options: "Item" },
	],
};
