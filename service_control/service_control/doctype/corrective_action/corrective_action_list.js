// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.listview_settings["Corrective Action"] = {
	add_fields: ["status", "risk_band"],
	get_indicator(doc) {
		const colour = {
			Draft: "gray",
			Containment: "orange",
			"Root Cause": "orange",
			"Actions Planned": "yellow",
			Approved: "blue",
			Implemented: "purple",
			"Effectiveness Check": "cyan",
			Closed: "green",
			Cancelled: "red",
		}[doc.status];
		return [__(doc.status), colour, "status,=," + doc.status];
	},
};
