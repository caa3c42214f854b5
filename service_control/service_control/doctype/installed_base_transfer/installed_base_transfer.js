// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Installed Base Transfer", {
	setup(frm) {
		frm.set_query("to_address", () => ({
			filters: { link_doctype: "Customer", link_name: frm.doc.to_customer },
		}));
	},
	serial_no(frm) {
		if (!frm.doc.serial_no) return;
		frappe.db
			.get_value("Serial No", frm.doc.serial_no, ["sc_end_customer", "sc_site_address"])
			.then(({ message }) => {
				frm.set_value("from_customer", message.sc_end_customer);
				frm.set_value("from_address", message.sc_site_address);
			});
	},
});
