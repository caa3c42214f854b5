// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.query_reports["Overdue CAPA Actions"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{ fieldname: "as_on", label: __("As On"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "department", label: __("Department"), fieldtype: "Link", options: "Department" },
		{ fieldname: "action_owner", label: __("Owner"), fieldtype: "Link", options: "User" },
	],
};
