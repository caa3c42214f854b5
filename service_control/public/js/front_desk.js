// The front desk's buttons: the conversion into a Customer Complaint or a Repair Request (or the
// case the record became), shared by the contact register, ERPNext's Issue and Warranty Claim;
// the feedback handling form, shared by the contact register, complaints and survey answers.
// Loaded on every desk page through app_include_js.
frappe.provide("service_control.front_desk");

(function () {
	// The record's link field to each case, as service_control.service_control.intake names them.
	const LINKS = {
		"Customer Contact Log": { "Customer Complaint": "customer_complaint", "Repair Request": "repair_request" },
		Issue: { "Customer Complaint": "sc_customer_complaint", "Repair Request": "sc_repair_request" },
		"Warranty Claim": { "Customer Complaint": "sc_customer_complaint", "Repair Request": "sc_repair_request" },
	};

	// 信息反馈处理单: the feedback goes to 企管部 on a Feedback Handling Form (the record's open
	// one, if it has one), from a contact entry, a complaint or a survey answer.
	service_control.front_desk.add_feedback_button = function (frm) {
		if (frm.is_new() || !frappe.model.can_create("Feedback Handling Form")) return;
		frm.add_custom_button(
			__("Feedback Handling Form"),
			() =>
				frappe
					.xcall(
						"service_control.service_control.doctype.feedback_handling_form.feedback_handling_form.make_feedback_form",
						{ source_doctype: frm.doctype, source_name: frm.doc.name }
					)
					.then((doc) => frappe.set_route("Form", doc.doctype, doc.name)),
			__("Create")
		);
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
