# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""A customer service in the scope of continuity management, with its business impact analysis.

The rules are the core's (service_control.core.continuity): impact rows on the 0-5 scale that
never fall over time, the agreed RTO within the maximum tolerable outage. A saved change marks the
service's approved plans for review (plan maintenance).
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt

from service_control.core import continuity as rules
from service_control.service_control.continuity import mark_plans_for_review
from service_control.utils import domain_errors

#: Fields whose change does not touch what a plan relies on.
IGNORED = {"modified", "modified_by", "suggested_mto_hours"}


class ContinuityService(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.continuity_dependency.continuity_dependency import (
			ContinuityDependency,
		)
		from service_control.service_control.doctype.continuity_impact.continuity_impact import (
			ContinuityImpact,
		)
		from service_control.service_control.doctype.continuity_service_customer.continuity_service_customer import (
			ContinuityServiceCustomer,
		)

		company: DF.Link
		customers: DF.Table[ContinuityServiceCustomer]
		dependencies: DF.Table[ContinuityDependency]
		disabled: DF.Check
		impacts: DF.Table[ContinuityImpact]
		key_business_process: DF.SmallText
		minimum_service_level: DF.SmallText | None
		mto_hours: DF.Float
		rpo_hours: DF.Float
		rto_hours: DF.Float
		service_name: DF.Data
		service_owner: DF.Link
		suggested_mto_hours: DF.Float

	# end: auto-generated types
	def validate(self):
		with domain_errors(title=_("Invalid continuity service")):
			impacts = self._impacts()
			rules.validate_impacts(impacts)
			rules.check_service_times(
				flt(self.rto_hours) if self.rto_hours is not None else None,
				flt(self.rpo_hours) if self.rpo_hours is not None else None,
				flt(self.mto_hours) or None,
			)
		self.suggested_mto_hours = rules.suggested_mto(impacts)

	def on_update(self):
		before = self.get_doc_before_save()
		if before and self._plan_relevant_change(before):
			mark_plans_for_review(
				_("Service {0} changed on {1}.").format(self.name, frappe.format(self.modified, "Datetime")),
				service=self.name,
				sites=self.sites(),
			)

	def sites(self) -> list[str]:
		return [row.description for row in self.dependencies or [] if row.dependency_type == "Site"]

	def _impacts(self) -> list[rules.ImpactRow]:
		return [
			rules.ImpactRow(
				hours=flt(row.hours_after_outage),
				financial=cint(row.financial),
				contractual=cint(row.contractual),
				reputation=cint(row.reputation),
				legal=cint(row.legal),
				idx=row.idx,
			)
			for row in self.impacts or []
		]

	def _plan_relevant_change(self, before) -> bool:
		return _snapshot(before) != _snapshot(self)


def _snapshot(doc) -> dict:
	values = {df.fieldname: doc.get(df.fieldname) for df in doc.meta.fields if df.fieldtype != "Table"}
	for df in doc.meta.get_table_fields():
		values[df.fieldname] = [
			{
				k: v
				for k, v in row.as_dict().items()
				if k not in ("name", "modified", "creation", "owner", "modified_by")
			}
			for row in doc.get(df.fieldname) or []
		]
	return {k: v for k, v in values.items() if k not in IGNORED}
