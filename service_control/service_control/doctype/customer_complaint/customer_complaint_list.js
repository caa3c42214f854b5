// The complaint list: status indicator, the Due By column coloured by how close the deadline is,
// deadline presets and the user's queue. The desk evaluates list scripts in the global scope,
// so the helpers live in a closure.
(() => {
	const doctype = "Customer Complaint";
	const closed_statuses = ["Closed", "Cancelled"];

	// due_by is stored in the system time zone: compare it with the system's now
	function deadline_colour(doc) {
		if (!doc.due_by) return "gray";
		if (doc.due_by < frappe.datetime.system_datetime()) return "red";
		if (doc.sla_state === "At Risk") return "orange";
		return "green";
	}

	function queue_filters() {
		return [
			[doctype, "_assign", "like", `%${frappe.session.user}%`],
			[doctype, "status", "not in", closed_statuses],
			[doctype, "due_by", "is", "set"],
		];
	}

	// A list opened on a deadline filter (the presets, the My Queue shortcut's route options)
	// is read in deadline order.
	function sort_by_deadline(listview) {
		listview.sort_selector.set_value("due_by", "asc");
		listview.sort_by = "due_by";
		listview.sort_order = "asc";
	}

	function show_only(listview, filters) {
		sort_by_deadline(listview);
		return listview.filter_area
			.clear(false)
			.then(() => listview.filter_area.set(filters))
			.then(() => listview.refresh());
	}

	frappe.listview_settings[doctype] = {
		add_fields: ["status", "sla_state", "urgency", "due_by", "due_stage"],

		get_indicator(doc) {
			if (doc.status === "Closed") return [__("Closed"), "green", "status,=,Closed"];
			if (doc.status === "Cancelled") return [__("Cancelled"), "gray", "status,=,Cancelled"];
			if (doc.sla_state === "Breached") return [__("Breached"), "red", "sla_state,=,Breached"];
			if (doc.sla_state === "At Risk") return [__("At Risk"), "orange", "sla_state,=,At Risk"];
			// a cancelled case stops its clocks: "Stopped" is never shown as running
			if (doc.sla_state === "Stopped") return [__("Stopped"), "gray", "sla_state,=,Stopped"];
			return [__(doc.status), "blue", `status,=,${doc.status}`];
		},

		formatters: {
			due_by(value, df, doc) {
				const colour = deadline_colour(doc);
				if (!value) {
					return `<span class="indicator-pill ${colour} ellipsis"
						title="${__("No running deadline")}">—</span>`;
				}
				const stage = doc.due_stage ? `${__(doc.due_stage)}: ` : "";
				return `<span class="indicator-pill ${colour} ellipsis"
					title="${stage}${frappe.datetime.prettyDate(value)}">
					${frappe.datetime.str_to_user(value)}
				</span>`;
			},
		},

		onload(listview) {
			const group = __("Deadlines");
			listview.page.add_inner_button(
				__("Due Today"),
				() => show_only(listview, [[doctype, "due_by", "Timespan", "today"]]),
				group
			);
			listview.page.add_inner_button(
				__("Due This Week"),
				() => show_only(listview, [[doctype, "due_by", "Timespan", "this week"]]),
				group
			);
			// "<" alone also matches an empty due_by (Frappe compares ifnull(due_by, 0001-01-01));
			// due_stage is set exactly when due_by is, and a second filter on due_by itself would
			// not survive the list's saved filters (one per field)
			listview.page.add_inner_button(
				__("Overdue"),
				() =>
					show_only(listview, [
						[doctype, "due_by", "<", frappe.datetime.system_datetime()],
						[doctype, "due_stage", "is", "set"],
					]),
				group
			);
			listview.page.add_inner_button(__("My Queue"), () =>
				show_only(listview, queue_filters())
			);

			const before_refresh = listview.before_refresh;
			listview.before_refresh = function () {
				if (frappe.route_options && "due_by" in frappe.route_options) {
					sort_by_deadline(this);
				}
				return before_refresh.apply(this, arguments);
			};
		},
	};
})();
