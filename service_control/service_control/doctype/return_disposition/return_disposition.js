// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Return Disposition", {
	setup(frm) {
		frm.set_query("sales_return", () => ({
			filters: { is_return: 1, docstatus: 1, company: frm.doc.company },
		}));
		frm.set_query("quality_inspection", "items", (doc, cdt, cdn) => ({
			filters: { item_code: locals[cdt][cdn].item_code, docstatus: 1 },
		}));
	},

	refresh(frm) {
		if (
			frm.doc.docstatus === 0 &&
			!frm.is_new() &&
			!frm.doc.approved_by &&
			frappe.user.has_role("Quality Manager") &&
			frm.doc.owner !== frappe.session.user
		) {
			frm.add_custom_button(__("Approve"), () =>
				frappe.call({
					method: "service_control.service_control.doctype.return_disposition.return_disposition.approve",
					args: { name: frm.doc.name },
					callback: (r) => !r.exc && frm.reload_doc(),
				})
			);
		}
		if (frm.doc.docstatus === 0 && !frm.is_new() && !frm.doc.approved_by) {
			frm.dashboard.set_headline_alert(
				`<span class="indicator orange">${__("Waiting for the Quality Manager's approval")}</span>`
			);
		}
	},
});

frappe.ui.form.on("Return Disposition Item", {
	returned_qty(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		if (!row.scrap_qty && !row.rework_qty && !row.restock_qty) {
			frappe.model.set_value(cdt, cdn, "restock_qty", row.returned_qty);
		}
	},
});
