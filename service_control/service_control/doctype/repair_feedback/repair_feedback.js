// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Repair Feedback", {
	setup(frm) {
		frm.set_query("warehouse", "parts", () => ({
			filters: { company: frm.doc.company, is_group: 0, disabled: 0 },
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
		frm.set_query("labour_item", () => ({ filters: { is_stock_item: 0 } }));
	},

	refresh(frm) {
		if (frm.doc.docstatus === 1 && !frm.doc.sales_invoice && frappe.model.can_create("Sales Invoice")) {
			const billable = (frm.doc.parts || []).some((p) => p.chargeable)
				|| (frm.doc.chargeable && frm.doc.labour_item && frm.doc.labour_rate && frm.doc.total_hours);
			if (billable) {
				frm.add_custom_button(__("Sales Invoice"), () => frappe.model.open_mapped_doc({
					method: "service_control.service_control.doctype.repair_feedback.repair_feedback.make_sales_invoice",
					frm,
				}), __("Create"));
			}
		}
		for (const [field, doctype] of [
			["stock_entry", "Stock Entry"],
			["sales_invoice", "Sales Invoice"],
			["compensation", "Compensation"],
			["replacement_delivery_note", "Delivery Note"],
			["credit_note", "Sales Invoice"],
		]) {
			if (frm.doc[field]) {
				frm.add_custom_button(__(doctype) + ": " + frm.doc[field], () =>
					frappe.set_route("Form", doctype, frm.doc[field]), __("View"));
			}
		}
	},
});

frappe.ui.form.on("Repair Part", {
	parts_add(frm, cdt, cdn) {
		frappe.model.set_value(cdt, cdn, "chargeable", frm.doc.chargeable ? 1 : 0);
	},
});

frappe.ui.form.on("Repair Visit", {
	visits_add(frm, cdt, cdn) {
		frappe.model.set_value(cdt, cdn, "technician", frm.doc.technician);
		frappe.model.set_value(cdt, cdn, "visit_date", frappe.datetime.get_today());
	},
	hours(frm) {
		frm.set_value("total_hours", (frm.doc.visits || []).reduce((s, v) => s + (v.hours || 0), 0));
	},
});
