// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.query_reports["Service Indicators"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
			reqd: 1,
		},
		{
			fieldname: "as_of",
			label: __("As Of"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "from_date",
			label: __("Delivered From"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -24),
		},
		{ fieldname: "to_date", label: __("Delivered To"), fieldtype: "Date" },
		{
			fieldname: "view",
			label: __("View"),
			fieldtype: "Select",
			options: [
				{ value: "Groups", label: __("Groups") },
				{ value: "Cohorts", label: __("Cohorts") },
			],
			default: "Groups",
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Item Group", label: __("Item Group") },
				{ value: "Item", label: __("Item") },
				{ value: "Territory", label: __("Territory") },
				{ value: "Customer Group", label: __("Customer Group") },
				{ value: "Delivery Month", label: __("Delivery Month") },
			],
			default: "Item Group",
			depends_on: "eval:doc.view != 'Cohorts'",
		},
		{
			fieldname: "then_by",
			label: __("Then By"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Item Group", label: __("Item Group") },
				{ value: "Item", label: __("Item") },
				{ value: "Territory", label: __("Territory") },
				{ value: "Customer Group", label: __("Customer Group") },
				{ value: "Delivery Month", label: __("Delivery Month") },
			],
			depends_on: "eval:doc.view != 'Cohorts'",
		},
		{
			fieldname: "indicator",
			label: __("Indicator"),
			fieldtype: "Select",
			options: ["R/1000", "TGW", "CPU"],
			default: "R/1000",
		},
		{
			fieldname: "months",
			label: __("Months in Service"),
			fieldtype: "Int",
			default: 12,
			depends_on: "eval:doc.view == 'Cohorts'",
		},
		{ fieldname: "item_code", label: __("Item"), fieldtype: "Link", options: "Item" },
		{ fieldname: "item_group", label: __("Item Group"), fieldtype: "Link", options: "Item Group" },
		{ fieldname: "territory", label: __("Territory"), fieldtype: "Link", options: "Territory" },
		{
			fieldname: "customer_group",
			label: __("Customer Group"),
			fieldtype: "Link",
			options: "Customer Group",
		},
		{
			fieldname: "category",
			label: __("Complaint Category"),
			fieldtype: "Link",
			options: "Complaint Category",
		},
	],
};
