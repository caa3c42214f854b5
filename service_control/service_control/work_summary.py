"""The figures of a Service Work Summary (服务工作总结) and of the company's consolidation.

Every figure is read through the code that already computes it, with the region as one more
filter (a complaint's, survey's or repair's region is its customer's territory, with its
sub-territories; the indicators' is the delivery note's, as in the Service Indicators report):

- complaints by category, top causes (vital few by responsibility and by item): the Complaint
  Analysis report's ``pareto_rows`` and ``core.indicators.pareto``;
- repeat complaints (same customer and item again within the report's default window): its
  ``get_repeat_candidates`` and ``core.indicators.repeat_episodes``;
- SLA on-time rates per stage: the SLA Performance report's ``get_counts`` and
  ``core.indicators.sla_performance`` / ``totals_by_stage``;
- satisfaction index for the year, the previous year and each quarter: the Satisfaction Analysis
  report's ``load`` (surveys and case ratings) and ``core.survey.overall_index`` /
  ``satisfaction_index``;
- CPU / TGW / R/1000 at the year's end: ``service_indicators.figures`` and, for objectives bound
  on a Quality Goal, ``core.service_indicators.review_status`` against their target.

The figures are copied into the summary's fields and child tables, so it keeps what was true
when it was made; a draft's "Refresh Figures" reads them again.
"""

import frappe
from frappe.utils import getdate, now_datetime

from service_control.core import indicators
from service_control.core import service_indicators as si_rules
from service_control.core import survey as survey_rules
from service_control.core import work_summary as rules
from service_control.service_control import service_indicators as counting
from service_control.service_control.report.complaint_analysis import complaint_analysis
from service_control.service_control.report.satisfaction_analysis import satisfaction_analysis
from service_control.service_control.report.sla_performance import sla_performance
from service_control.utils import domain_errors

REPEAT_KIND = "Customer and Item"


def _filters(doc, start, end) -> frappe._dict:
	return frappe._dict(company=doc.company, territory=doc.get("territory"), from_date=start, to_date=end)


def fill_region(doc) -> None:
	"""Compute every figure of a regional summary into ``doc`` (not saved)."""
	with domain_errors():
		span = rules.summary_year(doc.year)
	as_of = span.as_of(getdate())
	previous = span.previous
	current = _filters(doc, span.start, as_of)
	doc.from_date, doc.to_date, doc.figures_as_of = span.start, as_of, now_datetime()

	categories = complaint_analysis.pareto_rows(current, "Category")
	doc.complaints = sum(r.count for r in categories)
	doc.previous_complaints = sum(
		r.count
		for r in complaint_analysis.pareto_rows(_filters(doc, previous.start, previous.end), "Category")
	)
	doc.set("complaint_categories", [_pareto_row("Category", r) for r in categories])
	doc.set("top_causes", [])
	for dimension in ("Responsibility", "Item"):
		for r in rules.top_causes(complaint_analysis.pareto_rows(current, dimension)):
			doc.append("top_causes", _pareto_row(dimension, r))

	window = complaint_analysis.DEFAULT_WINDOW_DAYS
	keys = complaint_analysis.REPEAT_KEYS[REPEAT_KIND]
	candidates = complaint_analysis.get_repeat_candidates(current, keys, window)
	episodes = indicators.repeat_episodes(
		[(tuple(c[k] for k in keys), c.name, c.received_on) for c in candidates], window
	)
	doc.repeat_cases = len(episodes)
	doc.repeat_complaints = sum(e.count for e in episodes)

	outcomes = indicators.sla_performance(sla_performance.get_counts(current, "Urgency"))
	doc.set(
		"sla_rates",
		[
			{
				"stage": t.stage,
				"met": t.met,
				"met_late": t.met_late,
				"breached": t.breached,
				"still_open": t.open,
				"on_time_rate": t.on_time_rate,
			}
			for t in indicators.totals_by_stage(outcomes)
		],
	)

	this_year = _satisfaction(doc, span.start, as_of)
	last_year = _satisfaction(doc, previous.start, previous.end)
	overall, before = survey_rules.overall_index(this_year), survey_rules.overall_index(last_year)
	doc.satisfaction_index, doc.satisfaction_responses = overall.index, overall.count
	doc.previous_satisfaction, doc.previous_responses = before.index, before.count
	doc.satisfaction_change = rules.change(overall.index, before.index)
	doc.satisfaction_trend = rules.trend(overall.index, before.index)
	by_quarter = survey_rules.satisfaction_index(this_year, "period")
	doc.set("satisfaction_quarters", [])
	for key, cell in ((str(previous.year), before), (str(span.year), overall)):
		doc.append("satisfaction_quarters", _satisfaction_row(key, cell))
	for quarter in span.quarters():
		doc.append("satisfaction_quarters", _satisfaction_row(quarter, by_quarter.get(quarter)))

	doc.set("indicators", indicator_rows(doc.company, doc.territory, as_of))


def _pareto_row(dimension: str, row: indicators.ParetoRow) -> dict:
	return {
		"dimension": dimension,
		"cause": row.key,
		"complaints": row.count,
		"share": row.share,
		"cumulative_share": row.cumulative_share,
		"vital_few": 1 if row.vital_few else 0,
	}


def _satisfaction(doc, start, end) -> list[survey_rules.ScoredResponse]:
	filters = satisfaction_analysis.prepare_filters(
		{
			"company": doc.company,
			"territory": doc.get("territory"),
			"from_date": start,
			"to_date": end,
			"frequency": survey_rules.QUARTERLY,
		}
	)
	return satisfaction_analysis.load(filters)[0]


def _satisfaction_row(period: str, cell: survey_rules.IndexCell | None) -> dict:
	cell = cell or survey_rules.IndexCell()
	return {"period": period, "responses": cell.count, "satisfaction_index": cell.index, "nps": cell.nps.nps}


def indicator_rows(company: str, territory: str | None, as_of) -> list[dict]:
	"""CPU, TGW and R/1000 short- and long-term for the region; one more row per Quality Goal
	objective bound to an indicator of the company, with its target and status."""
	windows = counting.get_windows()
	months = list(dict.fromkeys([windows.short_term, windows.long_term]))
	objective = frappe.qb.DocType("Quality Goal Objective")
	bound = (
		frappe.qb.from_(objective)
		.select(
			objective.parent,
			objective.sc_indicator,
			objective.sc_window,
			objective.sc_item_group,
			objective.target,
			objective.uom,
		)
		.where(
			(objective.parenttype == "Quality Goal")
			& (objective.sc_company == company)
			& objective.sc_indicator.isnotnull()
			& (objective.sc_indicator != "")
		)
		.orderby(objective.parent)
		.orderby(objective.idx)
		.run(as_dict=True)
	)
	totals: dict = {}

	def window_figures(item_group: str | None, window: str) -> si_rules.WindowFigures:
		if item_group not in totals:
			filters = {"company": company, "territory": territory, "item_group": item_group, "as_of": as_of}
			groups = counting.figures(filters, [], months).values()
			totals[item_group] = si_rules.total(groups, months)
		return totals[item_group].window(windows.months(window))

	rows = []
	for window in si_rules.WINDOWS:
		for indicator in si_rules.INDICATORS:
			figures = window_figures(None, window)
			rows.append(
				{
					"indicator": indicator,
					"indicator_window": window,
					"months": windows.months(window),
					"units": figures.units,
					"achieved": figures.value(indicator),
				}
			)
	for o in bound:
		with domain_errors():
			target = si_rules.check_binding(o.sc_indicator, o.sc_window, o.uom, o.target, company)
		figures = window_figures(o.sc_item_group or None, o.sc_window)
		value = figures.value(o.sc_indicator)
		rows.append(
			{
				"indicator": o.sc_indicator,
				"indicator_window": o.sc_window,
				"months": windows.months(o.sc_window),
				"item_group": o.sc_item_group,
				"units": figures.units,
				"achieved": value,
				"target": target,
				"status": si_rules.review_status(value, target),
				"quality_goal": o.parent,
			}
		)
	return rows


# ------------------------------------------------------------------------------------------
# The company summary


def fill_company(doc) -> None:
	"""The company's figures from its regions' submitted summaries of the year (not saved)."""
	with domain_errors():
		rules.summary_year(doc.year)
	summaries = frappe.get_all(
		"Service Work Summary",
		filters={"company": doc.company, "year": doc.year, "docstatus": 1},
		fields=[
			"name",
			"territory",
			"review_status",
			"complaints",
			"previous_complaints",
			"repeat_cases",
			"repeat_complaints",
			"satisfaction_index",
			"satisfaction_responses",
			"previous_satisfaction",
			"previous_responses",
		],
		order_by="territory asc",
	)
	regions = [
		rules.RegionFigures(
			region=s.territory,
			complaints=s.complaints or 0,
			previous_complaints=s.previous_complaints or 0,
			repeat_complaints=s.repeat_complaints or 0,
			responses=s.satisfaction_responses or 0,
			satisfaction=s.satisfaction_index if s.satisfaction_responses else None,
			previous_responses=s.previous_responses or 0,
			previous_satisfaction=s.previous_satisfaction if s.previous_responses else None,
		)
		for s in summaries
	]
	with domain_errors():
		total = rules.consolidate(regions)
	doc.figures_as_of = now_datetime()
	doc.set(
		"regions",
		[
			{
				"territory": s.territory,
				"summary": s.name,
				"review_status": s.review_status,
				"complaints": s.complaints,
				"previous_complaints": s.previous_complaints,
				"repeat_complaints": s.repeat_complaints,
				"satisfaction_index": s.satisfaction_index,
				"satisfaction_responses": s.satisfaction_responses,
				"previous_satisfaction": s.previous_satisfaction,
				"previous_responses": s.previous_responses,
			}
			for s in summaries
		],
	)
	doc.complaints, doc.previous_complaints = total.complaints, total.previous_complaints
	doc.repeat_complaints = total.repeat_complaints
	doc.repeat_cases = sum(s.repeat_cases or 0 for s in summaries)
	doc.satisfaction_index, doc.satisfaction_responses = total.satisfaction, total.responses
	doc.previous_satisfaction = total.previous_satisfaction
	doc.satisfaction_change, doc.satisfaction_trend = total.satisfaction_change, total.satisfaction_trend
	counts = frappe.get_all(
		"Service Work Summary Complaint",
		filters={
			"parenttype": "Service Work Summary",
			"parentfield": "complaint_categories",
			"parent": ["in", [s.name for s in summaries] or [""]],
		},
		fields=["cause", "complaints"],
	)
	doc.set(
		"complaint_categories",
		[
			_pareto_row("Category", r)
			for r in rules.consolidate_counts((c.cause, c.complaints) for c in counts)
		],
	)
