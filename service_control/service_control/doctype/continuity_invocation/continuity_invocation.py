# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Invocation log: a real disruption and the approved plan invoked for it.

Records the timeline of steps (actual against target), the customers informed and the recovery
time against the service's agreed RTO. The continuity owner (a Continuity Manager) may pause the
SLA clocks of the complaints the disruption caused, with a reason (``pause_sla_clocks``): each
linked complaint gets a Service SLA Pause row marked with the invocation, its clocks and Due By
recomputed by its own save; complaints linked later are held on the invocation's next save, and
closing the invocation resumes them all.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, get_datetime, now_datetime

from service_control.core import continuity as rules
from service_control.service_control.continuity import hold_complaint, release_complaint, steps
from service_control.utils import domain_errors

INVOCATION = "Continuity Invocation"
PLAN = "Continuity Plan"


class ContinuityInvocation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.continuity_invocation_complaint.continuity_invocation_complaint import (
			ContinuityInvocationComplaint,
		)
		from service_control.service_control.doctype.continuity_invocation_customer.continuity_invocation_customer import (
			ContinuityInvocationCustomer,
		)
		from service_control.service_control.doctype.continuity_step_result.continuity_step_result import (
			ContinuityStepResult,
		)

		actual_recovery_hours: DF.Float
		agreed_rto_hours: DF.Float
		company: DF.Link | None
		complaints: DF.Table[ContinuityInvocationComplaint]
		customers_informed: DF.Table[ContinuityInvocationCustomer]
		description: DF.Text
		disruption: DF.Literal[
			"Fire",
			"Power Loss",
			"Hardware Failure",
			"Natural Disaster",
			"Theft",
			"Sabotage",
			"Staff Crisis",
			"Other",
		]
		invoked_by: DF.Link | None
		invoked_on: DF.Datetime
		naming_series: DF.Literal["CINV-.YYYY.-"]
		pause_reason: DF.SmallText | None
		plan: DF.Link
		recovered_on: DF.Datetime | None
		rto_met: DF.Check
		service: DF.Link | None
		sla_paused: DF.Check
		sla_paused_by: DF.Link | None
		sla_paused_on: DF.Datetime | None
		sla_resumed_on: DF.Datetime | None
		status: DF.Literal["Invoked", "Recovered", "Closed"]
		timeline: DF.Table[ContinuityStepResult]

	# end: auto-generated types
	def validate(self):
		before = self.get_doc_before_save()
		with domain_errors(title=_("Invalid invocation")):
			rules.check_can_invoke(
				self.plan, frappe.db.get_value(PLAN, self.plan, "docstatus") if self.plan else None
			)
			rules.check_status(before.status if before else None, self.status, self.recovered_on)
			timeline = steps(self.timeline, with_actual=True)
			rules.validate_steps(timeline)
			self.actual_recovery_hours = rules.recovery_hours(
				get_datetime(self.invoked_on), get_datetime(self.recovered_on) if self.recovered_on else None
			)
		for row, result in zip(self.timeline or [], timeline, strict=True):
			row.met = 1 if result.met else 0
		if not self.timeline and self.is_new():
			for row in frappe.get_doc(PLAN, self.plan).recovery_steps:
				self.append(
					"timeline",
					{"step": row.step, "step_owner": row.step_owner, "target_hours": row.target_hours},
				)
		service = frappe.db.get_value(PLAN, self.plan, "service")
		self.agreed_rto_hours = (
			flt(frappe.db.get_value("Continuity Service", service, "rto_hours")) if service else 0
		)
		self.rto_met = (
			1
			if self.actual_recovery_hours is not None
			and self.agreed_rto_hours
			and self.actual_recovery_hours <= self.agreed_rto_hours
			else 0
		)
		self.invoked_by = self.invoked_by or frappe.session.user

	def on_update(self):
		if self.status == rules.CLOSED and self.sla_paused and not self.sla_resumed_on:
			self._release_all()
		elif self.sla_paused and not self.sla_resumed_on:
			self._hold_new()

	def on_trash(self):
		if self.sla_paused and not self.sla_resumed_on:
			frappe.throw(_("Close the invocation first: it holds the SLA clocks of its complaints."))

	def _hold_new(self) -> None:
		for row in self.complaints:
			if not row.held and hold_complaint(row.complaint, self.name, self.pause_reason):
				row.db_set("held", 1, update_modified=False)

	def _release_all(self) -> None:
		now = now_datetime()
		for row in self.complaints:
			if row.held:
				release_complaint(row.complaint, self.name, now)
		self.db_set("sla_resumed_on", now, update_modified=False)


@frappe.whitelist()
def pause_sla_clocks(name: str, reason: str) -> dict:
	"""The continuity owner declares that the invocation's complaints were caused by the
	disruption: their SLA clocks stand still until the invocation closes."""
	doc = frappe.get_doc(INVOCATION, name)
	doc.check_permission("write")
	frappe.db.get_value(INVOCATION, name, "name", for_update=True)
	with domain_errors(title=_("Cannot pause the SLA clocks")):
		rules.check_pause(frappe.get_roles(), reason, doc.status)
		if doc.sla_paused:
			raise rules.ContinuityError(_("The SLA clocks of this invocation are paused already."))
	doc.update(
		{
			"sla_paused": 1,
			"pause_reason": reason.strip(),
			"sla_paused_on": now_datetime(),
			"sla_paused_by": frappe.session.user,
		}
	)
	doc.save()  # on_update holds every linked complaint
	return {"held": sum(1 for row in doc.complaints if row.held)}
