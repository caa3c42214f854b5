// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Satisfaction Survey Response", {
	refresh(frm) {
		frm.trigger("set_score_options");
		if (!frm.is_new() && frm.doc.contact_email && frm.doc.status !== "Answered") {
			frm.add_custom_button(frm.doc.sent_on ? __("Send Link Again") : __("Send Link"), () =>
				frappe.call({
					method: "service_control.service_control.survey.dispatch.resend_link",
					args: { name: frm.doc.name },
					freeze: true,
					callback: () => frm.reload_doc(),
				})
			);
		}
	},

	template(frm) {
		frm.trigger("set_score_options");
	},

	set_score_options(frm) {
		if (!frm.doc.template) return;
		frappe.db.get_value("Satisfaction Survey Template", frm.doc.template, "scale").then((r) => {
			const scale = r.message && r.message.scale;
			const values = scale === "0-10" ? [...Array(11).keys()] : [1, 2, 3, 4, 5];
			frm.fields_dict.scores.grid.update_docfield_property(
				"score",
				"options",
				["", ...values.map(String)].join("\n")
			);
		});
	},
});

// 信息反馈处理单 (public/js/front_desk.js)
frappe.ui.form.on("Satisfaction Survey Response", {
	refresh(frm) {
		service_control.front_desk.add_feedback_button(frm);
	},
});
