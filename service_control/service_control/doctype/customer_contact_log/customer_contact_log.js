// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Customer Contact Log", {
	setup(frm) {
		frm.set_query("contact", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		}));
	},

	refresh(frm) {
		if (frm.is_new()) return;
		const status = frm.doc.status;
		const open = ["Open", "Referred"].includes(status);
		// a case needs a customer: link one (or create it below) first
		if (status !== "Cancelled" && (frm.doc.customer || frm.doc.customer_complaint || frm.doc.repair_request)) {
			service_control.front_desk.add_conversion_buttons(frm);
		}
		if (status !== "Cancelled") {
			service_control.front_desk.add_feedback_button(frm);
		}
		if (!frm.doc.customer && !frm.doc.lead && frappe.model.can_create("Lead")) {
			frm.add_custom_button(
				__("Lead"),
				() => frm.call("make_lead").then((r) => r.message && frappe.set_route("Form", "Lead", r.message)),
				__("Create")
			);
		}
		if (!frm.doc.customer && frappe.model.can_create("Customer")) {
			frm.add_custom_button(
				__("Customer"),
				() => frm.call("make_customer").then(() => frm.reload_doc()),
				__("Create")
			);
		}
		if (open) {
			frm.add_custom_button(
				__("Cancel Entry"),
				() =>
					frappe.prompt(
						{ fieldname: "reason", fieldtype: "Small Text", label: __("Cancellation Reason"), reqd: 1 },
						(v) => frm.call("cancel_entry", { reason: v.reason }).then(() => frm.reload_doc()),
						__("Cancel Entry")
					),
				__("Status")
			);
		}
		if (frm.doc.unmatched) {
			frm.dashboard.set_headline(
				__("The sender matches no contact of one customer: link the customer, or create a Lead or Customer.")
			);
		}
	},

	handling(frm) {
		if (frm.doc.handling === "Answered on the Spot" && !frm.doc.answered_on) {
			frm.set_value("answered_on", frappe.datetime.now_datetime());
		}
	},
});
