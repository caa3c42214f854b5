// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Service Work Summary", {
	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new()) {
			frm.add_custom_button(__("Refresh Figures"), () =>
				frm.call("refresh_figures").then(() => frm.reload_doc())
			);
		}
		if (
			frm.doc.docstatus === 1 &&
			frm.doc.review_status !== "Approved" &&
			frappe.user.has_role("Sales Manager")
		) {
			const review = (approve) =>
				frappe.prompt(
					{
						fieldname: "comments",
						fieldtype: "Small Text",
						label: __("Review Comments"),
						reqd: approve ? 0 : 1,
					},
					(values) =>
						frm
							.call("review", { approve: approve ? 1 : 0, comments: values.comments })
							.then(() => frm.reload_doc()),
					approve ? __("Approve") : __("Return")
				);
			frm.add_custom_button(__("Approve"), () => review(true), __("Review"));
			frm.add_custom_button(__("Return"), () => review(false), __("Review"));
		}
	},
});
