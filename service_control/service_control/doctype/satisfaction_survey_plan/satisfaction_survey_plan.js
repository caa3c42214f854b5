// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Satisfaction Survey Plan", {
	setup(frm) {
		frm.set_query("template", () => ({ filters: { enabled: 1 } }));
		frm.set_query("customer", "customers", () => ({ filters: { disabled: 0 } }));
	},
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Responses"), () =>
				frappe.set_route("List", "Satisfaction Survey Response", { plan: frm.doc.name })
			);
			frm.add_custom_button(__("Satisfaction Analysis"), () =>
				frappe.set_route("query-report", "Satisfaction Analysis", {
					plan: frm.doc.name,
					company: frm.doc.company,
					from_date: `${frm.doc.plan_year}-01-01`,
					to_date: `${frm.doc.plan_year}-12-31`,
					frequency: frm.doc.frequency,
				})
			);
		}
	},
});
