"""A Corrective Action from the Satisfaction Analysis report, for a criterion below target."""

import json

import frappe
from frappe import _
from frappe.utils import getdate

from service_control.core import survey as rules
from service_control.service_control.doctype.corrective_action.corrective_action import live_capa
from service_control.service_control.survey.links import PLAN, RESPONSE


@frappe.whitelist()
def create_capa(criterion: str, filters: str | dict | None = None) -> str:
	"""Open a Corrective Action for a criterion below the satisfaction target.

	The index is recomputed here from the same filters (the browser's figure is not trusted);
	the CAPA's source is the answered response that scored the criterion lowest, its owner the
	plan's owner when the report is filtered by plan. An open CAPA from that response is reused.
	"""
	from service_control.service_control.report.satisfaction_analysis import satisfaction_analysis as report

	frappe.has_permission("Corrective Action", "create", throw=True)
	filters = frappe._dict(json.loads(filters) if isinstance(filters, str) else (filters or {}))
	filters.group_by = report.BY_CRITERION
	_columns, data, *_rest = report.execute(filters)
	row = next((r for r in data if r["group"] == criterion), None)
	if not row or not row["below_target"]:
		frappe.throw(_("Criterion {0} is not below the satisfaction target.").format(criterion))
	source = lowest_response(criterion, report.prepare_filters(filters))
	existing = live_capa(RESPONSE, source.name)
	if existing:
		return existing
	owner = frappe.db.get_value(PLAN, filters.plan, "plan_owner") if filters.get("plan") else None
	capa = frappe.get_doc(
		{
			"doctype": "Corrective Action",
			"company": filters.get("company") or source.company,
			"opened_on": getdate(),
			"capa_owner": owner or frappe.session.user,
			"source_type": RESPONSE,
			"source_name": source.name,
			"problem_what": _(
				"Customer satisfaction with {0} is {1}%, below the target of {2}% ({3} responses, {4} to {5})."
			).format(
				criterion,
				row["index"],
				row["target"],
				row["responses"],
				frappe.format(filters.get("from_date") or "", "Date"),
				frappe.format(filters.get("to_date") or "", "Date"),
			),
			"problem_where": _("Satisfaction survey criterion {0}").format(criterion),
			"problem_when": getdate(),
		}
	)
	capa.insert()
	return capa.name


def lowest_response(criterion: str, filters) -> frappe._dict:
	"""The answered response in the report's selection that scored ``criterion`` lowest."""
	response, score = frappe.qb.DocType(RESPONSE), frappe.qb.DocType("Satisfaction Survey Score")
	query = (
		frappe.qb.from_(score)
		.join(response)
		.on(response.name == score.parent)
		.select(response.name, response.company, response.period, response.survey_date)
		.where(
			(score.parenttype == RESPONSE)
			& (score.criterion == criterion)
			& (response.status == rules.ANSWERED)
		)
		.orderby(score.score_percent)
		.orderby(response.responded_on, order=frappe.qb.desc)
	)
	for field in ("company", "plan"):
		if filters.get(field):
			query = query.where(response[field] == filters[field])
	for row in query.run(as_dict=True):
		day = (
			rules.parse_period(row.period).start
			if row.period
			else (getdate(row.survey_date) if row.survey_date else None)
		)
		if day and filters.from_date <= day <= filters.to_date:
			return row
	frappe.throw(_("No answered survey rates {0} in this selection.").format(criterion))
