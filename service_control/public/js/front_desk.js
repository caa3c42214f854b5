// The front desk's conversion buttons, shared by the contact register, ERPNext's Issue and
// Warranty Claim: make a Customer Complaint or a Repair Request from the record (or open the one
// it became). Loaded on every desk page through app_include_js.
frappe.provide("service_control.front_desk");

(function () {
	// The record's link field to each case, as service_control.service_control.intake names them.
	const LINKS = {
		"Customer Contact Log": { "Customer Complaint": "customer_complaint", "Repair Request": "repair_request" },
		Issue: { "Customer Complaint": "sc_customer_complaint", "Repair Request": "sc_repair_request" },
		"Warranty Claim": { "Customer Complaint": "sc_customer_complaint", "Repair Request": "sc_repair_request" },
	};

	service_control.front_desk.add_conversion_buttons = function (frm) {
		const links = LINKS[frm.doctype];
		const made = Object.entries(links).find(([, field]) => frm.doc[field]);
		if (made) {
			const [doctype, field] = made;
			frm.add_custom_button(__(doctype), () => frappe.set_route("Form", doctype, frm.doc[field]), __("View"));
			return;
		}
		for (const target of Object.keys(links)) {
			if (!frappe.model.can_create(target)) continue;
			frm.add_custom_button(
				__(target),
				() =>
					frappe
						.call({
							method: "service_control.service_control.intake.convert",
							args: { source_doctype: frm.doctype, source_name: frm.doc.name, target },
							freeze: true,
						})
						.then((r) => r.message && frappe.set_route("Form", target, r.message)),
				__("Create")
			);
		}
	};
})();

for (const doctype of ["Issue", "Warranty Claim"]) {
	frappe.ui.form.on(doctype, {
		refresh(frm) {
			if (!frm.is_new() && frm.doc.customer) {
				service_control.front_desk.add_conversion_buttons(frm);
			}
		},
	});
}
