// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Customer Complaint", {
	setup(frm) {
		for (const [field, doctype] of [
			["sales_invoice", "Sales Invoice"],
			["delivery_note", "Delivery Note"],
			["sales_order", "Sales Order"],
		]) {
			frm.set_query(field, () => ({
				filters: { customer: frm.doc.customer, docstatus: 1, company: frm.doc.company },
			}));
		}
		frm.set_query("serial_no", () => ({
			filters: frm.doc.item_code ? { item_code: frm.doc.item_code } : {},
		}));
		frm.set_query("batch_no", () => ({
			filters: frm.doc.item_code ? { item: frm.doc.item_code } : {},
		}));
		frm.set_query("contact", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		}));
	},

	refresh(frm) {
		if (frm.doc.sla_state) {
			const colour = {
				"On Track": "green",
				"At Risk": "orange",
				Breached: "red",
				Met: "green",
				"Met Late": "orange",
				Paused: "blue",
			}[frm.doc.sla_state];
			frm.dashboard.set_headline_alert(
				`<span class="indicator ${colour}">${__("SLA")}: ${__(frm.doc.sla_state)}</span>`
			);
		}
	},
});
