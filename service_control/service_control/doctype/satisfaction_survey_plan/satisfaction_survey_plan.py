# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from service_control.core import survey as rules
from service_control.utils import domain_errors


class SatisfactionSurveyPlan(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.satisfaction_survey_plan_customer.satisfaction_survey_plan_customer import (
			SatisfactionSurveyPlanCustomer,
		)

		company: DF.Link
		customer_group: DF.Link | None
		customers: DF.Table[SatisfactionSurveyPlanCustomer]
		frequency: DF.Literal["Half-yearly", "Quarterly", "Annual"]
		is_active: DF.Check
		naming_series: DF.Literal["SSP-.YYYY.-"]
		periods: DF.SmallText | None
		plan_owner: DF.Link
		plan_year: DF.Int
		selection: DF.Literal["Key Customers", "Customer Group", "Customer List"]
		send_email: DF.Check
		template: DF.Link
		title: DF.Data
	# end: auto-generated types

	def validate(self):
		with domain_errors(title=_("Invalid survey plan")):
			self.periods = ", ".join(p.key for p in rules.plan_periods(self.plan_year, self.frequency))
			if not frappe.db.get_value("Satisfaction Survey Template", self.template, "enabled"):
				raise rules.SurveyError(_("Survey template {0} is disabled."), self.template)
			if self.selection == "Customer Group" and not self.customer_group:
				raise rules.SurveyError(_("Choose the customer group to survey."))
			if self.selection == "Customer List":
				self._validate_customers()
			elif self.customers:
				self.customers = []
		if not self.title:
			self.title = _("Customer satisfaction {0}").format(self.plan_year)

	def _validate_customers(self) -> None:
		if not self.customers:
			raise rules.SurveyError(_("List the customers to survey."))
		names = [row.customer for row in self.customers]
		duplicates = sorted({n for n in names if names.count(n) > 1})
		if duplicates:
			raise rules.SurveyError(_("Customer {0} is listed twice."), duplicates[0])
		disabled = frappe.get_all("Customer", filters={"name": ("in", names), "disabled": 1}, pluck="name")
		if disabled:
			rules.check_customer_enabled(disabled[0], True)
