// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.query_reports["CAPA Effectiveness"] = {
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
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Month", "Department", "Cause Category"],
			default: "Month",
			reqd: 1,
		},
		{ fieldname: "department", label: __("Department"), fieldtype: "Link", options: "Department" },
		{
			fieldname: "cause_category",
			label: __("Cause Category"),
			fieldtype: "Select",
			options: ["", "Man", "Machine", "Material", "Method", "Measurement", "Environment"],
		},
	],
};
