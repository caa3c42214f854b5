# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""持续性计划 (continuity plan) of a service or a site.

Versioned with Frappe's amend: a new version is the amendment of the previous one (cancelled,
then shown as Superseded once its successor is approved); ``version`` counts along the chain.
Approval is submission by a Continuity Manager who did not write the plan, with recovery steps
(core.continuity.check_approval). A recovery target beyond the service's maximum tolerable outage
is an error at every save (core.continuity.check_targets_within_mto says why). On approval the
next review and the next test are dated (core: next_review / next_test); plan maintenance marks
an approved plan ``review_required`` (service.continuity.mark_plans_for_review) and a Continuity
Manager records the review (``mark_reviewed``) or approves a new version.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, getdate

from service_control.core import continuity as rules
from service_control.service_control.continuity import steps
from service_control.utils import domain_errors

PLAN = "Continuity Plan"


class ContinuityPlan(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.continuity_plan_communication.continuity_plan_communication import (
			ContinuityPlanCommunication,
		)
		from service_control.service_control.doctype.continuity_plan_contact.continuity_plan_contact import (
			ContinuityPlanContact,
		)
		from service_control.service_control.doctype.continuity_recovery_step.continuity_recovery_step import (
			ContinuityRecoveryStep,
		)

		amended_from: DF.Link | None
		approved_by: DF.Link | None
		approved_on: DF.Date | None
		communications: DF.Table[ContinuityPlanCommunication]
		company: DF.Link
		contacts: DF.Table[ContinuityPlanContact]
		invocation_criteria: DF.Text
		last_reviewed_on: DF.Date | None
		last_tested_on: DF.Date | None
		naming_series: DF.Literal["CP-.YYYY.-"]
		next_review_date: DF.Date | None
		next_test_due: DF.Date | None
		plan_owner: DF.Link
		recovery_steps: DF.Table[ContinuityRecoveryStep]
		recovery_target_hours: DF.Float
		return_to_normal: DF.Text | None
		review_interval_months: DF.Int
		review_reason: DF.SmallText | None
		review_required: DF.Check
		scope: DF.Literal["Service", "Site"]
		service: DF.Link | None
		site: DF.Data | None
		status: DF.Literal["Draft", "Approved", "Superseded", "Cancelled"]
		test_interval_months: DF.Int
		title: DF.Data
		version: DF.Int

	# end: auto-generated types
	def validate(self):
		if self.scope == "Service":
			self.site = None
		else:
			self.service = None
		plan_steps = steps(self.recovery_steps)
		with domain_errors(title=_("Invalid continuity plan")):
			rules.validate_steps(plan_steps)
			rules.check_targets_within_mto(plan_steps, self._mto())
		self.recovery_target_hours = rules.recovery_target(plan_steps)
		self.version = (
			cint(frappe.db.get_value(PLAN, self.amended_from, "version")) + 1 if self.amended_from else 1
		)
		if self.docstatus == 0:
			self.status = "Draft"

	def before_submit(self):
		with domain_errors(title=_("Cannot approve the continuity plan")):
			rules.check_approval(
				self.owner, frappe.session.user, frappe.get_roles(), steps(self.recovery_steps)
			)
		today = getdate()
		self.status = "Approved"
		self.approved_by, self.approved_on = frappe.session.user, today
		self.review_required, self.review_reason = 0, None
		self.next_review_date = rules.next_review(today, None, cint(self.review_interval_months))
		self.next_test_due = rules.next_test(
			today,
			getdate(self.last_tested_on) if self.last_tested_on else None,
			cint(self.test_interval_months),
		)

	def on_submit(self):
		if self.amended_from:
			frappe.db.set_value(PLAN, self.amended_from, "status", "Superseded", update_modified=False)

	def before_cancel(self):
		# a new version amends this one: its tests and invocations stay as they were
		self.ignore_linked_doctypes = (
			"Continuity Test Report",
			"Continuity Invocation",
			"Continuity Reminder Log",
		)

	def on_cancel(self):
		self.db_set("status", "Cancelled")

	def _mto(self) -> float | None:
		if self.scope != "Service" or not self.service:
			return None
		return flt(frappe.db.get_value("Continuity Service", self.service, "mto_hours")) or None

	def update_test_dates(self) -> None:
		"""Called when a test report of this plan is approved or cancelled: the last test is the
		latest approved test of this version, else the one the previous version carried."""
		last = frappe.db.get_value(
			"Continuity Test Report", {"plan": self.name, "docstatus": 1}, "max(test_date)"
		)
		if not last and self.amended_from:
			last = frappe.db.get_value(PLAN, self.amended_from, "last_tested_on")
		last = getdate(last) if last else None
		self.db_set(
			{
				"last_tested_on": last,
				"next_test_due": rules.next_test(
					getdate(self.approved_on) if self.approved_on else None,
					last,
					cint(self.test_interval_months),
				),
			},
			update_modified=False,
		)


@frappe.whitelist()
def mark_reviewed(name: str) -> dict:
	"""A Continuity Manager reviewed the approved plan and found it still right: the review flag
	is cleared and the next review dated from today."""
	plan = frappe.get_doc(PLAN, name)
	plan.check_permission("submit")
	with domain_errors(title=_("Cannot record the review")):
		if not rules.APPROVER_ROLES & set(frappe.get_roles()):
			raise rules.ContinuityError(_("Only a {0} records a plan review."), rules.CONTINUITY_MANAGER)
		if plan.docstatus != 1:
			raise rules.ContinuityError(_("Only an approved plan is reviewed; change a draft instead."))
	today = getdate()
	values = {
		"review_required": 0,
		"review_reason": None,
		"last_reviewed_on": today,
		"next_review_date": rules.next_review(
			getdate(plan.approved_on), today, cint(plan.review_interval_months)
		),
	}
	plan.db_set(values)
	plan.add_comment(
		"Info", _("Reviewed; next review on {0}.").format(frappe.format(values["next_review_date"], "Date"))
	)
	return values
