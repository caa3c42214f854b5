// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.listview_settings["Service Work Summary"] = {
	onload(listview) {
		listview.page.add_inner_button(__("Make Summary"), () => {
			frappe.prompt(
				[
					{
						fieldname: "company",
						fieldtype: "Link",
						options: "Company",
						label: __("Company"),
						reqd: 1,
						default: frappe.defaults.get_user_default("Company"),
					},
					{
						fieldname: "territory",
						fieldtype: "Link",
						options: "Territory",
						label: __("Region"),
						reqd: 1,
					},
					{
						fieldname: "year",
						fieldtype: "Int",
						label: __("Year"),
						reqd: 1,
						default: new Date().getFullYear() - 1,
					},
				],
				(values) =>
					frappe
						.xcall(
							"service_control.service_control.doctype.service_work_summary.service_work_summary.make_summary",
							values
						)
						.then((name) => frappe.set_route("Form", "Service Work Summary", name)),
				__("Service Work Summary"),
				__("Make")
			);
		});
	},
};
