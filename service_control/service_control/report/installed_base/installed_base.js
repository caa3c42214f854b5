// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.query_reports["Installed Base"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company" },
		{ fieldname: "customer", label: __("End Customer"), fieldtype: "Link", options: "Customer" },
		{ fieldname: "territory", label: __("Territory"), fieldtype: "Link", options: "Territory" },
		{ fieldname: "item_code", label: __("Item"), fieldtype: "Link", options: "Item" },
		{
			fieldname: "status",
			label: __("Service Status"),
			fieldtype: "Select",
			options: ["", "In Use", "In Repair", "Replaced", "Scrapped", "Returned"],
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["", "Customer", "Territory", "Item"],
		},
	],
};
