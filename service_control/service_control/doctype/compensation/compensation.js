// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

const BREAKDOWN = ["goods_amount", "freight_amount", "labour_amount", "penalty_amount", "other_amount"];

frappe.ui.form.on("Compensation", {
	setup(frm) {
		frm.set_query("customer_complaint", () => ({ filters: { status: ["!=", "Cancelled"] } }));
		frm.set_query("paid_from_account", () => ({
			filters: { company: frm.doc.company, account_type: ["in", ["Bank", "Cash"]], is_group: 0 },
		}));
		frm.set_query("replacement_warehouse", () => ({
			filters: { company: frm.doc.company, is_group: 0, disabled: 0 },
		}));
		frm.set_query("replacement_serial_no", () => ({
			filters: {
				item_code: frm.doc.item_code,
				status: "Active",
				...(frm.doc.replacement_warehouse ? { warehouse: frm.doc.replacement_warehouse } : {}),
			},
		}));
	},

	company(frm) {
		if (frm.doc.company) {
			frappe.db.get_value("Company", frm.doc.company, "default_currency").then((r) => {
				if (r.message) frm.set_value("currency", r.message.default_currency);
			});
		}
	},

	sales_invoice(frm) {
		// a claim is in the currency the customer was invoiced in (the company's if none)
		if (frm.doc.sales_invoice && frm.doc.docstatus === 0) {
			frappe.db.get_value("Sales Invoice", frm.doc.sales_invoice, "currency").then((r) => {
				if (r.message && r.message.currency) frm.set_value("currency", r.message.currency);
			});
		}
	},

	refresh(frm) {
		if (frm.doc.approval_level && frm.doc.docstatus === 0) {
			frm.dashboard.set_headline_alert(
				`<span class="indicator blue">${__("Approval by: {0}", [__(frm.doc.approval_level)])}</span>`
			);
		}
	},
});

for (const field of BREAKDOWN) {
	frappe.ui.form.on("Compensation", field, (frm) => {
		frm.set_value(
			"total_amount",
			BREAKDOWN.reduce((sum, f) => sum + flt(frm.doc[f]), 0)
		);
	});
}
