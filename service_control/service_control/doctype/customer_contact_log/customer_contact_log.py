# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""顾客来人来函登记台帐: one contact of a customer at the front desk, and its first answer.

Thin adapter: the rules are in service_control.core.front_desk. Mail reaches the register through
Frappe's own intake (an Email Account whose Append To is this doctype): Frappe makes the entry,
and every Communication of its thread lands here through ``notify_communication``.

Why not ERPNext's Issue: it is a support ticket with a two-stage SLA; the register keeps every
visit, call, letter and fax (most never become a ticket), the caller who is not a customer yet,
the referral to departments and the first answer per contact type, as the procedure's ledger.
An Issue that turns out to be a complaint converts like an entry (``intake.convert``).
"""

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime, validate_email_address
from frappe.utils.caching import request_cache

from service_control.core import front_desk as rules
from service_control.core.complaint import case_title
from service_control.service_control.cases import ServiceCase, history_end
from service_control.service_control.sla import clocks as sla
from service_control.utils import domain_errors


class CustomerContactLog(ServiceCase):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.customer_contact_department.customer_contact_department import (
			CustomerContactDepartment,
		)
		from service_control.service_control.doctype.service_sla_clock.service_sla_clock import (
			ServiceSLAClock,
		)

		answer: DF.TextEditor | None
		answer_requested: DF.Check
		answered_by: DF.Link | None
		answered_on: DF.Datetime | None
		caller_name: DF.Data | None
		caller_organisation: DF.Data | None
		caller_phone: DF.Data | None
		cancel_reason: DF.SmallText | None
		classification: DF.Literal[
			"Inquiry", "Product Feedback", "Complaint", "Repair Request", "Praise", "Other"
		]
		company: DF.Link
		contact: DF.Link | None
		contact_type: DF.Literal["Visit", "Phone", "Fax", "Letter", "E-mail", "Showroom", "Portal", "Other"]
		content: DF.TextEditor | None
		converted_on: DF.Datetime | None
		customer: DF.Link | None
		customer_complaint: DF.Link | None
		customer_name: DF.Data | None
		due_by: DF.Datetime | None
		due_stage: DF.Literal["First Answer"]
		handling: DF.Literal["", "Answered on the Spot", "Referred to Departments"]
		is_history: DF.Check
		item_code: DF.Link | None
		lead: DF.Link | None
		naming_series: DF.Literal["CCL-.YYYY.-"]
		received_by: DF.Link | None
		received_on: DF.Datetime
		referred_departments: DF.TableMultiSelect[CustomerContactDepartment]
		repair_request: DF.Link | None
		sender_email: DF.Data | None
		sla_clocks: DF.Table[ServiceSLAClock]
		sla_last_due: DF.Datetime | None
		sla_next_on: DF.Datetime | None
		sla_state: DF.Literal["On Track", "At Risk", "Breached", "Met", "Met Late", "Paused", "Stopped"]
		status: DF.Literal["Open", "Referred", "Answered", "Converted", "Cancelled"]
		subject: DF.Data
		title: DF.Data | None
		unmatched: DF.Check
	# end: auto-generated types

	def before_insert(self):
		if self.is_from_mail():
			if rules.is_automatic_mail(self.sender_email, self.subject, own_mailboxes()):
				# Frappe's intake reads this error as "the entry exists already": it files the mail
				# as a plain Communication (under the sender's last entry, if any) and makes none.
				raise frappe.DuplicateEntryError(_("Automatic mail: no register entry"))
			if self.sender_email and not validate_email_address(self.sender_email):
				# a garbled sender is kept as the name; the entry is still made, unmatched
				self.caller_name = self.caller_name or self.sender_email[:140]
				self.sender_email = None
			self.contact_type = "E-mail"
			self.received_by = None
			self.company = self.company or default_company()

	def validate(self):
		now = now_datetime()
		self.match_sender()
		if self.answered_on and not self.answered_by:
			self.answered_by = frappe.session.user
		facts = self._facts()
		with domain_errors(title=_("Invalid contact entry")):
			rules.validate_contact(facts, now)
			if self.is_history:
				rules.check_contact_history(facts)
		self.status = rules.contact_status(facts)
		self.title = case_title(self.customer_name or self.caller_name or self.sender_email, self.subject)
		self.review_clocks(facts, now)

	def review_clocks(self, facts: rules.ContactFacts, now) -> None:
		sla.update_clocks(
			self,
			start=self.received_on,
			urgency=self.contact_type,
			met={rules.FIRST_ANSWER: rules.first_answer_on(facts)},
			now=now,
			stopped=self.status == rules.CANCELLED,
			ended_on=history_end(self, self.status == rules.ANSWERED, self.answered_on),
		)

	def onload(self):
		sla.show_derived_deadlines(self)

	def on_change(self):
		sla.show_derived_deadlines(self)

	def is_from_mail(self) -> bool:
		"""Made by Frappe's mail intake, which fills only the subject and sender fields and skips
		the mandatory check (the desk and Data Import never skip it)."""
		return bool(self.is_new() and self.flags.ignore_mandatory and (self.sender_email or self.subject))

	def match_sender(self) -> None:
		"""An e-mail sender is matched to a Contact and its Customer; an unknown one (or a mail
		without a usable address) is kept and flagged for the desk."""
		if not self.customer and self.sender_email:
			contact = frappe.qb.DocType("Contact")
			email = frappe.qb.DocType("Contact Email")
			link = frappe.qb.DocType("Dynamic Link")
			rows = (
				frappe.qb.from_(email)
				.join(contact)
				.on(contact.name == email.parent)
				.left_join(link)
				.on(
					(link.parent == contact.name)
					& (link.parenttype == "Contact")
					& (link.link_doctype == "Customer")
				)
				.select(contact.name, link.link_name)
				.where((email.email_id == self.sender_email) & (email.parenttype == "Contact"))
				.limit(20)
				.run()
			)
			contact_name, customer = rules.match_customer(rows)
			self.contact = self.contact or contact_name
			if customer:
				self.customer = customer
				self.customer_name = frappe.db.get_value("Customer", customer, "customer_name")
		self.unmatched = int(not self.customer and (bool(self.sender_email) or self.contact_type == "E-mail"))

	def notify_communication(self, communication) -> None:
		"""Frappe calls this for each Communication filed under the entry (the intake's first mail,
		the customer's follow-ups, the desk's replies). The first mail gives the entry its content
		and received time; the desk's first reply is its first answer."""
		if communication.communication_type != "Communication":
			return
		if communication.sent_or_received == "Received":
			# Frappe inserts a plain-text mail without its body and saves it again with it
			if communication.content and not self.content:
				self._take_first_mail(communication)
		elif not self.answered_on and self.status in (rules.OPEN, rules.REFERRED):
			self.answered_on = get_datetime(communication.communication_date)
			self.answered_by = frappe.session.user
			self.answer = communication.content
			self.flags.ignore_permissions = True
			self.save()

	def _take_first_mail(self, communication) -> None:
		"""The entry the intake made a moment ago, in the same transaction, gets the mail's body
		and date: its clock is reviewed again from the earlier start and the rows written as they
		are, without a second save (nothing a user entered changes, so nothing to validate or
		version; the pull's cost per mail stays Frappe's own)."""
		self.content = communication.content
		received = get_datetime(communication.communication_date)
		if received >= get_datetime(self.received_on):
			self.db_set("content", self.content, update_modified=False)
			return
		self.received_on = received
		self.review_clocks(self._facts(), now_datetime())
		self.db_update_all()

	@frappe.whitelist()
	def cancel_entry(self, reason: str) -> None:
		"""An entry made in error (or spam that passed the intake) is cancelled with a reason."""
		self.check_permission("write")
		self.cancel_reason = reason
		self.status = rules.CANCELLED
		self.save()

	@frappe.whitelist()
	def make_lead(self) -> str:
		"""A Lead from an unknown caller; the entry links it. Returns the existing one on a second call."""
		self.check_permission("write")
		frappe.has_permission("Lead", "create", throw=True)
		if lead := frappe.db.get_value(self.doctype, self.name, "lead", for_update=True):
			return lead
		if not (self.caller_name or self.caller_organisation):
			frappe.throw(_("Enter the caller's name or organisation first."))
		lead = frappe.get_doc(
			{
				"doctype": "Lead",
				"first_name": self.caller_name or self.caller_organisation,
				"company_name": self.caller_organisation,
				"email_id": self.sender_email,
				"mobile_no": self.caller_phone,
				"company": self.company,
				"source": None,
			}
		).insert()
		self.db_set("lead", lead.name)
		return lead.name

	@frappe.whitelist()
	def make_customer(self) -> str:
		"""A Customer (with a Contact holding the caller's e-mail and phone) from an unknown caller;
		the entry is then matched to it."""
		self.check_permission("write")
		frappe.has_permission("Customer", "create", throw=True)
		if customer := frappe.db.get_value(self.doctype, self.name, "customer", for_update=True):
			return customer
		name = self.caller_organisation or self.caller_name
		if not name:
			frappe.throw(_("Enter the caller's name or organisation first."))
		customer = frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": "Company" if self.caller_organisation else "Individual",
				"lead_name": self.lead,
			}
		).insert()
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": self.caller_name or name,
				"links": [{"link_doctype": "Customer", "link_name": customer.name}],
			}
		)
		if self.sender_email:
			contact.add_email(self.sender_email, is_primary=True)
		if self.caller_phone:
			contact.add_phone(self.caller_phone, is_primary_phone=True)
		contact.insert()
		self.customer = customer.name
		self.contact = contact.name
		self.save()
		return customer.name

	def _facts(self) -> rules.ContactFacts:
		return rules.ContactFacts(
			received_on=get_datetime(self.received_on),
			handling=self.handling,
			answer=self.answer,
			answered_on=get_datetime(self.answered_on) if self.answered_on else None,
			converted_on=get_datetime(self.converted_on) if self.converted_on else None,
			cancelled=self.status == rules.CANCELLED,
			cancel_reason=self.cancel_reason,
		)


@request_cache
def own_mailboxes() -> list[str]:
	"""The site's own addresses, read once per pull (a job is one request)."""
	return frappe.get_all("Email Account", pluck="email_id")


def default_company() -> str | None:
	return frappe.defaults.get_user_default("Company") or frappe.db.get_single_value(
		"Global Defaults", "default_company"
	)
