// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.query_reports["SLA Performance"] = {
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
			options: [
				{ value: "Month", label: __("Month") },
				{ value: "Urgency", label: __("Urgency") },
				{ value: "Category", label: __("Category") },
				{ value: "Owner", label: __("Investigation Owner") },
			],
			default: "Month",
			reqd: 1,
		},
		{
			fieldname: "stage",
			label: __("Stage"),
			fieldtype: "Select",
			options: [
				"",
				{ value: "First Reply", label: __("First Reply") },
				{ value: "Arrangement", label: __("Arrangement") },
				{ value: "Resolution", label: __("Resolution", null, "Service SLA Clock") },
				{ value: "Closure", label: __("Closure") },
			],
		},
		{
			fieldname: "urgency",
			label: __("Urgency"),
			fieldtype: "Select",
			options: ["", { value: "Normal", label: __("Normal", null, "Customer Complaint") }, { value: "Urgent", label: __("Urgent", null, "Customer Complaint") }],
		},
		{ fieldname: "category", label: __("Category"), fieldtype: "Link", options: "Complaint Category" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "breached" && data && data.breached) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
