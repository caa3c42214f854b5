// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.query_reports["Depot Repair Turnaround"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company" },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date" },
		{ fieldname: "item_code", label: __("Item"), fieldtype: "Link", options: "Item" },
		{
			fieldname: "arrival_mode",
			label: __("Arrived By"),
			fieldtype: "Select",
			options: ["", "Brought In by Customer", "Carrier", "Logistics from Another Region"],
		},
	],
};
