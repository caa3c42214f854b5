// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Repair Request", {
	setup(frm) {
		for (const [field, doctype] of [
			["sales_invoice", "Sales Invoice"],
			["delivery_note", "Delivery Note"],
		]) {
			frm.set_query(field, () => ({
				filters: { customer: frm.doc.customer, docstatus: 1, is_return: 0, company: frm.doc.company },
			}));
		}
		frm.set_query("serial_no", () => ({
			filters: Object.assign(
				{ customer: frm.doc.customer },
				frm.doc.item_code ? { item_code: frm.doc.item_code } : {}
			),
		}));
		frm.set_query("warranty_claim", () => ({ filters: { customer: frm.doc.customer } }));
		frm.set_query("contact", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		}));
	},

	refresh(frm) {
		if (frm.is_new()) return;
		const status = frm.doc.status;
		const change = (new_status, reason) =>
			frm.call("change_status", { status: new_status, reason }).then(() => frm.reload_doc());
		if (!["Closed", "Cancelled"].includes(status) && status !== "Open") {
			frm.add_custom_button(__("Repair Feedback"), () => {
				frappe.new_doc("Repair Feedback", { repair_request: frm.doc.name });
			}, __("Create"));
		}
		if (["Assigned", "In Progress"].includes(status)) {
			frm.add_custom_button(__("Awaiting Customer"), () => change("Awaiting Customer"), __("Status"));
		}
		if (status === "Awaiting Customer") {
			frm.add_custom_button(__("Resume"), () => change("In Progress"), __("Status"));
		}
		if (status === "Resolved") {
			frm.add_custom_button(__("Close"), () => {
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Callback Note") },
					(v) => change("Closed", v.reason),
					__("Close Repair Request")
				);
			}, __("Status"));
		}
		if (["Open", "Assigned", "In Progress"].includes(status)) {
			frm.add_custom_button(__("Cancel Request"), () => {
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Cancel Reason"), reqd: 1 },
					(v) => change("Cancelled", v.reason),
					__("Cancel Repair Request")
				);
			}, __("Status"));
		}
		if (frm.doc.company_responsible && frappe.model.can_create("Corrective Action")) {
			frm.add_custom_button(__("Corrective Action"), () => {
				frappe.model.open_mapped_doc({
					method: "service_control.service_control.doctype.repair_request.repair_request.make_corrective_action",
					frm,
				});
			}, __("Create"));
		}
		if (frm.doc.warranty_status) {
			const colour = { "Under Warranty": "green", "Under AMC": "blue", "Out of Warranty": "orange" }[
				frm.doc.warranty_status
			] || "gray";
			frm.dashboard.set_headline_alert(
				`<span class="indicator ${colour}">${__(frm.doc.warranty_status)}</span>` +
					(frm.doc.chargeable ? ` &middot; ${__("Chargeable", null, "Repair Request")}` : "")
			);
		}
	},
});
