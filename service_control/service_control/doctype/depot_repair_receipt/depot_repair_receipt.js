// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Depot Repair Receipt", {
	setup(frm) {
		frm.set_query("repair_request", () => ({
			filters: { sent_in: 1, status: ["not in", ["Closed", "Cancelled"]] },
		}));
		frm.set_query("repair_warehouse", () => ({
			filters: { company: frm.doc.company, is_group: 0 },
		}));
	},
	refresh(frm) {
		if (frm.doc.docstatus === 1 && ["Received", "Repaired"].includes(frm.doc.status)) {
			frm.add_custom_button(
				__("Return Shipment"),
				() =>
					frappe.model.open_mapped_doc({
						method: "service_control.service_control.depot.make_shipment",
						frm,
					}),
				__("Create")
			);
		}
	},
});
