# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""风险评估报告 (risk assessment report): threats rated likelihood x impact on the core's scale.

Approval is submission, by a Continuity Manager (the only role with submit permission besides the
System Manager); the core refuses it while a risk at or above the threshold has no treatment and
owner. An approved report marks the plans of its service (or site) for review: the risk changed.
A new assessment of the same scope amends the previous one.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate

from service_control.core import continuity as rules
from service_control.service_control.continuity import mark_plans_for_review
from service_control.utils import domain_errors


class ContinuityRiskAssessment(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.continuity_risk.continuity_risk import ContinuityRisk

		amended_from: DF.Link | None
		approved_by: DF.Link | None
		approved_on: DF.Date | None
		assessed_on: DF.Date
		assessor: DF.Link
		company: DF.Link
		highest_band: DF.Data | None
		highest_score: DF.Int
		naming_series: DF.Literal["CRA-.YYYY.-"]
		notes: DF.Text | None
		risks: DF.Table[ContinuityRisk]
		service: DF.Link | None
		site: DF.Data | None
		title: DF.Data

	# end: auto-generated types
	def validate(self):
		with domain_errors(title=_("Invalid risk assessment")):
			risks = self._risks()
			rules.validate_risks(risks)
		for row, risk in zip(self.risks or [], risks, strict=True):
			row.score = risk.score
			row.band = rules.risk_band(risk.score)
		top = max((r.score for r in risks), default=0)
		self.highest_score, self.highest_band = top, rules.risk_band(top)

	def before_submit(self):
		with domain_errors(title=_("Cannot approve the risk assessment")):
			if not rules.APPROVER_ROLES & set(frappe.get_roles()):
				raise rules.ContinuityError(
					_("Only a {0} approves a risk assessment."), rules.CONTINUITY_MANAGER
				)
			rules.check_risks_approvable(self._risks())
		self.approved_by, self.approved_on = frappe.session.user, getdate()

	def on_submit(self):
		mark_plans_for_review(
			_("Risk assessment {0} was approved.").format(self.name),
			service=self.service,
			sites=[self.site] if self.site else (),
		)

	def _risks(self) -> list[rules.Risk]:
		return [
			rules.Risk(
				threat=row.threat,
				description=row.description,
				likelihood=cint(row.likelihood) or None,
				impact=cint(row.impact) or None,
				treatment=row.treatment,
				treatment_owner=row.treatment_owner,
				idx=row.idx,
			)
			for row in self.risks or []
		]
