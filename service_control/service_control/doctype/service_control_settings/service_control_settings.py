# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import hashlib

import frappe
from frappe.model.document import Document
from frappe.utils import flt

from service_control.core import service_indicators
from service_control.core import settings as rules
from service_control.core.repair import SATISFIED_STARS
from service_control.utils import clear_calendar_cache, domain_errors


class ServiceControlSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.service_company_defaults.service_company_defaults import (
			ServiceCompanyDefaults,
		)
		from service_control.service_control.doctype.service_escalation_level.service_escalation_level import (
			ServiceEscalationLevel,
		)
		from service_control.service_control.doctype.service_sla_target.service_sla_target import (
			ServiceSLATarget,
		)
		from service_control.service_control.doctype.service_working_hours.service_working_hours import (
			ServiceWorkingHours,
		)

		at_risk_percent: DF.Percent
		capa_effectiveness_days: DF.Int
		capa_reminder_days: DF.Int
		company_defaults: DF.Table[ServiceCompanyDefaults]
		escalation_levels: DF.Table[ServiceEscalationLevel]
		go_live_on: DF.Datetime | None
		indicator_long_term_months: DF.Int
		indicator_short_term_months: DF.Int
		key_customer_visit_months: DF.Int
		management_representative: DF.Link | None
		min_deadline_lead_hours: DF.Float
		repair_satisfied_rating: DF.Int
		retention_years: DF.Int
		satisfaction_target_percent: DF.Percent
		sla_targets: DF.Table[ServiceSLATarget]
		survey_token_days: DF.Int
		warranty_months: DF.Int
		warranty_refund_days: DF.Int
		warranty_replace_days: DF.Int
		working_hours: DF.Table[ServiceWorkingHours]
	# end: auto-generated types

	def validate(self):
		with domain_errors(title=frappe._("Invalid Service Control Settings")):
			rules.validate_retention_years(self.retention_years)
			rules.validate_at_risk_percent(self.at_risk_percent)
			# each company's working hours, targets and levels on their own, the defaults apart
			rules.validate_policies(self.working_hours, self.sla_targets, self.escalation_levels)
			rules.validate_unique_companies(self.company_defaults)
			accounts, warehouses = self._load_links()
			items = self._load_items()
			for row in self.company_defaults:
				rules.validate_company_row(row.idx, row, accounts, warehouses, items)
			# an empty value (a site from before the setting existed) takes the default
			self.repair_satisfied_rating = self.repair_satisfied_rating or SATISFIED_STARS
			rules.validate_repair_satisfied_rating(self.repair_satisfied_rating)
			self._validate_indicator_windows()

	def _validate_indicator_windows(self) -> None:
		"""Zero or negative months are refused; a window left empty on a site from before the
		setting existed (not changed in this save) takes its default."""
		for fieldname, default in (
			("indicator_short_term_months", service_indicators.DEFAULT_SHORT_TERM_MONTHS),
			("indicator_long_term_months", service_indicators.DEFAULT_LONG_TERM_MONTHS),
		):
			if not self.get(fieldname) and not self.has_value_changed(fieldname):
				self.set(fieldname, default)
		service_indicators.validate_windows(self.indicator_short_term_months, self.indicator_long_term_months)

	def _load_links(self) -> tuple[dict, dict]:
		"""What the database says of every linked account and warehouse, in two queries."""
		infos = []
		for doctype, fields in (
			("Account", rules.COMPANY_ACCOUNT_FIELDS),
			("Warehouse", rules.COMPANY_WAREHOUSE_FIELDS),
		):
			names = {row.get(f) for row in self.company_defaults for f in fields} - {None, ""}
			rows = frappe.get_all(
				doctype,
				filters={"name": ("in", list(names))},
				fields=["name", "company", "is_group", "disabled"],
			)
			infos.append(
				{r.name: rules.LinkInfo(r.name, r.company, bool(r.is_group), bool(r.disabled)) for r in rows}
			)
		return infos[0], infos[1]

	def _load_items(self) -> dict:
		"""The company rows' repair labour items: stock item or not, disabled, in one query."""
		names = {row.repair_labour_item for row in self.company_defaults} - {None, ""}
		rows = frappe.get_all(
			"Item", filters={"name": ("in", list(names))}, fields=["name", "is_stock_item", "disabled"]
		)
		return {r.name: rules.ItemInfo(r.name, bool(r.is_stock_item), bool(r.disabled)) for r in rows}

	def on_update(self):
		clear_calendar_cache()
		companies = self._companies_with_changed_hours()
		if self._review_policy_changed():
			# every open case's next check and escalations follow the levels and the share
			companies = frappe.get_all("Company", pluck="name")
		if not companies:
			return
		# new working hours move the running working-hour deadlines of the companies whose week
		# changed, in the background
		if set(companies) == set(frappe.get_all("Company", pluck="name")):
			# every company (the default week changed and no company has its own): the job as ever
			job_id, kwargs = "service_control:recompute:working-hours", {}
		else:
			# one job per set of companies: another company's change must not be deduplicated away
			digest = hashlib.sha256("\n".join(companies).encode()).hexdigest()[:12]
			job_id, kwargs = f"service_control:recompute:working-hours:{digest}", {"companies": companies}
		frappe.enqueue(
			"service_control.service_control.sla.recompute.recompute_open_clocks",
			queue="long",
			job_id=job_id,
			deduplicate=True,
			enqueue_after_commit=True,
			**kwargs,
		)

	def _review_policy_changed(self) -> bool:
		"""Whether the escalation levels or the at-risk share changed: both set when a case is
		looked at next."""
		before = self.get_doc_before_save()
		if not before:
			return False
		fields = [df.fieldname for df in frappe.get_meta("Service Escalation Level").fields]

		def levels(doc):
			return [tuple(row.get(f) for f in fields) for row in doc.escalation_levels]

		return levels(before) != levels(self) or flt(before.at_risk_percent) != flt(self.at_risk_percent)

	def _companies_with_changed_hours(self) -> list[str]:
		before = self.get_doc_before_save()
		if not before:
			return []
		return rules.companies_with_changed_hours(
			before.working_hours, self.working_hours, frappe.get_all("Company", pluck="name")
		)
