# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Company Service Work Summary: the sales head's consolidation of the regions' submitted
summaries of a year, for management review (optionally linked to ERPNext's Quality Meeting).
Figures by ``service_control.service_control.work_summary.fill_company``; rules in
``service_control.core.work_summary``."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate

from service_control.core import work_summary as rules
from service_control.service_control import work_summary
from service_control.utils import domain_errors


class CompanyServiceWorkSummary(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.service_work_summary_complaint.service_work_summary_complaint import (
			ServiceWorkSummaryComplaint,
		)
		from service_control.service_control.doctype.service_work_summary_region.service_work_summary_region import (
			ServiceWorkSummaryRegion,
		)

		amended_from: DF.Link | None
		company: DF.Link
		complaint_categories: DF.Table[ServiceWorkSummaryComplaint]
		complaints: DF.Int
		conclusions: DF.TextEditor | None
		figures_as_of: DF.Datetime | None
		policy_review: DF.TextEditor | None
		previous_complaints: DF.Int
		previous_satisfaction: DF.Percent
		quality_meeting: DF.Link | None
		regions: DF.Table[ServiceWorkSummaryRegion]
		repeat_cases: DF.Int
		repeat_complaints: DF.Int
		satisfaction_change: DF.Float
		satisfaction_index: DF.Percent
		satisfaction_responses: DF.Int
		satisfaction_trend: DF.Data | None
		year: DF.Int
	# end: auto-generated types

	def autoname(self):
		abbr = frappe.get_cached_value("Company", self.company, "abbr")
		self.name = f"CSWS-{abbr}-{cint(self.year)}"

	def before_insert(self):
		self.check_unique()
		if not self.figures_as_of:
			work_summary.fill_company(self)

	def validate(self):
		with domain_errors():
			self.year = rules.summary_year(self.year).year
		self.check_unique()

	def check_unique(self):
		filters = {"company": self.company, "year": cint(self.year), "docstatus": ["<", 2]}
		if not self.is_new():
			filters["name"] = ["!=", self.name]
		others = frappe.get_all("Company Service Work Summary", filters=filters, pluck="name", limit=1)
		with domain_errors():
			rules.check_unique(self.year, self.company, others)

	def before_submit(self):
		with domain_errors():
			rules.check_company_can_submit(
				self.year, getdate(), [(r.territory, r.review_status) for r in self.regions]
			)

	@frappe.whitelist()
	def refresh_figures(self) -> None:
		if self.docstatus != 0:
			frappe.throw(_("Only a draft service work summary can refresh its figures."))
		self.check_permission("write")
		work_summary.fill_company(self)
		self.save()


@frappe.whitelist()
def make_company_summary(company: str, year: int) -> str:
	doc = frappe.new_doc("Company Service Work Summary")
	doc.update({"company": company, "year": year})
	doc.insert()
	return doc.name
