// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

// The guided first setup: the form says what is still missing (setup_status, from the core's
// missing_setup); the Service Control onboarding on the workspace walks through the same items.
frappe.ui.form.on("Service Control Settings", {
	refresh(frm) {
		frappe
			.call("service_control.service_control.setup_status.setup_status")
			.then(({ message }) => {
				if (!message) return;
				const { blocking, missing } = message;
				if (blocking.length) {
					frm.dashboard.set_headline_alert(
						`<b>${__("Before the first complaint can be saved:")}</b> ${blocking
							.map(frappe.utils.escape_html)
							.join(" ")}` +
							(missing.length
								? `<br>${__("Still to set up:")} ${missing.map(frappe.utils.escape_html).join(" ")}`
								: ""),
						"red"
					);
				} else if (missing.length) {
					frm.dashboard.set_headline_alert(
						`${__("Still to set up:")} ${missing.map(frappe.utils.escape_html).join(" ")}`,
						"orange"
					);
				} else {
					frm.dashboard.set_headline_alert(__("Service Control is set up."), "green");
				}
			});
	},
});
