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

// Delivery records: the customer's acceptance and training once delivered, the exceptional
// release (紧急放行) while an item still waits for its quality inspection.
frappe.ui.form.on("Delivery Note", {
	refresh(frm) {
		if (frm.doc.is_return || frm.is_new()) return;
		const make = (doctype, method) =>
			frm.add_custom_button(
				__(doctype),
				() =>
					frappe.model.open_mapped_doc({
						method: `service_control.service_control.doctype.${method}`,
						frm,
					}),
				__("Create")
			);
		if (frm.doc.docstatus === 1) {
			if (frappe.model.can_create("Delivery Acceptance")) {
				make("Delivery Acceptance", "delivery_acceptance.delivery_acceptance.make_delivery_acceptance");
			}
			if (frappe.model.can_create("Customer Training Record")) {
				make(
					"Customer Training Record",
					"customer_training_record.customer_training_record.make_training_record"
				);
			}
		} else if (frm.doc.docstatus === 0 && frappe.model.can_create("Exceptional Release")) {
			make("Exceptional Release", "exceptional_release.exceptional_release.make_exceptional_release");
		}
	},
});
