// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Company Service Work Summary", {
	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new()) {
			frm.add_custom_button(__("Refresh Figures"), () =>
				frm.call("refresh_figures").then(() => frm.reload_doc())
			);
		}
	},
});
