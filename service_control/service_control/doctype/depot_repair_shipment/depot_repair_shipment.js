// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Depot Repair Shipment", {
	setup(frm) {
		frm.set_query("repair_request", () => ({ filters: { sent_in: 1 } }));
	},
});
