# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import dataclasses
from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, getdate, now_datetime

from service_control.core import complaint as rules
from service_control.core.references import check_reference, check_serial
from service_control.notifications import alert
from service_control.portal import customer_condition, get_portal_customers, is_portal_user
from service_control.service_control.cases import (
	ServiceCase,
	history_clock_start,
	history_end,
	load_reference,
	load_serial,
	sync_pauses,
	user_changes,
)
from service_control.service_control.doctype.customer_complaint.portal import apply_portal_defaults
from service_control.service_control.service_indicators import set_event_unit
from service_control.service_control.sla import clocks as sla
from service_control.utils import domain_errors, get_clock, get_settings

REFERENCE_FIELDS = (
	("Sales Invoice", "sales_invoice"),
	("Delivery Note", "delivery_note"),
	("Sales Order", "sales_order"),
)


class CustomerComplaint(ServiceCase):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.complaint_containment_action.complaint_containment_action import (
			ComplaintContainmentAction,
		)
		from service_control.service_control.doctype.service_sla_clock.service_sla_clock import (
			ServiceSLAClock,
		)
		from service_control.service_control.doctype.service_sla_pause.service_sla_pause import (
			ServiceSLAPause,
		)

		accepted_deadline: DF.Datetime | None
		affected_qty: DF.Float
		answer_method: DF.Literal["", "Phone", "Reply Letter", "E-mail", "Other"]
		arranged_on: DF.Datetime | None
		arrangement_plan: DF.SmallText | None
		arrangement_sla: DF.Literal["On Track", "At Risk", "Breached", "Met", "Met Late", "Paused", "Stopped"]
		batch_no: DF.Link | None
		cancel_reason: DF.SmallText | None
		category: DF.Link | None
		change_reason: DF.SmallText | None
		channel: DF.Literal["Phone", "E-mail", "Letter", "Visit", "Fax", "Portal", "Other"]
		clocks_from_go_live: DF.Check
		closed_by: DF.Link | None
		closed_on: DF.Datetime | None
		closure_sla: DF.Literal["On Track", "At Risk", "Breached", "Met", "Met Late", "Paused", "Stopped"]
		company: DF.Link
		confirmed_on: DF.Datetime | None
		contact: DF.Link | None
		contact_email: DF.Data | None
		contact_phone: DF.Data | None
		containment_actions: DF.Table[ComplaintContainmentAction]
		corrective_action: DF.Link | None
		corrective_action_status: DF.Data | None
		customer: DF.Link
		customer_deadline: DF.Datetime | None
		customer_group: DF.Link | None
		customer_name: DF.Data | None
		deadline_accepted_by: DF.Link | None
		delivery_date: DF.Date | None
		delivery_note: DF.Link | None
		department: DF.Link | None
		description: DF.TextEditor
		due_by: DF.Datetime | None
		due_stage: DF.Literal["First Reply", "Arrangement", "Resolution", "Closure", "Repair"]
		first_reply_sla: DF.Literal["On Track", "At Risk", "Breached", "Met", "Met Late", "Paused", "Stopped"]
		first_response_on: DF.Datetime | None
		intake_doctype: DF.Link | None
		intake_name: DF.DynamicLink | None
		investigation_owner: DF.Link | None
		is_history: DF.Check
		item_code: DF.Link | None
		item_name: DF.Data | None
		naming_series: DF.Literal["CC-.YYYY.-"]
		paused_from: DF.Data | None
		received_on: DF.Datetime
		remedy_requested: DF.SmallText | None
		replied_by: DF.Link | None
		replied_on: DF.Datetime | None
		reply: DF.TextEditor | None
		resolution_sla: DF.Literal["On Track", "At Risk", "Breached", "Met", "Met Late", "Paused", "Stopped"]
		responsibility: DF.Literal["", "Company", "Supplier", "Carrier", "Customer", "Undetermined"]
		retain_until: DF.Date | None
		root_cause: DF.Text | None
		sales_invoice: DF.Link | None
		sales_order: DF.Link | None
		satisfaction: DF.Literal["", "Satisfied", "Partly Satisfied", "Not Satisfied", "Unreachable"]
		satisfaction_comment: DF.SmallText | None
		serial_no: DF.Link | None
		severity: DF.Literal["Minor", "Major", "Critical"]
		sla_clocks: DF.Table[ServiceSLAClock]
		sla_last_due: DF.Datetime | None
		sla_next_on: DF.Datetime | None
		sla_pauses: DF.Table[ServiceSLAPause]
		sla_state: DF.Literal["On Track", "At Risk", "Breached", "Met", "Met Late", "Paused", "Stopped"]
		status: DF.Literal["Open", "Investigating", "Awaiting Customer", "Answered", "Closed", "Cancelled"]
		supplier: DF.Link | None
		territory: DF.Link | None
		title: DF.Data | None
		urgency: DF.Literal["Normal", "Urgent"]

	# end: auto-generated types
	def before_insert(self):
		apply_portal_defaults(self)  # a website user files for their own customer only

	def validate(self):
		now = now_datetime()
		self.title = rules.case_title(self.customer_name or self.customer, self.category, self.item_name)
		before = self.get_doc_before_save()
		old_status = before.status if before else None
		with domain_errors(title=_("Invalid complaint")):
			rules.check_closed_edit(
				old_status, user_changes(self, before), frappe.get_roles(), self.change_reason
			)
			facts = self._facts()
			rules.validate_fields(facts, now)
			self._validate_references()
			set_event_unit(self)
			self.status = rules.next_status_after_confirmation(self.status, self.satisfaction)
			facts.status = self.status
			self.paused_from = facts.paused_from = rules.paused_from(
				old_status, self.status, self.paused_from
			)
			rules.check_transition(old_status, self.status, facts, frappe.get_roles())
		events = self._record_events(old_status, now)
		self._accept_requested_deadline(before)
		sync_pauses(self, self.status == rules.AWAITING_CUSTOMER, now)
		sla.update_clocks(
			self,
			start=history_clock_start(self, self.received_on),
			urgency=self.urgency,
			met=rules.stage_events(self.status, events),
			caps={"First Reply": self.accepted_deadline},
			now=now,
			stopped=self.status == rules.CANCELLED,
			ended_on=history_end(self, self.status == rules.CLOSED, self.closed_on),
		)

	def onload(self):
		sla.show_derived_deadlines(self)

	def on_change(self):
		sla.show_derived_deadlines(self)  # the form shows what a save left unstored

	def on_update(self):
		before = self.get_doc_before_save()
		if self.is_history and not before:
			return  # imported history: nobody is informed of the past
		if self.severity == "Critical" and (not before or before.severity != "Critical"):
			self._inform_management_representative()

	def on_trash(self):
		if self.status not in rules.FINAL_STATUSES:
			frappe.throw(_("Cancel the complaint instead of deleting it: complaint records are kept."))
		if self.retain_until and getdate(self.retain_until) > getdate():
			frappe.throw(
				_("Complaint records are kept until {0} (retention policy).").format(
					frappe.format(self.retain_until, "Date")
				)
			)

	# --------------------------------------------------------------------------------------

	def _facts(self) -> rules.ComplaintFacts:
		return rules.ComplaintFacts(
			status=self.status,
			received_on=get_datetime(self.received_on) if self.received_on else None,
			customer_deadline=get_datetime(self.customer_deadline) if self.customer_deadline else None,
			# a Float field reads 0 when left empty: only a quantity someone typed is checked
			affected_qty=self.affected_qty or None,
			responsibility=self.responsibility,
			supplier=self.supplier,
			investigation_owner=self.investigation_owner,
			arrangement_plan=self.arrangement_plan,
			containment_actions=len(self.containment_actions or []),
			answer_method=self.answer_method,
			reply=self.reply,
			replied_on=get_datetime(self.replied_on) if self.replied_on else None,
			satisfaction=self.satisfaction,
			satisfaction_comment=self.satisfaction_comment,
			cancel_reason=self.cancel_reason,
			reopen_reason=self.change_reason,
			paused_from=self.paused_from,
			history=bool(self.is_history),
			first_response_on=get_datetime(self.first_response_on) if self.first_response_on else None,
			confirmed_on=get_datetime(self.confirmed_on) if self.confirmed_on else None,
			closed_on=get_datetime(self.closed_on) if self.closed_on else None,
		)

	def _validate_references(self) -> None:
		for doctype, fieldname in REFERENCE_FIELDS:
			if self.get(fieldname):
				check_reference(
					load_reference(doctype, self.get(fieldname)),
					self.customer,
					self.item_code,
					self.affected_qty,
					error=rules.ComplaintError,
				)
		if self.serial_no:
			check_serial(
				load_serial(self.serial_no), self.item_code, self.customer, error=rules.ComplaintError
			)
		if self.batch_no and self.item_code:
			batch_item = frappe.db.get_value("Batch", self.batch_no, "item")
			if batch_item != self.item_code:
				frappe.throw(
					_("Batch {0} is of item {1}, not {2}.").format(self.batch_no, batch_item, self.item_code),
					exc=frappe.ValidationError,
				)

	def _record_events(self, old_status: str | None, now) -> rules.ComplaintEvents:
		fields = [f.name for f in dataclasses.fields(rules.ComplaintEvents)]
		events = rules.record_events(
			old_status,
			self.status,
			rules.ComplaintEvents(**{f: self.get(f) for f in fields}),
			investigation_owner=self.investigation_owner,
			arrangement_plan=self.arrangement_plan,
			now=now,
			user=frappe.session.user,
			retention_years=get_settings().retention_years,
			history=bool(self.is_history),
			received_on=get_datetime(self.received_on),
		)
		self.update(dataclasses.asdict(events))
		return events

	def _accept_requested_deadline(self, before) -> None:
		"""The customer's requested deadline caps the first reply once accepted
		(``core.complaint.accepted_deadline``); ``accept_requested_deadline`` accepts it. What
		was accepted is read from the stored record: a request cannot carry its own acceptance."""
		requested = get_datetime(self.customer_deadline) if self.customer_deadline else None
		accepting = bool(self.flags.accept_requested_deadline)
		stored = get_datetime(before.accepted_deadline) if before and before.accepted_deadline else None
		accepted = rules.accepted_deadline(
			requested,
			stored,
			lead=get_clock("Working Hours", self.company).between(get_datetime(self.received_on), requested)
			if requested
			else timedelta(0),
			min_lead=timedelta(hours=flt(get_settings().min_deadline_lead_hours)),
			accepting=accepting,
		)
		if accepted != stored or not before:
			self.deadline_accepted_by = frappe.session.user if accepting and accepted else None
		else:
			self.deadline_accepted_by = before.deadline_accepted_by
		self.accepted_deadline = accepted

	def _inform_management_representative(self) -> None:
		user = get_settings().management_representative
		if user:
			subject = _("Critical complaint {0} from {1}").format(
				self.name, self.customer_name or self.customer
			)
			alert([user], subject, self.doctype, self.name, from_user=frappe.session.user)


@frappe.whitelist(methods=["POST"])
def accept_requested_deadline(name: str) -> str:
	"""Accept the reply deadline the customer asked for, though it leaves less than the minimum
	lead: the first reply is then due by it. Customer service or quality only."""
	doc = frappe.get_doc("Customer Complaint", name)
	doc.check_permission("write")
	if not rules.can_accept_deadline(frappe.get_roles()):
		frappe.throw(
			_("Only customer service or quality can accept a deadline the customer asked for."),
			frappe.PermissionError,
		)
	if not doc.customer_deadline:
		frappe.throw(_("The customer asked for no reply deadline."))
	doc.flags.accept_requested_deadline = True
	doc.save()
	return doc.accepted_deadline


# ------------------------------------------------------------------------------------------
# Permissions: portal users see the complaints of their own customer only (service_control.portal).


def get_permission_query_conditions(user: str | None = None) -> str:
	return customer_condition("Customer Complaint", user) or ""


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if not is_portal_user(user):
		return True
	if ptype == "create" and not doc.get("customer"):
		return True  # before_insert sets the user's own customer
	return doc.customer in get_portal_customers(user)


def has_website_permission(doc, ptype, user, verbose=False) -> bool:
	return doc.customer in get_portal_customers(user)


def on_doctype_update():
	# the Service Indicators report reads a company's cases by delivery date from this index alone
	frappe.db.add_index(
		"Customer Complaint",
		["company", "delivery_date", "received_on", "status", "item_code", "territory", "customer_group"],
		"sc_indicators",
	)
