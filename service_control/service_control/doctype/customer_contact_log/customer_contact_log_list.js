// The contact register list: the status as the indicator; Due By, the deadline presets and My
// Queue come from service_control.deadlines (public/js/service_deadlines.js).
frappe.listview_settings["Customer Contact Log"] = service_control.deadlines.list_settings(
	"Customer Contact Log",
	{
		add_fields: ["status", "unmatched"],
		get_indicator(doc) {
			const colour = {
				Open: "red",
				Referred: "orange",
				Answered: "green",
				Converted: "blue",
				Cancelled: "gray",
			}[doc.status];
			return [__(doc.status), colour, "status,=," + doc.status];
		},
	}
);
