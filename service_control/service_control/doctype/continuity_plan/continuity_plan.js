// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Continuity Plan", {
	refresh(frm) {
		if (frm.doc.docstatus === 1 && frappe.user.has_role("Continuity Manager")) {
			frm.add_custom_button(__("Mark Reviewed"), () =>
				frappe
					.call("service_control.service_control.doctype.continuity_plan.continuity_plan.mark_reviewed", {
						name: frm.doc.name,
					})
					.then(() => frm.reload_doc())
			);
		}
		if (frm.doc.docstatus === 1) {
			frm.add_custom_button(
				__("Continuity Test Report"),
				() => frappe.new_doc("Continuity Test Report", { plan: frm.doc.name }),
				__("Create")
			);
			frm.add_custom_button(
				__("Continuity Invocation"),
				() => frappe.new_doc("Continuity Invocation", { plan: frm.doc.name }),
				__("Create")
			);
		}
	},
});
