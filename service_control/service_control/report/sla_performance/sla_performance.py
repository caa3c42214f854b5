# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""SLA Performance: on-time rate of every complaint SLA stage by month, urgency, category or owner.

The database counts the clocks per (group, stage, state); the core turns the counts into rates.
"""

from pypika.enums import DatePart

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Extract

from service_control.core import indicators
from service_control.service_control.report_filters import where_category, where_dates, where_territory
from service_control.service_control.sla.clocks import CLOCK_PARENTS

GROUP_FIELDS = {"Urgency": "urgency", "Category": "category", "Owner": "investigation_owner"}
GROUP_LABELS = {
	"Month": "Month",
	"Urgency": "Urgency",
	"Category": "Category",
	"Owner": "Investigation Owner",
}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or "Month"
	if group_by not in indicators.GROUP_BY:
		frappe.throw(
			_("Group By must be one of {0}.").format(
				", ".join(_(GROUP_LABELS[g]) for g in indicators.GROUP_BY)
			)
		)
	stages = (filters.stage,) if filters.get("stage") else indicators.STAGES
	outcomes = indicators.sla_performance(get_counts(filters, group_by), stages=stages)
	data = [format_row(o, group_by) for o in outcomes]
	totals = indicators.totals_by_stage(outcomes, stages)
	return get_columns(group_by), data, None, get_chart(outcomes, group_by), get_summary(totals)


def get_counts(filters, group_by: str) -> list[tuple]:
	"""``(group, stage, state, count)`` per group, counted by the database.

	Each complaint repeats the state of its stage clocks (``CLOCK_PARENTS`` ``stage_fields``, kept
	by every save, sweep and recompute), so the count reads the complaints alone: one range of
	``received_on``, no lookup of a clock per complaint (a year holds hundreds of thousands)."""
	complaint = frappe.qb.DocType("Customer Complaint")
	columns = CLOCK_PARENTS["Customer Complaint"]["stage_fields"]
	stages = [filters.stage] if filters.get("stage") else list(columns)
	if group_by == "Month":
		year = Extract(DatePart.year, complaint.received_on)
		month = Extract(DatePart.month, complaint.received_on)
		keys = [year.as_("year"), month.as_("month")]
		group_terms = [year, month]
	else:
		keys = [complaint[GROUP_FIELDS[group_by]].as_("grp")]
		group_terms = [complaint[GROUP_FIELDS[group_by]]]
	state_terms = [complaint[columns[stage]] for stage in stages]
	query = (
		frappe.qb.from_(complaint)
		.select(*keys, *state_terms, Count("*").as_("complaints"))
		.where(complaint.status != "Cancelled")
		.groupby(*group_terms, *state_terms)
	)
	for field in ("company", "urgency"):
		if filters.get(field):
			query = query.where(complaint[field] == filters[field])
	query = where_category(query, complaint.category, filters.get("category"))
	query = where_dates(query, complaint.received_on, filters)
	query = where_territory(query, complaint.customer, filters.get("territory"))
	counts: dict[tuple, int] = {}
	for row in query.run(as_dict=True):
		group = indicators.month_label(row.year, row.month) if group_by == "Month" else row.grp
		for stage in stages:
			if state := row[columns[stage]]:
				counts[group, stage, state] = counts.get((group, stage, state), 0) + row.complaints
	return [(group, stage, state, count) for (group, stage, state), count in counts.items()]


def format_row(outcome: indicators.StageOutcome, group_by: str) -> dict:
	row = outcome.as_dict()
	group = outcome.group
	if group_by == "Urgency" and group:
		group = _(group)
	row["group"] = group if group else _("Not Set")
	row["stage_label"] = _(outcome.stage)
	return row


def get_columns(group_by: str) -> list[dict]:
	group_column = {
		"label": _(GROUP_LABELS[group_by]),
		"fieldname": "group",
		"fieldtype": "Data",
		"width": 160,
	}
	if group_by == "Category":
		group_column.update(fieldtype="Link", options="Complaint Category")
	elif group_by == "Owner":
		group_column.update(fieldtype="Link", options="User", width=200)
	return [
		group_column,
		{"label": _("Stage"), "fieldname": "stage_label", "fieldtype": "Data", "width": 120},
		{"label": _("Met"), "fieldname": "met", "fieldtype": "Int", "width": 80},
		{"label": _("Met Late"), "fieldname": "met_late", "fieldtype": "Int", "width": 90},
		{"label": _("Breached"), "fieldname": "breached", "fieldtype": "Int", "width": 90},
		{"label": _("Open, At Risk"), "fieldname": "at_risk", "fieldtype": "Int", "width": 110},
		{"label": _("Open, On Track"), "fieldname": "on_track", "fieldtype": "Int", "width": 120},
		{"label": _("Total"), "fieldname": "total", "fieldtype": "Int", "width": 80},
		{"label": _("On-Time Rate"), "fieldname": "on_time_rate", "fieldtype": "Percent", "width": 120},
	]


def get_chart(outcomes: list[indicators.StageOutcome], group_by: str) -> dict | None:
	if not outcomes:
		return None
	groups: list = []
	for o in outcomes:
		if o.group not in groups:
			groups.append(o.group)
	stages = [s for s in indicators.STAGES if any(o.stage == s for o in outcomes)]
	rates = {(o.group, o.stage): o.on_time_rate for o in outcomes}
	labels = [(_(g) if group_by == "Urgency" else g) if g else _("Not Set") for g in groups]
	series = group_by == "Month" and len(groups) > 1  # a line through one point draws nothing
	return {
		"data": {
			"labels": labels,
			"datasets": [
				{"name": _(stage), "values": [rates.get((g, stage)) or 0 for g in groups]} for stage in stages
			],
		},
		"type": "line" if series else "bar",
		"fieldtype": "Percent",
		"axisOptions": {"xIsSeries": 1} if series else {},
	}


def get_summary(totals: list[indicators.StageOutcome]) -> list[dict]:
	summary = []
	for t in totals:
		on_time = t.on_time_rate
		summary.append(
			{
				"label": _("{0} On Time").format(_(t.stage)),
				"value": on_time if on_time is not None else "-",
				"datatype": "Percent" if on_time is not None else "Data",
				"indicator": "Green" if on_time is not None and on_time >= 90 else "Orange",
			}
		)
	breached = sum(t.breached for t in totals)
	at_risk = sum(t.at_risk for t in totals)
	summary.append(
		{
			"label": _("Breached, Still Open"),
			"value": breached,
			"datatype": "Int",
			"indicator": "Red" if breached else "Green",
		}
	)
	summary.append(
		{
			"label": _("At Risk"),
			"value": at_risk,
			"datatype": "Int",
			"indicator": "Orange" if at_risk else "Green",
		}
	)
	return summary
