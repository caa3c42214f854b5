// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.listview_settings["Feedback Handling Form"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		const colour = { Open: "red", Investigating: "orange", Rectifying: "blue", Closed: "green", Cancelled: "gray" };
		return [__(doc.status), colour[doc.status] || "gray", "status,=," + doc.status];
	},
};
