# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, get_datetime, getdate, now_datetime

from service_control.core import survey as rules
from service_control.service_control.survey.links import get_template
from service_control.utils import domain_errors

#: Closed cases a "Case" response may rate, and the status that means closed / completed.
CASE_DOCTYPES = {"Customer Complaint": ("Closed",), "Repair Request": ("Resolved", "Closed")}


class SatisfactionSurveyResponse(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.satisfaction_survey_score.satisfaction_survey_score import (
			SatisfactionSurveyScore,
		)

		comments: DF.Text | None
		company: DF.Link
		contact: DF.Link | None
		contact_email: DF.Data | None
		customer: DF.Link
		customer_group: DF.Link | None
		customer_name: DF.Data | None
		expires_on: DF.Date | None
		is_history: DF.Check
		naming_series: DF.Literal["SSR-.YYYY.-"]
		nps_score: DF.Literal["", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]
		period: DF.Data | None
		plan: DF.Link | None
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		responded_by: DF.Link | None
		responded_on: DF.Datetime | None
		scores: DF.Table[SatisfactionSurveyScore]
		sent_on: DF.Datetime | None
		source: DF.Literal["Online", "Phone", "Visit", "Paper", "Case"]
		status: DF.Literal["Pending", "Sent", "Answered", "Expired"]
		survey_date: DF.Date | None
		survey_key: DF.Data | None
		template: DF.Link
		title: DF.Data | None
		token_hash: DF.Data | None
		weighted_score: DF.Percent
	# end: auto-generated types

	def onload(self):
		# requests made by the daily job carry no rows yet: show the criteria to staff entering answers
		if not self.scores and self.template:
			self._fill_criteria(get_template(self.template))

	def validate(self):
		template = get_template(self.template) if self.template else None
		with domain_errors(title=_("Invalid satisfaction survey")):
			if self.is_history:
				# an answer of the surveys kept before the app: answered then, nothing to send
				rules.check_response_history(
					any(row.score not in (None, "") for row in self.scores or [])
					or self.nps_score not in (None, ""),
					_date(self.survey_date),
					get_datetime(self.responded_on) if self.responded_on else None,
					now_datetime(),
				)
			self._validate_customer()
			self._validate_plan()
			self.survey_key = rules.survey_key(
				self.customer, self.plan, self.period, (self.reference_doctype, self.reference_name)
			)
			self._validate_unique()
			self._validate_case()
			if not template:
				raise rules.SurveyError(_("Choose the survey template."))
			self._fill_criteria(template)
			self._score(template)
		self.title = self.customer_name or self.customer

	def _validate_customer(self) -> None:
		before = self.get_doc_before_save()
		if self.is_new() or (before and before.customer != self.customer):
			disabled = frappe.db.get_value("Customer", self.customer, "disabled")
			rules.check_customer_enabled(self.customer, bool(cint(disabled)))

	def _validate_plan(self) -> None:
		if not self.plan:
			return
		plan = frappe.get_cached_value(
			"Satisfaction Survey Plan",
			self.plan,
			["plan_year", "frequency", "company", "template"],
			as_dict=True,
		)
		keys = [p.key for p in rules.plan_periods(plan.plan_year, plan.frequency)]
		rules.parse_period(self.period or "")
		if self.period not in keys:
			raise rules.SurveyError(
				_("Period {0} is not a period of plan {1}: use one of {2}."),
				self.period,
				self.plan,
				", ".join(keys),
			)
		self.company = self.company or plan.company
		self.template = self.template or plan.template

	def _validate_unique(self) -> None:
		other = frappe.db.get_value(
			"Satisfaction Survey Response", {"survey_key": self.survey_key, "name": ("!=", self.name)}
		)
		if other:
			if self.plan:
				raise rules.SurveyError(
					_("Customer {0} already has survey response {1} for plan {2}, period {3}."),
					self.customer,
					other,
					self.plan,
					self.period,
				)
			raise rules.SurveyError(
				_("{0} {1} is already rated by survey response {2}."),
				self.reference_doctype,
				self.reference_name,
				other,
			)

	def _validate_case(self) -> None:
		if self.source != rules.SOURCE_CASE:
			if self.reference_doctype or self.reference_name:
				raise rules.SurveyError(_("Only a response with source Case rates a complaint or a repair."))
			return
		if not (self.reference_doctype and self.reference_name):
			raise rules.SurveyError(
				_("A Case response names the closed complaint or completed repair it rates.")
			)
		if self.reference_doctype not in CASE_DOCTYPES:
			raise rules.SurveyError(
				_("A Case response rates a Customer Complaint or a Repair Request, not {0}."),
				self.reference_doctype,
			)
		status, customer = frappe.db.get_value(
			self.reference_doctype, self.reference_name, ["status", "customer"]
		) or (None, None)
		if status not in CASE_DOCTYPES[self.reference_doctype]:
			raise rules.SurveyError(
				_("{0} {1} is not closed yet: rate it once it is closed."),
				self.reference_doctype,
				self.reference_name,
			)
		if customer != self.customer:
			raise rules.SurveyError(
				_("{0} {1} is not a case of customer {2}."),
				self.reference_doctype,
				self.reference_name,
				self.customer,
			)

	def _fill_criteria(self, template) -> None:
		"""The criteria of the template, copied once so later template edits keep past answers intact."""
		if self.scores:
			return
		for row in template.criteria:
			self.append("scores", {"criterion": row.label_en, "label_zh": row.label_zh, "weight": row.weight})

	def _score(self, template) -> None:
		answered = [row for row in self.scores if row.score not in (None, "")]
		nps_score = cint(self.nps_score) if self.nps_score not in (None, "") else None
		before = self.get_doc_before_save()
		if not answered and nps_score is None:
			self.weighted_score = 0
			for row in self.scores:
				row.score_percent = 0
			self.status = rules.next_status(False, bool(self.sent_on), _date(self.expires_on), getdate())
			return
		if (before and before.status in (rules.PENDING, rules.SENT, rules.EXPIRED)) or self.is_new():
			rules.check_can_answer(
				before.status if before else None,
				_date(self.expires_on),
				getdate(),
				online=bool(self.flags.online_answer),
			)
		if not before or before.status != rules.ANSWERED or before.source != self.source:
			rules.check_answer_source(self.source, online=bool(self.flags.online_answer))
		criteria = [rules.Criterion(row.criterion, float(row.weight or 0)) for row in self.scores]
		rules.validate_template(criteria, template.scale)
		scores = {row.criterion: _number(row.score) for row in self.scores}
		self.weighted_score = rules.weighted_score(criteria, scores, template.scale)
		for row in self.scores:
			row.score_percent = rules.normalise(_number(row.score), template.scale)
		rules.check_nps_score(nps_score, required=bool(template.include_nps and self.flags.online_answer))
		self.status = rules.ANSWERED
		if not self.responded_on:
			self.responded_on = now_datetime()
			self.responded_by = frappe.session.user
		self.survey_date = self.survey_date or getdate()


def _number(value):
	if value in (None, ""):
		return None
	number = float(value)
	return int(number) if number == int(number) else number


def _date(value):
	return getdate(value) if value else None


def on_doctype_update():
	frappe.db.add_index("Satisfaction Survey Response", ["plan", "period", "customer"])
	frappe.db.add_index("Satisfaction Survey Response", ["reference_doctype", "reference_name"])
	# the daily job's send_pending: status = Pending and sent_on is null
	frappe.db.add_index("Satisfaction Survey Response", ["status", "sent_on"])
