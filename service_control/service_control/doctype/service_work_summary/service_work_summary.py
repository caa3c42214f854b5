# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Service Work Summary (服务工作总结): one per company, region (Territory) and year.

Made by one button (``make_summary``) with its figures computed by
``service_control.service_control.work_summary`` from the rules the reports use, and kept as
they were when made; a draft may refresh them. The region writes the narrative and submits once
the year has ended; the sales head (Sales Manager) approves it or returns it with comments. The
rules are in ``service_control.core.work_summary``.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate, now_datetime

from service_control.core import work_summary as rules
from service_control.service_control import work_summary
from service_control.utils import domain_errors

REVIEWER_ROLE = "Sales Manager"


class ServiceWorkSummary(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.service_work_summary_complaint.service_work_summary_complaint import (
			ServiceWorkSummaryComplaint,
		)
		from service_control.service_control.doctype.service_work_summary_indicator.service_work_summary_indicator import (
			ServiceWorkSummaryIndicator,
		)
		from service_control.service_control.doctype.service_work_summary_satisfaction.service_work_summary_satisfaction import (
			ServiceWorkSummarySatisfaction,
		)
		from service_control.service_control.doctype.service_work_summary_sla.service_work_summary_sla import (
			ServiceWorkSummarySLA,
		)

		amended_from: DF.Link | None
		company: DF.Link
		complaint_categories: DF.Table[ServiceWorkSummaryComplaint]
		complaints: DF.Int
		customer_needs: DF.TextEditor | None
		figures_as_of: DF.Datetime | None
		from_date: DF.Date | None
		improvements: DF.TextEditor | None
		indicators: DF.Table[ServiceWorkSummaryIndicator]
		previous_complaints: DF.Int
		previous_responses: DF.Int
		previous_satisfaction: DF.Percent
		repeat_cases: DF.Int
		repeat_complaints: DF.Int
		review_comments: DF.SmallText | None
		review_status: DF.Literal["", "Pending Review", "Approved", "Returned"]
		reviewed_by: DF.Link | None
		reviewed_on: DF.Datetime | None
		satisfaction_change: DF.Float
		satisfaction_index: DF.Percent
		satisfaction_quarters: DF.Table[ServiceWorkSummarySatisfaction]
		satisfaction_responses: DF.Int
		satisfaction_trend: DF.Data | None
		shortcomings: DF.TextEditor | None
		sla_rates: DF.Table[ServiceWorkSummarySLA]
		territory: DF.Link
		to_date: DF.Date | None
		top_causes: DF.Table[ServiceWorkSummaryComplaint]
		year: DF.Int
	# end: auto-generated types

	def autoname(self):
		abbr = frappe.get_cached_value("Company", self.company, "abbr")
		self.name = f"SWS-{abbr}-{cint(self.year)}-{self.territory}"

	def before_insert(self):
		self.check_unique()
		if not self.figures_as_of:
			work_summary.fill_region(self)

	def validate(self):
		with domain_errors():
			self.year = rules.summary_year(self.year).year
		self.check_unique()
		if self.docstatus == 0:
			self.review_status = None

	def check_unique(self):
		filters = {
			"company": self.company,
			"territory": self.territory,
			"year": cint(self.year),
			"docstatus": ["<", 2],
		}
		if not self.is_new():
			filters["name"] = ["!=", self.name]
		others = frappe.get_all("Service Work Summary", filters=filters, pluck="name", limit=1)
		with domain_errors():
			rules.check_unique(self.year, self.territory, others)

	def before_submit(self):
		narrative = {field: self.get(field) for field in rules.NARRATIVE_FIELDS}
		with domain_errors():
			rules.check_can_submit(self.year, getdate(), narrative)
		self.review_status = rules.PENDING_REVIEW
		self.reviewed_by = self.reviewed_on = self.review_comments = None

	@frappe.whitelist()
	def refresh_figures(self) -> None:
		"""Read the figures again (a draft only: a submitted summary keeps what it said)."""
		if self.docstatus != 0:
			frappe.throw(_("Only a draft service work summary can refresh its figures."))
		self.check_permission("write")
		work_summary.fill_region(self)
		self.save()

	@frappe.whitelist()
	def review(self, approve: int | bool, comments: str | None = None) -> None:
		"""The sales head approves the submitted summary, or returns it with comments (the region
		then cancels and amends it)."""
		if REVIEWER_ROLE not in frappe.get_roles():
			frappe.throw(
				_("Only the sales head ({0}) reviews a service work summary.").format(_(REVIEWER_ROLE)),
				frappe.PermissionError,
			)
		approve = bool(cint(approve))
		with domain_errors():
			rules.check_reviewer(self.review_status, self.docstatus, comments, approve)
		self.db_set(
			{
				"review_status": rules.APPROVED if approve else rules.RETURNED,
				"reviewed_by": frappe.session.user,
				"reviewed_on": now_datetime(),
				"review_comments": comments,
			}
		)


@frappe.whitelist()
def make_summary(company: str, territory: str, year: int) -> str:
	"""The region's summary of the year with its figures computed; refused when one exists."""
	doc = frappe.new_doc("Service Work Summary")
	doc.update({"company": company, "territory": territory, "year": year})
	doc.insert()
	return doc.name
