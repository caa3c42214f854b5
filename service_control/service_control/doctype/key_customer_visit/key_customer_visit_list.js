// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.listview_settings["Key Customer Visit"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		const colour = { Planned: "blue", Completed: "green", Cancelled: "gray" }[doc.status];
		return [__(doc.status), colour, `status,=,${doc.status}`];
	},
	onload(listview) {
		if (!frappe.model.can_create("Key Customer Visit")) return;
		// the annual visit plan: one Planned visit this year for every key customer without one
		listview.page.add_inner_button(__("Plan Visits for Year"), () => {
			frappe.prompt(
				[
					{
						fieldname: "year",
						fieldtype: "Int",
						label: __("Year"),
						reqd: 1,
						default: new Date().getFullYear(),
					},
					{
						fieldname: "company",
						fieldtype: "Link",
						options: "Company",
						label: __("Company"),
						reqd: 1,
						default: frappe.defaults.get_user_default("Company"),
					},
				],
				(values) =>
					frappe.call({
						method: "service_control.service_control.survey.visits.plan_key_customer_visits",
						args: values,
						freeze: true,
						callback: (r) => {
							frappe.show_alert({
								message: __("{0} visits planned for {1}.", [r.message, values.year]),
								indicator: "green",
							});
							listview.filter_area.clear(false).then(() => {
								listview.filter_area.add([
									["Key Customer Visit", "status", "=", "Planned"],
									[
										"Key Customer Visit",
										"visit_date",
										"between",
										[`${values.year}-01-01`, `${values.year}-12-31`],
									],
								]);
							});
						},
					}),
				__("Annual Visit Plan"),
				__("Plan")
			);
		});
	},
};
