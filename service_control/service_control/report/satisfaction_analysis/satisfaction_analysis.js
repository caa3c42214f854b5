// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.query_reports["Satisfaction Analysis"] = {
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
			default: frappe.datetime.year_start(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.year_end(),
			reqd: 1,
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Period", label: __("Period") },
				{ value: "Customer Group", label: __("Customer Group") },
				{ value: "Criterion", label: __("Criterion") },
			],
			default: "Period",
		},
		{
			fieldname: "frequency",
			label: __("Periods"),
			fieldtype: "Select",
			options: [
				{ value: "Half-yearly", label: __("Half-yearly") },
				{ value: "Quarterly", label: __("Quarterly") },
				{ value: "Annual", label: __("Annual") },
			],
			default: "Half-yearly",
		},
		{
			fieldname: "plan",
			label: __("Survey Plan"),
			fieldtype: "Link",
			options: "Satisfaction Survey Plan",
		},
		{
			fieldname: "customer_group",
			label: __("Customer Group"),
			fieldtype: "Link",
			options: "Customer Group",
		},
		{
			fieldname: "include_cases",
			label: __("Include Case Ratings (Complaints, Repairs)"),
			fieldtype: "Check",
			default: 1,
		},
	],

	formatter(value, row, column, data, default_formatter) {
		if (column.fieldname === "action" && data && data.below_target) {
			return `<button class="btn btn-xs btn-default sc-create-capa"
				data-criterion="${encodeURIComponent(data.group)}">${__("Create CAPA")}</button>`;
		}
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "index" && data && data.below_target) {
			value = `<span style="color: var(--red-500)">${value}</span>`;
		}
		return value;
	},

	onload(report) {
		$(report.page.wrapper).on("click", ".sc-create-capa", function () {
			const criterion = decodeURIComponent($(this).attr("data-criterion"));
			frappe.call({
				method: "service_control.service_control.survey.capa.create_capa",
				args: { criterion, filters: report.get_filter_values() },
				btn: $(this),
				freeze: true,
				callback: (r) => r.message && frappe.set_route("Form", "Corrective Action", r.message),
			});
		});
	},
};
