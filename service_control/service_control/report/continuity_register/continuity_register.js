// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.query_reports["Continuity Register"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{ fieldname: "overdue_only", label: __("Needs Attention Only"), fieldtype: "Check" },
	],
};
