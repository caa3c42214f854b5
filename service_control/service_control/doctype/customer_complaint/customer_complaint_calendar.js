// The complaints' next deadlines (due_by) on a calendar, coloured like the list's Due By column.
// due_by is computed from the SLA clocks, so the calendar only shows it: no dragging, no new
// complaint from a time slot.
frappe.views.calendar["Customer Complaint"] = {
	field_map: {
		start: "due_by",
		end: "due_by",
		id: "name",
		title: "title",
		allDay: 0,
	},
	fields: ["name", "title", "due_by", "due_stage", "sla_state", "status"],
	get_css_class(event) {
		if (event.due_by < frappe.datetime.system_datetime()) return "red";
		if (event.sla_state === "At Risk") return "orange";
		return "green";
	},
	// frappe.desk.calendar.get_events reads an empty due_by as an open-ended range: leave out the
	// cases without a running deadline (closed, cancelled, waiting for the customer)
	get_args(start, end) {
		const args = frappe.views.Calendar.prototype.get_args.call(this, start, end);
		args.filters = [...args.filters, ["Customer Complaint", "due_by", "is", "set"]];
		return args;
	},
	options: {
		editable: false,
		selectable: false,
		eventAllow: () => false,
		eventRender(event, element) {
			element.attr("title", event.due_stage ? __(event.due_stage) : "");
		},
	},
};
