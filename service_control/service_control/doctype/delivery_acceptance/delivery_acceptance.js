// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Delivery Acceptance", {
	setup(frm) {
		frm.set_query("delivery_note", () => ({ filters: { docstatus: 1, is_return: 0 } }));
		frm.set_query("installation_note", () => ({
			filters: { docstatus: 1, ...(frm.doc.customer ? { customer: frm.doc.customer } : {}) },
		}));
	},

	refresh(frm) {
		if (
			frm.doc.docstatus === 1 &&
			frm.doc.result === "Rejected" &&
			frappe.model.can_create("Customer Complaint")
		) {
			frm.add_custom_button(
				__("Customer Complaint"),
				() =>
					frappe.model.open_mapped_doc({
						method: "service_control.service_control.doctype.delivery_acceptance.delivery_acceptance.make_customer_complaint",
						frm,
					}),
				__("Create")
			);
		}
	},
});
