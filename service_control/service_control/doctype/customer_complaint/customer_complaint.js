// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Customer Complaint", {
	setup(frm) {
		for (const [field, doctype] of [
			["sales_invoice", "Sales Invoice"],
			["delivery_note", "Delivery Note"],
			["sales_order", "Sales Order"],
		]) {
			frm.set_query(field, () => ({
				filters: { customer: frm.doc.customer, docstatus: 1, company: frm.doc.company },
			}));
		}
		frm.set_query("serial_no", () => ({
			filters: frm.doc.item_code ? { item_code: frm.doc.item_code } : {},
		}));
		frm.set_query("batch_no", () => ({
			filters: frm.doc.item_code ? { item: frm.doc.item_code } : {},
		}));
		frm.set_query("contact", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		}));
	},

	refresh(frm) {
		if (frm.doc.sla_state) {
			const colour = {
				"On Track": "green",
				"At Risk": "orange",
				Breached: "red",
				Met: "green",
				"Met Late": "orange",
				Paused: "blue",
				Stopped: "gray",
			}[frm.doc.sla_state] || "gray";
			frm.dashboard.set_headline_alert(
				`<span class="indicator ${colour}">${__("SLA")}: ${__(frm.doc.sla_state)}</span>`
			);
		}
		// a requested deadline that leaves less than the minimum lead waits for acceptance
		if (
			!frm.is_new() &&
			frm.doc.customer_deadline &&
			frm.doc.customer_deadline !== frm.doc.accepted_deadline &&
			!["Closed", "Cancelled"].includes(frm.doc.status) &&
			(frappe.user.has_role("Customer Service User") || frappe.user.has_role("Quality Manager"))
		) {
			frm.dashboard.add_comment(
				__("The customer asked for a reply by {0}; it caps the first reply once accepted.", [
					frappe.datetime.str_to_user(frm.doc.customer_deadline),
				]),
				"yellow",
				true
			);
			frm.add_custom_button(__("Accept Requested Deadline"), () =>
				frappe
					.xcall(
						"service_control.service_control.doctype.customer_complaint.customer_complaint.accept_requested_deadline",
						{ name: frm.doc.name }
					)
					.then(() => frm.reload_doc())
			);
		}
		// CAPA: one click from a company-responsibility complaint
		if (
			!frm.is_new() &&
			frm.doc.responsibility === "Company" &&
			frm.doc.status !== "Cancelled" &&
			(!frm.doc.corrective_action || frm.doc.corrective_action_status === "Cancelled") &&
			frappe.model.can_create("Corrective Action")
		) {
			frm.add_custom_button(
				__("Corrective Action (CAPA)"),
				() =>
					frappe.model.open_mapped_doc({
						method: "service_control.service_control.doctype.corrective_action.corrective_action.make_corrective_action",
						frm,
					}),
				__("Create")
			);
		}
	},
});

// Returns and compensation: the sales return through ERPNext's own mapping, then the
// compensation claim.
frappe.ui.form.on("Customer Complaint", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.status === "Cancelled") return;
		if ((frm.doc.delivery_note || frm.doc.sales_invoice) && frappe.model.can_create("Delivery Note")) {
			frm.add_custom_button(
				__("Sales Return"),
				() =>
					frappe.call({
						method: "service_control.service_control.returns.make_sales_return",
						args: { complaint: frm.doc.name },
						callback(r) {
							if (!r.exc && r.message) {
								const doc = frappe.model.sync(r.message)[0];
								frappe.set_route("Form", doc.doctype, doc.name);
							}
						},
					}),
				__("Create")
			);
		}
		if (frappe.model.can_create("Compensation")) {
			frm.add_custom_button(
				__("Compensation"),
				() =>
					frappe.new_doc("Compensation", {
						customer_complaint: frm.doc.name,
						company: frm.doc.company,
						customer: frm.doc.customer,
					}),
				__("Create")
			);
		}
	},
});

// 信息反馈处理单 (public/js/front_desk.js)
frappe.ui.form.on("Customer Complaint", {
	refresh(frm) {
		service_control.front_desk.add_feedback_button(frm);
	},
});
