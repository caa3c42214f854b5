// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

const FEEDBACK_SOURCE_TYPES = ["Customer Contact Log", "Customer Complaint", "Satisfaction Survey Response"];

frappe.ui.form.on("Feedback Handling Form", {
	setup(frm) {
		frm.set_query("source_doctype", () => ({ filters: { name: ["in", FEEDBACK_SOURCE_TYPES] } }));
		const users = () => ({ filters: { enabled: 1, user_type: "System User" } });
		frm.set_query("investigated_by", users);
		frm.set_query("receiving_user", users);
		frm.set_query("action_owner", "rectifications", users);
		frm.set_query("contact", () =>
			frm.doc.customer
				? { query: "frappe.contacts.doctype.contact.contact.contact_query", filters: { link_doctype: "Customer", link_name: frm.doc.customer } }
				: {}
		);
	},

	refresh(frm) {
		if (frm.is_new()) return;
		const live = !["Closed", "Cancelled"].includes(frm.doc.status);
		if (frm.doc.status === "Open" && frm.perm[0].write) {
			frm.add_custom_button(__("Start Investigation"), () => {
				if (!frm.doc.investigated_by) frm.set_value("investigated_by", frappe.session.user);
				frm.set_value("status", "Investigating").then(() => frm.save());
			});
		}
		if (frm.doc.status === "Investigating" && frm.perm[0].write) {
			frm.add_custom_button(__("Send for Rectification"), () =>
				frm.set_value("status", "Rectifying").then(() => frm.save())
			);
		}
		if (["Investigating", "Rectifying"].includes(frm.doc.status) && frm.perm[0].write) {
			frm.add_custom_button(__("Close and Report Result"), () =>
				frm.set_value("status", "Closed").then(() => frm.save())
			);
		}
		if (frm.doc.status !== "Cancelled" && frappe.model.can_create("Corrective Action")) {
			frm.add_custom_button(
				__("Corrective Action (CAPA)"),
				() =>
					frappe
						.xcall(
							"service_control.service_control.doctype.feedback_handling_form.feedback_handling_form.make_corrective_action",
							{ source_name: frm.doc.name }
						)
						.then((doc) => frappe.set_route("Form", doc.doctype, doc.name)),
				__("Create")
			);
		}
		if (live && frm.perm[0].write) {
			frm.add_custom_button(__("Cancel Form"), () =>
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Cancel Reason"), reqd: 1 },
					(values) => {
						frm.set_value({ status: "Cancelled", cancel_reason: values.reason }).then(() => frm.save());
					},
					__("Cancel the feedback handling form")
				)
			);
		}
	},
});

frappe.ui.form.on("Feedback Rectification", {
	status(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		if (row.status === "Done" && !row.done_on) {
			frappe.model.set_value(cdt, cdn, "done_on", frappe.datetime.get_today());
		}
		if (row.status !== "Done" && row.done_on) frappe.model.set_value(cdt, cdn, "done_on", null);
	},
});
