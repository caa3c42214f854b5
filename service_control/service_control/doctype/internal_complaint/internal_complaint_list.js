// The internal complaint list: the SLA state as the indicator; Due By, the deadline presets and
// My Queue come from service_control.deadlines (public/js/service_deadlines.js).
frappe.listview_settings["Internal Complaint"] = service_control.deadlines.list_settings("Internal Complaint", {
	add_fields: ["status", "urgency"],
	get_indicator(doc) {
		if (doc.status === "Closed") return [__("Closed"), "green", "status,=,Closed"];
		if (doc.status === "Cancelled") return [__("Cancelled"), "gray", "status,=,Cancelled"];
		if (doc.sla_state === "Breached") return [__("Breached"), "red", "sla_state,=,Breached"];
		if (doc.sla_state === "At Risk") return [__("At Risk"), "orange", "sla_state,=,At Risk"];
		return [__(doc.status), "blue", `status,=,${doc.status}`];
	},
});
