# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from service_control.core import survey as rules
from service_control.service_control.survey.links import template_criteria
from service_control.utils import domain_errors


class SatisfactionSurveyTemplate(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.satisfaction_survey_criterion.satisfaction_survey_criterion import (
			SatisfactionSurveyCriterion,
		)

		criteria: DF.Table[SatisfactionSurveyCriterion]
		enabled: DF.Check
		include_nps: DF.Check
		intro_en: DF.SmallText | None
		intro_zh: DF.SmallText | None
		nps_question_en: DF.Data | None
		nps_question_zh: DF.Data | None
		scale: DF.Literal["1-5", "0-10"]
		template_name: DF.Data
		total_weight: DF.Float
	# end: auto-generated types

	def validate(self):
		for row in self.criteria:
			row.label_en = (row.label_en or "").strip()
		self.total_weight = sum(flt(row.weight) for row in self.criteria)
		with domain_errors(title=_("Invalid survey template")):
			rules.validate_template(template_criteria(self), self.scale)
