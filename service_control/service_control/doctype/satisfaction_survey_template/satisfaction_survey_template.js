// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Satisfaction Survey Template", {
	refresh(frm) {
		frm.trigger("show_total");
	},
	show_total(frm) {
		const total = (frm.doc.criteria || []).reduce((sum, row) => sum + flt(row.weight), 0);
		frm.dashboard.clear_headline();
		if (total !== 100) {
			frm.dashboard.set_headline(
				__("The criteria weights add up to {0}, not 100.", [format_number(total, null, 2)]),
				"orange"
			);
		}
	},
});

frappe.ui.form.on("Satisfaction Survey Criterion", {
	weight(frm) {
		frm.trigger("show_total");
	},
	criteria_remove(frm) {
		frm.trigger("show_total");
	},
});
