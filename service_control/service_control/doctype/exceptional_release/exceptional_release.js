// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Exceptional Release", {
	setup(frm) {
		frm.set_query("delivery_note", () => ({ filters: { docstatus: 0, is_return: 0 } }));
	},
});
