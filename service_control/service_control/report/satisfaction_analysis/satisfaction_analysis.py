# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Satisfaction Analysis (顾客满意度分析): the satisfaction index by period, customer group or
criterion, with the trend, the response rate and the NPS.

Three sources feed one index (0-100): answered Satisfaction Survey Responses (their weighted
score; criterion scores for the criterion view) and, unless switched off, the case ratings:
closed Customer Complaints whose satisfaction was confirmed on closure, scored by the core's
CASE_SATISFACTION_SCORES (Satisfied 100, Partly Satisfied 50, Not Satisfied 0; Unreachable is
not counted), and submitted Repair Feedback with star ratings (mean of the quality and
attitude stars, 5 stars = 100; see rules.rating_score). Periods follow the report's frequency, so quarterly and half-yearly plans and
case ratings land in the same columns. The database selects and joins; the core aggregates.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import flt, getdate

from service_control.core import survey as rules
from service_control.service_control.report_filters import where_territory
from service_control.utils import get_settings

BY_PERIOD = "Period"
BY_GROUP = "Customer Group"
BY_CRITERION = "Criterion"
GROUP_BY = {BY_PERIOD: "period", BY_GROUP: "customer_group", BY_CRITERION: "criterion"}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = prepare_filters(filters)
	responses, requests = load(filters)
	return build(filters, responses, requests)


def prepare_filters(filters) -> frappe._dict:
	filters = frappe._dict(filters or {})
	today = getdate()
	filters.from_date = getdate(filters.get("from_date") or f"{today.year}-01-01")
	filters.to_date = getdate(filters.get("to_date") or f"{today.year}-12-31")
	if filters.from_date > filters.to_date:
		frappe.throw(_("From Date must be before To Date."))
	filters.frequency = filters.get("frequency") or rules.DEFAULT_FREQUENCY
	if filters.frequency not in rules.FREQUENCIES:
		frappe.throw(_("Unknown survey frequency {0}.").format(filters.frequency))
	filters.group_by = filters.get("group_by") or BY_PERIOD
	if filters.group_by not in GROUP_BY:
		frappe.throw(_("Group By must be one of {0}.").format(", ".join(_(g) for g in GROUP_BY)))
	filters.include_cases = int(filters.get("include_cases", 1) or 0) and not filters.get("plan")
	return filters


# ------------------------------------------------------------------------------------------
# Loading


def _customer_groups(group: str | None) -> list[str] | None:
	if not group:
		return None
	return [group, *frappe.db.get_descendants("Customer Group", group)]


def load(filters) -> tuple[list[rules.ScoredResponse], list[dict]]:
	"""Answered responses and case ratings as the core sees them, and every survey request
	(for the response rate) with the report period it falls in."""
	rows = _survey_rows(filters)
	criteria = _criterion_scores([r.name for r in rows if r.status == rules.ANSWERED])
	responses, requests = [], []
	for r in rows:
		day = _effective_date(r)
		if not day or not (filters.from_date <= day <= filters.to_date):
			continue
		period = rules.period_of(day, filters.frequency).key
		if r.plan:
			requests.append(
				{"period": period, "customer_group": r.customer_group, "answered": r.status == rules.ANSWERED}
			)
		if r.status == rules.ANSWERED:
			responses.append(
				rules.ScoredResponse(
					period=period,
					customer_group=r.customer_group,
					weighted_score=flt(r.weighted_score),
					criteria=criteria.get(r.name, {}),
					nps_score=int(r.nps_score) if r.nps_score not in (None, "") else None,
					source=r.source,
				)
			)
	if filters.include_cases:
		responses.extend(_complaint_ratings(filters))
		responses.extend(_repair_ratings(filters))
	return responses, requests


def _effective_date(row):
	if row.period:
		try:
			return rules.parse_period(row.period).start
		except rules.SurveyError:
			return None
	return getdate(row.survey_date or row.responded_on) if (row.survey_date or row.responded_on) else None


def _survey_rows(filters) -> list[dict]:
	response = frappe.qb.DocType("Satisfaction Survey Response")
	query = frappe.qb.from_(response).select(
		response.name,
		response.plan,
		response.period,
		response.customer_group,
		response.status,
		response.weighted_score,
		response.nps_score,
		response.source,
		response.survey_date,
		response.responded_on,
	)
	# coarse bound on indexed columns; the exact period test is done in Python
	years = [str(y) for y in range(filters.from_date.year, filters.to_date.year + 1)]
	by_period = response.period.isin(
		[f"{y}-{p}" for y in years for p in ("H1", "H2", "Q1", "Q2", "Q3", "Q4", "Y")]
	)
	by_date = response.period.isnull() & (response.survey_date[filters.from_date : filters.to_date])
	query = query.where(by_period | by_date)
	if filters.get("company"):
		query = query.where(response.company == filters.company)
	if filters.get("plan"):
		query = query.where(response.plan == filters.plan)
	query = where_territory(query, response.customer, filters.get("territory"))
	groups = _customer_groups(filters.get("customer_group"))
	if groups:
		query = query.where(response.customer_group.isin(groups))
	return query.run(as_dict=True)


def _criterion_scores(names: list[str]) -> dict[str, dict[str, float]]:
	if not names:
		return {}
	score = frappe.qb.DocType("Satisfaction Survey Score")
	out: dict[str, dict[str, float]] = defaultdict(dict)
	for chunk in range(0, len(names), 1000):
		rows = (
			frappe.qb.from_(score)
			.select(score.parent, score.criterion, score.score_percent)
			.where(
				(score.parenttype == "Satisfaction Survey Response")
				& score.parent.isin(names[chunk : chunk + 1000])
			)
			.run(as_dict=True)
		)
		for row in rows:
			out[row.parent][row.criterion] = flt(row.score_percent)
	return out


def _complaint_ratings(filters) -> list[rules.ScoredResponse]:
	"""Closed complaints with a confirmed satisfaction, as case ratings on the 0-100 scale."""
	complaint, customer = frappe.qb.DocType("Customer Complaint"), frappe.qb.DocType("Customer")
	mapped = [k for k, v in rules.CASE_SATISFACTION_SCORES.items() if v is not None]
	query = (
		frappe.qb.from_(complaint)
		.join(customer)
		.on(customer.name == complaint.customer)
		.select(complaint.closed_on, complaint.satisfaction, customer.customer_group)
		.where(
			(complaint.status == "Closed")
			& complaint.satisfaction.isin(mapped)
			& (complaint.closed_on >= filters.from_date)
			& (complaint.closed_on < frappe.utils.add_days(filters.to_date, 1))
		)
	)
	if filters.get("company"):
		query = query.where(complaint.company == filters.company)
	query = where_territory(query, complaint.customer, filters.get("territory"))
	groups = _customer_groups(filters.get("customer_group"))
	if groups:
		query = query.where(customer.customer_group.isin(groups))
	return [
		rules.ScoredResponse(
			period=rules.period_of(getdate(row.closed_on), filters.frequency).key,
			customer_group=row.customer_group,
			weighted_score=rules.case_score(row.satisfaction),
			source=rules.SOURCE_CASE,
		)
		for row in query.run(as_dict=True)
	]


def _repair_ratings(filters) -> list[rules.ScoredResponse]:
	"""Submitted Repair Feedback with star ratings, as case ratings (see rating_score)."""
	if not frappe.db.table_exists("Repair Feedback"):
		return []
	feedback, customer = frappe.qb.DocType("Repair Feedback"), frappe.qb.DocType("Customer")
	query = (
		frappe.qb.from_(feedback)
		.join(customer)
		.on(customer.name == feedback.customer)
		.select(
			feedback.posting_date, feedback.quality_rating, feedback.attitude_rating, customer.customer_group
		)
		.where(
			(feedback.docstatus == 1)
			& (feedback.posting_date[filters.from_date : filters.to_date])
			& ((feedback.quality_rating > 0) | (feedback.attitude_rating > 0))
		)
	)
	if filters.get("company"):
		query = query.where(feedback.company == filters.company)
	query = where_territory(query, feedback.customer, filters.get("territory"))
	groups = _customer_groups(filters.get("customer_group"))
	if groups:
		query = query.where(customer.customer_group.isin(groups))
	return [
		rules.ScoredResponse(
			period=rules.period_of(getdate(row.posting_date), filters.frequency).key,
			customer_group=row.customer_group,
			weighted_score=rules.rating_score(row.quality_rating, row.attitude_rating),
			source=rules.SOURCE_CASE,
		)
		for row in query.run(as_dict=True)
	]


# ------------------------------------------------------------------------------------------
# Building the report


def build(filters, responses, requests):
	target = flt(get_settings().satisfaction_target_percent) or None
	key = GROUP_BY[filters.group_by]
	cells = rules.satisfaction_index(responses, key)
	overall = rules.overall_index(responses)
	counts = defaultdict(lambda: [0, 0])
	for req in requests:
		if key != "criterion":
			counts[req[key] or ""][0] += 1
			counts[req[key] or ""][1] += req["answered"]
	below = set(rules.below_target(cells, target))
	cases = defaultdict(int)
	for r in responses:
		if r.source == rules.SOURCE_CASE and key != "criterion":
			cases[getattr(r, key) or ""] += 1

	data = []
	for group in sorted(set(cells) | set(counts)):
		cell = cells.get(group) or rules.IndexCell()
		requested, answered = counts.get(group, (0, 0))
		row = {
			"group": group,
			"responses": cell.count,
			"index": cell.index,
			"target": target,
			"below_target": 1 if group in below else 0,
		}
		if key != "criterion":
			row.update(
				{
					"requests": requested,
					"answered": answered,
					"response_rate": rules.response_rate(requested, answered),
					"cases": cases.get(group, 0),
					"nps": cell.nps.nps,
					"promoters": cell.nps.promoters,
					"detractors": cell.nps.detractors,
				}
			)
		else:
			row["action"] = ""
		data.append(row)

	requested_total = len(requests)
	answered_total = sum(1 for r in requests if r["answered"])
	rate = rules.response_rate(requested_total, answered_total)
	return (
		get_columns(filters.group_by),
		data,
		None,
		get_chart(responses, target),
		get_summary(overall, rate, target),
	)


def get_columns(group_by: str) -> list[dict]:
	first = {
		BY_PERIOD: {"label": _("Period"), "fieldname": "group", "fieldtype": "Data", "width": 120},
		BY_GROUP: {
			"label": _("Customer Group"),
			"fieldname": "group",
			"fieldtype": "Link",
			"options": "Customer Group",
			"width": 180,
		},
		BY_CRITERION: {"label": _("Criterion"), "fieldname": "group", "fieldtype": "Data", "width": 200},
	}[group_by]
	columns = [first, {"label": _("Responses"), "fieldname": "responses", "fieldtype": "Int", "width": 100}]
	if group_by != BY_CRITERION:
		columns += [
			{"label": _("Survey Requests"), "fieldname": "requests", "fieldtype": "Int", "width": 120},
			{"label": _("Answered"), "fieldname": "answered", "fieldtype": "Int", "width": 100},
			{"label": _("Response Rate"), "fieldname": "response_rate", "fieldtype": "Percent", "width": 120},
			{"label": _("Case Ratings"), "fieldname": "cases", "fieldtype": "Int", "width": 110},
		]
	columns += [
		{"label": _("Satisfaction Index"), "fieldname": "index", "fieldtype": "Percent", "width": 140},
		{"label": _("Target"), "fieldname": "target", "fieldtype": "Percent", "width": 90},
	]
	if group_by != BY_CRITERION:
		columns += [
			{"label": _("NPS"), "fieldname": "nps", "fieldtype": "Float", "precision": 1, "width": 80},
			{"label": _("Promoters"), "fieldname": "promoters", "fieldtype": "Int", "width": 100},
			{"label": _("Detractors"), "fieldname": "detractors", "fieldtype": "Int", "width": 100},
		]
	columns.append(
		{"label": _("Below Target"), "fieldname": "below_target", "fieldtype": "Check", "width": 110}
	)
	if group_by == BY_CRITERION:
		columns.append({"label": _("Action"), "fieldname": "action", "fieldtype": "Data", "width": 130})
	return columns


def get_chart(responses, target) -> dict | None:
	by_period = rules.satisfaction_index(responses, "period")
	if not by_period:
		return None
	labels = list(by_period)
	datasets = [{"name": _("Satisfaction Index"), "values": [by_period[p].index for p in labels]}]
	if target:
		datasets.append({"name": _("Target"), "values": [target for _p in labels]})
	return {
		"data": {"labels": labels, "datasets": datasets},
		"type": "line",
		"fieldtype": "Percent",
		"lineOptions": {"dotSize": 6},
	}


def get_summary(overall, rate, target) -> list[dict]:
	index = overall.index
	indicator = "Blue" if index is None or not target else ("Green" if index >= target else "Red")
	return [
		{"label": _("Satisfaction Index"), "value": index, "datatype": "Percent", "indicator": indicator},
		{"label": _("Target"), "value": target, "datatype": "Percent"},
		{"label": _("Response Rate"), "value": rate, "datatype": "Percent"},
		{"label": _("NPS"), "value": overall.nps.nps, "datatype": "Float"},
		{"label": _("Responses"), "value": overall.count, "datatype": "Int"},
	]
