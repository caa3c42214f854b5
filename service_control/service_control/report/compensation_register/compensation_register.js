// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.query_reports["Compensation Register"] = {
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
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{
			fieldname: "settlement_method",
			label: __("Settlement Method"),
			fieldtype: "Select",
			options: ["", "Journal Entry", "Credit Note", "Payment Entry", "Free Replacement"],
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "difference" && data && data.difference) {
			value = `<span style="color: var(--red-500)">${value}</span>`;
		}
		return value;
	},
};
