// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Continuity Invocation", {
	setup(frm) {
		frm.set_query("plan", () => ({ filters: { docstatus: 1 } }));
	},
	refresh(frm) {
		if (
			!frm.is_new() &&
			!frm.doc.sla_paused &&
			frm.doc.status !== "Closed" &&
			frappe.user.has_role("Continuity Manager")
		) {
			frm.add_custom_button(__("Pause SLA Clocks"), () =>
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
					({ reason }) =>
						frappe
							.call(
								"service_control.service_control.doctype.continuity_invocation.continuity_invocation.pause_sla_clocks",
								{ name: frm.doc.name, reason }
							)
							.then(() => frm.reload_doc()),
					__("Pause the SLA clocks of the linked complaints")
				)
			);
		}
	},
});
