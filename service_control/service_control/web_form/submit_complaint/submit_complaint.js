// Frappe fills a web form's Link fields with every record of the linked doctype or with those the
// user created; offer the portal user their own customers' documents instead. Runs while the form
// is being made, before "after_load".
if (frappe.web_form.is_new) {
	frappe
		.call("service_control.service_control.doctype.customer_complaint.portal.get_portal_link_options")
		.then((r) => {
			Object.entries(r.message || {}).forEach(([fieldname, options]) => {
				const field = frappe.web_form.fields_dict[fieldname];
				if (field && field.set_data) {
					field.df.options = options;
					field.set_data(options);
				}
			});
		});
}
