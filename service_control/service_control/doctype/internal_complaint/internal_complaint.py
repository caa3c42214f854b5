# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""内部顾客投诉: an employee's complaint about another department or process, handled by HR.

Thin adapter: the rules are in service_control.core.internal_complaint; this loads the handler's
roles, calls the core, stamps the events and reviews the SLA clocks as the other cases do.
"""

import dataclasses

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, getdate, now_datetime, strip_html

from service_control.core import internal_complaint as rules
from service_control.core.complaint import case_title
from service_control.service_control.cases import ServiceCase, sync_pauses, user_changes
from service_control.service_control.sla import clocks as sla
from service_control.utils import domain_errors


class InternalComplaint(ServiceCase):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.service_sla_clock.service_sla_clock import (
			ServiceSLAClock,
		)
		from service_control.service_control.doctype.service_sla_pause.service_sla_pause import (
			ServiceSLAPause,
		)

		against_department: DF.Link | None
		assigned_on: DF.Datetime | None
		cancel_reason: DF.SmallText | None
		change_reason: DF.SmallText | None
		channel: DF.Literal["Phone", "E-mail", "Letter", "Visit", "Fax", "Portal", "Other"]
		close_reason: DF.SmallText | None
		closed_by: DF.Link | None
		closed_on: DF.Datetime | None
		company: DF.Link
		complainant: DF.Link
		complainant_name: DF.Data | None
		corrective_action: DF.Link | None
		department: DF.Link | None
		description: DF.TextEditor
		due_by: DF.Datetime | None
		due_stage: DF.Literal["First Reply", "Arrangement", "Resolution", "Closure"]
		first_response_on: DF.Datetime | None
		handler: DF.Link | None
		investigation: DF.TextEditor | None
		naming_series: DF.Literal["IC-.YYYY.-"]
		paused_from: DF.Data | None
		received_on: DF.Datetime
		replied_by: DF.Link | None
		replied_on: DF.Datetime | None
		reply: DF.TextEditor | None
		satisfaction: DF.Literal["", "Satisfied", "Partly Satisfied", "Not Satisfied", "Unreachable"]
		satisfaction_comment: DF.SmallText | None
		sla_clocks: DF.Table[ServiceSLAClock]
		sla_last_due: DF.Datetime | None
		sla_next_on: DF.Datetime | None
		sla_pauses: DF.Table[ServiceSLAPause]
		sla_state: DF.Literal["On Track", "At Risk", "Breached", "Met", "Met Late", "Paused", "Stopped"]
		status: DF.Literal["Open", "Investigating", "Awaiting Complainant", "Answered", "Closed", "Cancelled"]
		subject: DF.Data
		title: DF.Data | None
		urgency: DF.Literal["Normal", "Urgent"]
	# end: auto-generated types

	def validate(self):
		now = now_datetime()
		before = self.get_doc_before_save()
		old_status = before.status if before else None
		with domain_errors(title=_("Invalid internal complaint")):
			rules.check_no_customer({field: self.get(field) for field in rules.CUSTOMER_FIELDS})
			rules.check_closed_edit(
				old_status, user_changes(self, before), frappe.get_roles(), self.change_reason
			)
			check_handler(self.handler)
			facts = self._facts()
			rules.validate_fields(facts, now)
			self.paused_from = facts.paused_from = rules.paused_from(
				old_status, self.status, self.paused_from
			)
			rules.check_transition(old_status, self.status, facts)
		if not self.department and self.complainant:
			self.department = frappe.db.get_value("Employee", self.complainant, "department")
		self.title = case_title(self.complainant_name or self.complainant, self.subject)
		fields = [f.name for f in dataclasses.fields(rules.InternalEvents)]
		events = rules.record_events(
			old_status,
			self.status,
			rules.InternalEvents(**{f: self.get(f) for f in fields}),
			handler=self.handler,
			now=now,
			user=frappe.session.user,
		)
		self.update(dataclasses.asdict(events))
		sync_pauses(self, self.status == rules.AWAITING_COMPLAINANT, now, reason=_("Awaiting complainant"))
		sla.update_clocks(
			self,
			start=self.received_on,
			urgency=self.urgency,
			met=rules.stage_events(self.status, events),
			now=now,
			stopped=self.status == rules.CANCELLED,
		)

	def onload(self):
		sla.show_derived_deadlines(self)

	def on_change(self):
		sla.show_derived_deadlines(self)  # the form shows what a save left unstored

	def _facts(self) -> rules.InternalFacts:
		return rules.InternalFacts(
			status=self.status,
			received_on=get_datetime(self.received_on) if self.received_on else None,
			handler=self.handler,
			reply=strip_html(self.reply or "").strip(),
			replied_on=get_datetime(self.replied_on) if self.replied_on else None,
			satisfaction=self.satisfaction,
			close_reason=self.close_reason,
			cancel_reason=self.cancel_reason,
			paused_from=self.paused_from,
		)

	@frappe.whitelist()
	def change_status(self, status: str, reason: str | None = None) -> None:
		"""The buttons on the form: wait for / resume with the complainant, close, cancel."""
		self.check_permission("write")
		if status == rules.CANCELLED:
			self.cancel_reason = reason or self.cancel_reason
		elif status == rules.CLOSED and reason:
			self.close_reason = reason
		self.status = status
		self.save()


def check_handler(user: str | None) -> None:
	if not user:
		return
	enabled = frappe.db.get_value("User", user, "enabled")
	rules.check_handler(user, frappe.get_roles(user), enabled=bool(enabled))


@frappe.whitelist()
def handler_query(
	doctype: str, txt: str, searchfield: str, start: int, page_len: int, filters: dict | None = None
) -> list:
	"""The enabled users who may handle an internal complaint (``core.internal_complaint.HANDLER_ROLES``)."""
	user = frappe.qb.DocType("User")
	role = frappe.qb.DocType("Has Role")
	return (
		frappe.qb.from_(user)
		.join(role)
		.on((role.parent == user.name) & (role.parenttype == "User"))
		.select(user.name, user.full_name)
		.distinct()
		.where(
			(user.enabled == 1)
			& (role.role.isin(rules.HANDLER_ROLES))
			& ((user.name.like(f"%{txt}%")) | (user.full_name.like(f"%{txt}%")))
		)
		.orderby(user.name)
		.limit(page_len)
		.offset(start)
		.run()
	)


# ------------------------------------------------------------------------------------------
# CAPA: a complaint that shows a process fault opens a corrective action (纠正和预防措施).


@frappe.whitelist()
def make_corrective_action(source_name: str, target_doc: str | None = None) -> Document:
	"""A new (unsaved) Corrective Action from the internal complaint; its live one when it has
	one (a closed CAPA does not block a new one)."""
	from service_control.service_control.doctype.corrective_action.corrective_action import live_capa

	complaint = frappe.get_doc("Internal Complaint", source_name)
	complaint.check_permission("read")
	if complaint.status == rules.CANCELLED:
		frappe.throw(_("Internal complaint {0} is cancelled.").format(complaint.name))
	existing = live_capa("Internal Complaint", complaint.name)
	if existing:
		return frappe.get_doc("Corrective Action", existing)
	doc = frappe.new_doc("Corrective Action")
	doc.update(
		{
			"source_type": "Internal Complaint",
			"source_name": complaint.name,
			"company": complaint.company,
			"department": complaint.against_department,
			"problem_what": (strip_html(complaint.description or "").strip() or complaint.subject or ""),
			"problem_where": _("Internal complaint of {0} about {1}").format(
				complaint.complainant_name or complaint.complainant,
				complaint.against_department or _("a process"),
			),
			"problem_when": getdate(complaint.received_on),
			"capa_owner": complaint.handler,
		}
	)
	return doc
