"""Quality Review hooks: the objectives bound to a service indicator are reviewed by the figures.

ERPNext's scheduler (``quality_review.review``) inserts a review per goal that falls due; its
own ``validate`` copies the goal's objectives into the review's rows. This hook then fills each
bound row: the achieved value (``sc_achieved``), Passed or Failed against the target (lower is
better) and a short review text; with no unit in service the row stays Open. A failed row offers a
draft Corrective Action with the figures, one per goal, objective and period.
"""

import frappe
from frappe import _
from frappe.utils import fmt_money, getdate

from service_control.core import service_indicators as rules
from service_control.service_control import service_indicators as counting

SOURCE_TYPE = "Quality Review"


def validate(doc, method=None):
	"""Fill the bound rows once, when the review is made: a reviewer's later edits stay."""
	if not doc.is_new() or not doc.goal:
		return
	goal = frappe.get_cached_doc("Quality Goal", doc.goal)
	windows = counting.get_windows()
	as_of = getdate(doc.date)
	for row, objective in _bound_rows(doc, goal):
		target = rules.check_binding(
			objective.sc_indicator, objective.sc_window, objective.uom, objective.target, objective.sc_company
		)
		filters = {"company": objective.sc_company, "item_group": objective.get("sc_item_group")}
		value, figures = counting.indicator_value(objective.sc_indicator, objective.sc_window, filters, as_of)
		row.sc_achieved = value
		row.status = rules.review_status(value, target)
		row.review = _review_text(
			objective, windows.months(objective.sc_window), as_of, value, target, figures
		)
	doc.set_status()


def after_insert(doc, method=None):
	"""Offer a draft CAPA for each failed bound objective (never a second one for the period)."""
	goal = frappe.get_cached_doc("Quality Goal", doc.goal)
	for row, objective in _bound_rows(doc, goal):
		if row.status == rules.FAILED:
			offer_capa(doc, goal, objective, row)


def _bound_rows(doc, goal):
	"""(review row, goal objective) for the objectives bound to an indicator. ERPNext copies the
	objectives in order; a review edited by hand is matched by the objective's text."""
	objectives = list(goal.objectives)
	for position, row in enumerate(doc.reviews):
		objective = objectives[position] if position < len(objectives) else None
		if objective is None or objective.objective != row.objective:
			objective = next((o for o in objectives if o.objective == row.objective), None)
		if objective is not None and objective.get("sc_indicator"):
			yield row, objective


def _review_text(objective, months, as_of, value, target, figures) -> str:
	if value is None:
		return _("No unit delivered at least {0} months before {1}: nothing to review.").format(
			months, frappe.format(as_of, "Date")
		)
	return _(
		"{0} over {1} months in service as of {2}: {3} against a target of {4} ({5} units, {6} defects, {7} repairs, cost {8})."
	).format(
		objective.sc_indicator,
		months,
		frappe.format(as_of, "Date"),
		value,
		target,
		figures.units,
		figures.defects,
		figures.repairs,
		fmt_money(
			figures.cost,
			currency=frappe.get_cached_value("Company", objective.sc_company, "default_currency"),
		),
	)


def offer_capa(review, goal, objective, row) -> str:
	"""The draft CAPA for this goal, objective and period: the existing one, or a new one. The
	goal's row is locked first, so two reviews made at once cannot both add one."""
	frappe.db.get_value("Quality Goal", goal.name, "name", for_update=True)
	key = rules.capa_key(
		goal.name,
		objective.idx,
		objective.sc_indicator,
		objective.sc_window,
		rules.review_period(getdate(review.date), goal.frequency),
	)
	capa, source = frappe.qb.DocType("Corrective Action"), frappe.qb.DocType(SOURCE_TYPE)
	existing = (
		frappe.qb.from_(capa)
		.join(source)
		.on(source.name == capa.source_name)
		.select(capa.name)
		.where((capa.source_type == SOURCE_TYPE) & (source.goal == goal.name) & (capa.problem_where == key))
		.limit(1)
		.run()
	)
	if existing:
		return existing[0][0]
	doc = frappe.get_doc(
		{
			"doctype": "Corrective Action",
			"company": objective.sc_company,
			"opened_on": getdate(),
			"source_type": SOURCE_TYPE,
			"source_name": review.name,
			"problem_what": _("{0} of {1} missed its target: {2}").format(
				objective.sc_indicator, goal.name, frappe.utils.strip_html(row.review or "")
			),
			"problem_where": key,
			"problem_when": getdate(review.date),
		}
	)
	doc.flags.ignore_permissions = True  # the scheduler makes the review; the CAPA stays a draft
	doc.insert()
	return doc.name
