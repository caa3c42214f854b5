// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Customer Training Record", {
	setup(frm) {
		frm.set_query("delivery_note", () => ({
			filters: { docstatus: 1, is_return: 0, ...(frm.doc.customer ? { customer: frm.doc.customer } : {}) },
		}));
		frm.set_query("site", () => ({
			query: "frappe.contacts.doctype.address.address.address_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		}));
	},
});
