// The repair request list: the status as the indicator; Due By, the deadline presets and My Queue
// come from service_control.deadlines (public/js/service_deadlines.js).
frappe.listview_settings["Repair Request"] = service_control.deadlines.list_settings("Repair Request", {
	add_fields: ["status"],
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
});
