// The work queue shared by every list and calendar of cases with a Due By (Customer Complaint,
// Repair Request): the Due By column coloured by how close the deadline is, the deadline
// presets, My Queue, and the calendar of deadlines. Loaded on every desk page (hooks:
// app_include_js); each doctype's *_list.js / *_calendar.js passes its own settings.
frappe.provide("service_control.deadlines");

(() => {
	const closed_statuses = ["Closed", "Cancelled"];

	// due_by is stored in the system time zone: compare it with the system's now
	function colour(doc) {
		if (!doc.due_by) return "gray";
		if (doc.due_by < frappe.datetime.system_datetime()) return "red";
		if (doc.sla_state === "At Risk") return "orange";
		return "green";
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

	function format_due_by(value, df, doc) {
		if (!value) {
			return `<span class="indicator-pill gray ellipsis"
				title="${__("No running deadline")}">—</span>`;
		}
		const stage = doc.due_stage ? `${__(doc.due_stage)}: ` : "";
		return `<span class="indicator-pill ${colour(doc)} ellipsis"
			title="${stage}${frappe.datetime.prettyDate(value)}">
			${frappe.datetime.str_to_user(value)}
		</span>`;
	}

	function add_presets(listview, doctype) {
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
		// due_stage is set exactly when due_by is, and a second filter on due_by itself would not
		// survive the list's saved filters (one per field)
		listview.page.add_inner_button(
			__("Overdue"),
			() =>
				show_only(listview, [
					[doctype, "due_by", "<", frappe.datetime.system_datetime()],
					[doctype, "due_stage", "is", "set"],
				]),
			group
		);
		// assigned to me (a repair's technician holds it as an assignment), still open, soonest first
		listview.page.add_inner_button(__("My Queue"), () =>
			show_only(listview, [
				[doctype, "_assign", "like", `%${frappe.session.user}%`],
				[doctype, "status", "not in", closed_statuses],
				[doctype, "due_by", "is", "set"],
			])
		);
		const before_refresh = listview.before_refresh;
		listview.before_refresh = function () {
			if (frappe.route_options && "due_by" in frappe.route_options) {
				sort_by_deadline(this);
			}
			return before_refresh.apply(this, arguments);
		};
	}

	// The list settings of a doctype with a Due By: ``settings`` holds its own (indicator, fields).
	service_control.deadlines.list_settings = function (doctype, settings) {
		const onload = settings.onload;
		return {
			...settings,
			add_fields: [...(settings.add_fields || []), "sla_state", "due_by", "due_stage"],
			formatters: { ...(settings.formatters || {}), due_by: format_due_by },
			onload(listview) {
				add_presets(listview, doctype);
				if (onload) onload(listview);
			},
		};
	};

	// The calendar of a doctype's deadlines. Due By is computed from the SLA clocks, so the
	// calendar only shows it: no dragging, no new record from a time slot.
	service_control.deadlines.calendar = function (doctype) {
		return {
			field_map: { start: "due_by", end: "due_by", id: "name", title: "title", allDay: 0 },
			fields: ["name", "title", "due_by", "due_stage", "sla_state", "status"],
			get_css_class: colour,
			// frappe.desk.calendar.get_events reads an empty due_by as an open-ended range: leave
			// out the cases without a running deadline (closed, cancelled, waiting for the customer)
			get_args(start, end) {
				const args = frappe.views.Calendar.prototype.get_args.call(this, start, end);
				args.filters = [...args.filters, [doctype, "due_by", "is", "set"]];
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
	};
})();
