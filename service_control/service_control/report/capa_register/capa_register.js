// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.query_reports["CAPA Register"] = {
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
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: [
				"",
				"Draft",
				"Containment",
				"Root Cause",
				"Actions Planned",
				"Approved",
				"Implemented",
				"Effectiveness Check",
				"Closed",
				"Cancelled",
			],
		},
		{
			fieldname: "source_type",
			label: __("Source Type"),
			fieldtype: "Select",
			options: ["", "Customer Complaint", "Repair Request", "Satisfaction Survey Response", "Non Conformance"],
		},
		{ fieldname: "department", label: __("Department"), fieldtype: "Link", options: "Department" },
		{
			fieldname: "cause_category",
			label: __("Cause Category"),
			fieldtype: "Select",
			options: ["", "Man", "Machine", "Material", "Method", "Measurement", "Environment"],
		},
		{ fieldname: "risk_band", label: __("Risk Band"), fieldtype: "Select", options: ["", "Low", "Medium", "High"] },
	],
};
