// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Internal Complaint", {
	setup(frm) {
		frm.set_query("complainant", () => ({ filters: { company: frm.doc.company, status: "Active" } }));
		frm.set_query("handler", () => ({
			query: "service_control.service_control.doctype.internal_complaint.internal_complaint.handler_query",
		}));
	},

	refresh(frm) {
		if (frm.is_new()) return;
		const status = frm.doc.status;
		const change = (new_status, reason) =>
			frm.call("change_status", { status: new_status, reason }).then(() => frm.reload_doc());
		const group = __("Status");
		if (status === "Open" || status === "Answered") {
			frm.add_custom_button(__("Investigate"), () => change("Investigating"), group);
		}
		if (status === "Open" || status === "Investigating") {
			frm.add_custom_button(__("Answer Complainant"), () => change("Answered"), group);
			frm.add_custom_button(__("Awaiting Complainant"), () => change("Awaiting Complainant"), group);
		}
		if (status === "Awaiting Complainant") {
			frm.add_custom_button(__("Resume"), () => change(frm.doc.paused_from || "Open"), group);
		}
		if (status === "Answered") {
			frm.add_custom_button(__("Close"), () => {
				frappe.prompt(
					{
						fieldname: "reason",
						fieldtype: "Small Text",
						label: __("Reason for Closing"),
						description: __("Needed when the complainant is not satisfied, was unreachable or was not asked."),
					},
					(v) => change("Closed", v.reason),
					__("Close Internal Complaint")
				);
			}, group);
		}
		if (["Open", "Investigating", "Awaiting Complainant"].includes(status)) {
			frm.add_custom_button(__("Cancel Complaint"), () => {
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Cancel Reason"), reqd: 1 },
					(v) => change("Cancelled", v.reason),
					__("Cancel Internal Complaint")
				);
			}, group);
		}
		if (
			status !== "Cancelled" &&
			!frm.doc.corrective_action &&
			frappe.model.can_create("Corrective Action")
		) {
			frm.add_custom_button(
				__("Corrective Action (CAPA)"),
				() =>
					frappe.model.open_mapped_doc({
						method: "service_control.service_control.doctype.internal_complaint.internal_complaint.make_corrective_action",
						frm,
					}),
				__("Create")
			);
		}
	},
});
