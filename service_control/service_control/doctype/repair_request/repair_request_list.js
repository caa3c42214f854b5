frappe.listview_settings["Repair Request"] = {
	add_fields: ["status", "sla_state"],
	get_indicator(doc) {
		const colour = {
			Open: "red",
			Assigned: "orange",
			"In Progress": "yellow",
			"Awaiting Customer": "blue",
			Resolved: "purple",
			Closed: "green",
			Cancelled: "gray",
		}[doc.status];
		return [__(doc.status), colour, "status,=," + doc.status];
	},
};
