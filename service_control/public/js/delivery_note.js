// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

// A return made from a complaint: quality decides what happens to the goods (Return Disposition).
frappe.ui.form.on("Delivery Note", {
	refresh(frm) {
		if (
			frm.doc.docstatus === 1 &&
			frm.doc.is_return &&
			frm.doc.sc_customer_complaint &&
			frappe.model.can_create("Return Disposition")
		) {
			frm.add_custom_button(
				__("Return Disposition"),
				() =>
					frappe.call({
						method: "service_control.service_control.returns.make_return_disposition",
						args: { source_doctype: frm.doc.doctype, source_name: frm.doc.name },
						callback(r) {
							if (!r.exc && r.message) {
								const doc = frappe.model.sync(r.message)[0];
								frappe.set_route("Form", doc.doctype, doc.name);
							}
						},
					}),
				__("Create")
			);
		}
	},
});
