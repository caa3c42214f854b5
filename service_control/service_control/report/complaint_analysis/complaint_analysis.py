# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Complaint Analysis: Pareto of complaints by category, item, responsibility or customer, and
repeat complaints (same customer and item, or same serial no, again within a window of days).

The database counts and finds the repeat candidates; the core computes shares and chains.
"""

from pypika.analytics import Lag, Lead
from pypika.terms import Interval

import frappe
from frappe import _
from frappe.query_builder.functions import Count, IfNull
from frappe.utils import cint

from service_control.core import indicators
from service_control.service_control.report_filters import where_dates, where_territory

PARETO = "Pareto"
REPEATS = "Repeat Complaints"
DIMENSIONS = {
	"Category": ("category", "Link", "Complaint Category"),
	"Item": ("item_code", "Link", "Item"),
	"Responsibility": ("responsibility", "Data", None),
	"Customer": ("customer", "Link", "Customer"),
}
REPEAT_KEYS = {
	"Customer and Item": ("customer", "item_code"),
	"Serial No": ("serial_no",),
}
DEFAULT_WINDOW_DAYS = 90


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	if (filters.get("view") or PARETO) == REPEATS:
		return execute_repeats(filters)
	return execute_pareto(filters)


# ------------------------------------------------------------------------------------------
# Pareto


def execute_pareto(filters):
	dimension = filters.get("dimension") or "Category"
	if dimension not in DIMENSIONS:
		frappe.throw(_("Analyse By must be one of {0}.").format(", ".join(_(d) for d in DIMENSIONS)))
	fieldname, fieldtype, options = DIMENSIONS[dimension]
	pareto = pareto_rows(filters, dimension)
	data = []
	for row in pareto:
		values = row.as_dict()
		if row.key is None:
			values["key"] = _("Not Set")
		elif dimension == "Responsibility":
			values["key"] = _(row.key)
		values["vital_few"] = _("Yes") if row.vital_few else _("No")
		data.append(values)
	columns = [
		{"label": _(dimension), "fieldname": "key", "fieldtype": fieldtype, "width": 200},
		{"label": _("Complaints"), "fieldname": "count", "fieldtype": "Int", "width": 110},
		{"label": _("Share of Total"), "fieldname": "share", "fieldtype": "Percent", "width": 100},
		{
			"label": _("Cumulative Share"),
			"fieldname": "cumulative_share",
			"fieldtype": "Percent",
			"width": 140,
		},
		{"label": _("Vital Few"), "fieldname": "vital_few", "fieldtype": "Data", "width": 90},
	]
	if options:
		columns[0]["options"] = options
	total = sum(r.count for r in pareto)
	summary = [
		{"label": _("Complaints"), "value": total, "datatype": "Int"},
		{"label": _(dimension), "value": len(pareto), "datatype": "Int"},
		{
			"label": _("Vital Few (80%)"),
			"value": sum(1 for r in pareto if r.vital_few),
			"datatype": "Int",
			"indicator": "Red",
		},
	]
	return columns, data, None, pareto_chart(data), summary


def pareto_rows(filters, dimension: str) -> list[indicators.ParetoRow]:
	"""The filtered complaints counted by ``dimension`` in the database, as the core's Pareto."""
	complaint = frappe.qb.DocType("Customer Complaint")
	# Grouped by an expression, not the bare column: on the column the optimizer walks the
	# whole index of the dimension to skip the sort and reads every complaint by key, all time
	# long (seconds over a million complaints). Empty and unset are one group either way.
	key = IfNull(complaint[DIMENSIONS[dimension][0]], "")
	query = frappe.qb.from_(complaint).select(key.as_("key"), Count("*").as_("complaints")).groupby(key)
	rows = apply_filters(query, complaint, filters).run(as_dict=True)
	return indicators.pareto([(r.key or None, r.complaints) for r in rows])


def pareto_chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": [str(r["key"]) for r in data],
			"datasets": [
				{"name": _("Share of Total"), "chartType": "bar", "values": [r["share"] for r in data]},
				{
					"name": _("Cumulative Share"),
					# a line through one point draws nothing (Frappe Charts logs a path error)
					"chartType": "line" if len(data) > 1 else "bar",
					"values": [r["cumulative_share"] for r in data],
				},
			],
			"yMarkers": [{"label": "80%", "value": indicators.PARETO_CUTOFF}],
		},
		"type": "axis-mixed",
		"fieldtype": "Percent",
		"colors": ["#5e64ff", "#ff5858"],
	}


# ------------------------------------------------------------------------------------------
# Repeat complaints


def execute_repeats(filters):
	window = cint(filters.get("window_days")) or DEFAULT_WINDOW_DAYS
	if window <= 0:
		frappe.throw(_("The window must be at least one day."))
	repeat_by = filters.get("repeat_by")
	kinds = [repeat_by] if repeat_by in REPEAT_KEYS else list(REPEAT_KEYS)
	data = []
	for kind in kinds:
		keys = REPEAT_KEYS[kind]
		candidates = get_repeat_candidates(filters, keys, window)
		by_name = {c.name: c for c in candidates}
		events = [(tuple(c[k] for k in keys), c.name, c.received_on) for c in candidates]
		for episode in indicators.repeat_episodes(events, window):
			last = by_name[episode.complaints[-1]]
			data.append(
				{
					"repeat_by": _(kind),
					"customer": last.customer,
					"item_code": last.item_code,
					"serial_no": last.serial_no if kind == "Serial No" else None,
					"complaints": episode.count,
					"first_on": episode.first_on,
					"last_on": episode.last_on,
					"span_days": episode.span_days,
					"complaint_names": ", ".join(episode.complaints),
				}
			)
	columns = [
		{"label": _("Repeat By"), "fieldname": "repeat_by", "fieldtype": "Data", "width": 130},
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 160,
		},
		{"label": _("Item"), "fieldname": "item_code", "fieldtype": "Link", "options": "Item", "width": 140},
		{
			"label": _("Serial No"),
			"fieldname": "serial_no",
			"fieldtype": "Link",
			"options": "Serial No",
			"width": 130,
		},
		{"label": _("Complaints"), "fieldname": "complaints", "fieldtype": "Int", "width": 100},
		{"label": _("First Received"), "fieldname": "first_on", "fieldtype": "Datetime", "width": 150},
		{"label": _("Last Received"), "fieldname": "last_on", "fieldtype": "Datetime", "width": 150},
		{"label": _("Span (Days)"), "fieldname": "span_days", "fieldtype": "Float", "width": 100},
		{"label": _("Complaint Numbers"), "fieldname": "complaint_names", "fieldtype": "Data", "width": 300},
	]
	summary = [
		{
			"label": _("Repeat Cases"),
			"value": len(data),
			"datatype": "Int",
			"indicator": "Red" if data else "Green",
		},
		{"label": _("Complaints Involved"), "value": sum(r["complaints"] for r in data), "datatype": "Int"},
		{"label": _("Window (Days)"), "value": window, "datatype": "Int"},
	]
	chart = None
	if data:
		top = data[:10]
		chart = {
			"data": {
				"labels": [
					" / ".join(filter(None, (r["customer"], r["item_code"], r["serial_no"]))) for r in top
				],
				"datasets": [{"name": _("Complaints"), "values": [r["complaints"] for r in top]}],
			},
			"type": "bar",
		}
	return columns, data, None, chart, summary


def get_repeat_candidates(filters, keys: tuple[str, ...], window: int) -> list[dict]:
	"""Complaints with another complaint on the same key within ``window`` days.

	Among the filtered complaints of one key ordered by receipt, a complaint has such a
	neighbour exactly when the one before or the one after it is within the window, so one
	pass with ``LAG``/``LEAD`` over the key finds them (a self-join probes every other
	complaint of the key: quadratic for a customer with many complaints)."""
	complaint = frappe.qb.DocType("Customer Complaint")
	partition = [complaint[key] for key in keys]
	order = (complaint.received_on, complaint.name)
	inner = frappe.qb.from_(complaint).select(
		complaint.name,
		complaint.received_on,
		complaint.customer,
		complaint.item_code,
		complaint.serial_no,
		Lag(complaint.received_on).over(*partition).orderby(*order).as_("previous_on"),
		Lead(complaint.received_on).over(*partition).orderby(*order).as_("next_on"),
	)
	for key in keys:
		inner = inner.where(complaint[key].isnotnull() & (complaint[key] != ""))
	inner = apply_filters(inner, complaint, filters)
	ranked = inner.as_("ranked")
	return (
		frappe.qb.from_(ranked)
		.select(ranked.name, ranked.received_on, ranked.customer, ranked.item_code, ranked.serial_no)
		.where(
			(ranked.received_on <= ranked.previous_on + Interval(days=window))
			| (ranked.next_on <= ranked.received_on + Interval(days=window))
		)
		.run(as_dict=True)
	)


# ------------------------------------------------------------------------------------------


def apply_filters(query, complaint, filters):
	query = query.where(complaint.status != "Cancelled")
	for field in ("company", "customer", "item_code"):
		if filters.get(field):
			query = query.where(complaint[field] == filters[field])
	query = where_dates(query, complaint.received_on, filters)
	return where_territory(query, complaint.customer, filters.get("territory"))
