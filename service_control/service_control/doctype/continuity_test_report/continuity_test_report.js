// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Continuity Test Report", {
	setup(frm) {
		frm.set_query("plan", () => ({ filters: { docstatus: 1 } }));
	},
	refresh(frm) {
		if (!frm.is_new() && frm.doc.docstatus < 2 && (frm.doc.findings || []).length) {
			frm.add_custom_button(
				__("Corrective Action (CAPA)"),
				() =>
					frappe
						.call(
							"service_control.service_control.doctype.continuity_test_report.continuity_test_report.make_corrective_action",
							{ source_name: frm.doc.name }
						)
						.then((r) => frappe.set_route("Form", "Corrective Action", r.message.name)),
				__("Create")
			);
		}
	},
});
