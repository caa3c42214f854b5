# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""报修登记表: one repair call, its warranty decision (三包), assignment and SLA clocks.

Thin adapter: the rules are in service_control.core.repair; this loads the Serial No, Delivery
Note, Warranty Claim and user facts, calls the core and stores the outcome.
"""

import dataclasses

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, getdate, now_datetime

from service_control.core import repair as rules
from service_control.core.complaint import case_title
from service_control.core.references import check_reference, check_serial
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
from service_control.service_control.service_indicators import set_event_unit
from service_control.service_control.sla import clocks as sla
from service_control.utils import domain_errors, get_settings


class RepairRequest(ServiceCase):
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

		amc_expiry_date: DF.Date | None
		assigned_on: DF.Datetime | None
		callback_note: DF.SmallText | None
		cancel_reason: DF.SmallText | None
		change_reason: DF.SmallText | None
		channel: DF.Literal["Phone", "E-mail", "Letter", "Visit", "Fax", "Portal", "Other"]
		chargeable: DF.Check
		clocks_from_go_live: DF.Check
		closed_on: DF.Datetime | None
		company: DF.Link
		company_responsible: DF.Check
		contact: DF.Link | None
		contact_phone: DF.Data | None
		credit_note: DF.Link | None
		customer: DF.Link
		customer_group: DF.Link | None
		customer_name: DF.Data | None
		decision_note: DF.SmallText | None
		delivery_date: DF.Date | None
		delivery_note: DF.Link | None
		due_by: DF.Datetime | None
		due_stage: DF.Literal["First Reply", "Arrangement", "Resolution", "Closure", "Repair"]
		fault_description: DF.Text
		fault_found: DF.Check
		fault_type: DF.Data | None
		first_response_on: DF.Datetime | None
		intake_doctype: DF.Link | None
		intake_name: DF.DynamicLink | None
		is_history: DF.Check
		item_code: DF.Link
		item_name: DF.Data | None
		last_result: DF.Literal["", "Fixed", "Not Fixed", "Replaced", "Refunded"]
		naming_series: DF.Literal["RR-.YYYY.-"]
		planned_visit_on: DF.Datetime | None
		remedy: DF.Literal["Repair", "Replace", "Refund"]
		replacement_delivery_note: DF.Link | None
		replacement_serial_no: DF.Link | None
		reported_on: DF.Datetime
		resolved_on: DF.Datetime | None
		sales_invoice: DF.Link | None
		sent_in: DF.Check
		serial_no: DF.Link | None
		service_address: DF.SmallText | None
		sla_clocks: DF.Table[ServiceSLAClock]
		sla_last_due: DF.Datetime | None
		sla_next_on: DF.Datetime | None
		sla_pauses: DF.Table[ServiceSLAPause]
		sla_state: DF.Literal["On Track", "At Risk", "Breached", "Met", "Met Late", "Paused", "Stopped"]
		status: DF.Literal[
			"Open", "Assigned", "In Progress", "Awaiting Customer", "Resolved", "Closed", "Cancelled"
		]
		technician: DF.Link | None
		technician_name: DF.Data | None
		territory: DF.Link | None
		title: DF.Data | None
		urgency: DF.Literal["Normal", "Urgent"]
		verified: DF.Check
		visits: DF.Int
		warranty_claim: DF.Link | None
		warranty_expiry_date: DF.Date | None
		warranty_status: DF.Literal["", "Under Warranty", "Under AMC", "Out of Warranty", "Unknown"]
	# end: auto-generated types

	def validate(self):
		now = now_datetime()
		self.title = case_title(self.customer_name or self.customer, self.fault_type, self.item_name)
		before = self.get_doc_before_save()
		old_status = before.status if before else None
		with domain_errors(title=_("Invalid repair request")):
			rules.check_closed_edit(
				old_status, user_changes(self, before), frappe.get_roles(), self.change_reason
			)
			if get_datetime(self.reported_on) > now:
				raise rules.RepairError(rules._("Reported On {0} is in the future."), self.reported_on)
			self._check_links()
			set_event_unit(self)
			check_technician(self.technician)
			self._apply_warranty_decision()
			facts = self._facts()
			self.status = rules.next_status(facts)
			facts.status = self.status
			rules.check_request_transition(old_status, self.status, facts)
		events = rules.record_request_events(
			old_status,
			self.status,
			bool(self.technician) and (not before or before.technician != self.technician),
			rules.RequestEvents(self.assigned_on, self.first_response_on, self.closed_on),
			now,
			history=bool(self.is_history),
		)
		self.update(dataclasses.asdict(events))
		sync_pauses(self, self.status == rules.AWAITING_CUSTOMER, now)
		sla.update_clocks(
			self,
			start=history_clock_start(self, self.reported_on),
			urgency=self.urgency,
			met=rules.request_stage_events(events, self.planned_visit_on, self.resolved_on),
			now=now,
			stopped=self.status == rules.CANCELLED,
			ended_on=history_end(self, self.status == rules.CLOSED, self.closed_on),
		)

	def onload(self):
		sla.show_derived_deadlines(self)

	def on_change(self):
		sla.show_derived_deadlines(self)  # the form shows what a save left unstored

	def on_update(self):
		if self.is_history and not self.get_doc_before_save():
			return  # imported history: no ToDo for the technician of a past repair
		self._sync_assignment()

	def on_trash(self):
		if frappe.db.exists("Repair Feedback", {"repair_request": self.name, "docstatus": 1}):
			frappe.throw(_("Cancel the request instead of deleting it: it has submitted feedback forms."))

	# --------------------------------------------------------------------------------------

	@frappe.whitelist()
	def change_status(self, status: str, reason: str | None = None) -> None:
		"""The buttons on the form: wait for / resume with the customer, close, cancel."""
		self.check_permission("write")
		if status == rules.CANCELLED:
			self.cancel_reason = reason or self.cancel_reason
		elif status == rules.CLOSED and reason:
			self.callback_note = reason
		self.status = status
		self.save()

	def refresh_from_feedback(self, resolved_on=None) -> None:
		"""Called by Repair Feedback on insert, submit and cancel: visits, result, verification.
		``resolved_on``: when a form of imported history resolved the request (else now)."""
		rows = frappe.get_all(
			"Repair Feedback",
			filters={"repair_request": self.name, "docstatus": 1},
			fields=[
				"name",
				"result",
				"fault_found",
				"verifier_name",
				"verified_on",
				"posting_date",
				"creation",
			],
			order_by="creation asc",
		)
		self.visits = (
			frappe.db.count(
				"Repair Visit",
				{"parenttype": "Repair Feedback", "parent": ("in", [r.name for r in rows])},
			)
			if rows
			else 0
		)
		last = rows[-1] if rows else None
		self.last_result = last.result if last else None
		self.verified = 1 if last and last.verifier_name else 0
		self.fault_found = int(rules.fault_found(r.fault_found for r in rows))
		fixed = bool(last and last.result and last.result != rules.NOT_FIXED)
		if not fixed:
			self.resolved_on = None
		elif not self.resolved_on:
			self.resolved_on = resolved_on or now_datetime()
		if (
			not rows
			and self.status == rules.ASSIGNED
			and frappe.db.exists("Repair Feedback", {"repair_request": self.name, "docstatus": 0})
		):
			self.status = rules.IN_PROGRESS
		self.flags.ignore_permissions = True
		self.save()

	def _sync_assignment(self) -> None:
		"""The technician holds the request as an open ToDo ("Assigned to me"): assigned once when
		set, taken back from the previous technician on a change, closed with the request (or
		cancelled with it)."""
		from frappe.desk.form.assign_to import add as assign
		from frappe.desk.form.assign_to import set_status

		before = self.get_doc_before_save()
		old_technician = before.technician if before else None
		if self.status in rules.FINAL_STATUSES:
			if not before or before.status != self.status:
				for todo in self._open_todos():
					set_status(
						self.doctype,
						self.name,
						todo=todo.name,
						assign_to=todo.allocated_to,
						status="Closed" if self.status == rules.CLOSED else "Cancelled",
						ignore_permissions=True,
					)
				self._reload_assign()
			return
		if self.technician == old_technician:
			return
		if old_technician:
			for todo in self._open_todos(old_technician):
				set_status(
					self.doctype,
					self.name,
					todo=todo.name,
					assign_to=old_technician,
					status="Cancelled",
					ignore_permissions=True,
				)
		if self.technician and not self._open_todos(self.technician):
			args = {
				"assign_to": [self.technician],
				"doctype": self.doctype,
				"name": self.name,
				"description": _("Repair {0} for {1}: {2}").format(
					self.name, self.customer_name or self.customer, (self.fault_description or "")[:140]
				),
				"priority": "High" if self.urgency == "Urgent" else "Medium",
			}
			if self.planned_visit_on:
				args["date"] = getdate(self.planned_visit_on)
			assign(args, ignore_permissions=True)
		self._reload_assign()

	def _open_todos(self, user: str | None = None) -> list:
		filters = {"reference_type": self.doctype, "reference_name": self.name, "status": "Open"}
		if user:
			filters["allocated_to"] = user
		return frappe.get_all("ToDo", filters=filters, fields=["name", "allocated_to"])

	def _reload_assign(self) -> None:
		# the ToDo wrote `_assign` straight to the database; keep this copy in step so a second
		# save in the same request does not write the old list back
		self.set("_assign", frappe.db.get_value(self.doctype, self.name, "_assign"))

	def _facts(self) -> rules.RequestFacts:
		submitted = (
			frappe.db.count("Repair Feedback", {"repair_request": self.name, "docstatus": 1})
			if not self.is_new()
			else 0
		)
		return rules.RequestFacts(
			status=self.status,
			technician=self.technician,
			submitted_feedback=submitted,
			last_result=self.last_result or None,
			verified=bool(self.verified),
			cancel_reason=self.cancel_reason,
			history=bool(self.is_history),
			reported_on=_datetime(self.reported_on),
			first_response_on=_datetime(self.first_response_on),
			resolved_on=_datetime(self.resolved_on),
			closed_on=_datetime(self.closed_on),
		)

	def _check_links(self) -> None:
		if self.serial_no:
			check_serial(load_serial(self.serial_no), self.item_code, self.customer, error=rules.RepairError)
		for doctype, fieldname in (("Delivery Note", "delivery_note"), ("Sales Invoice", "sales_invoice")):
			if self.get(fieldname):
				check_reference(
					load_reference(doctype, self.get(fieldname)),
					self.customer,
					self.item_code,
					None,
					error=rules.RepairError,
				)
		if self.warranty_claim:
			claim = frappe.db.get_value(
				"Warranty Claim", self.warranty_claim, ["customer", "serial_no"], as_dict=True
			)
			if claim.customer != self.customer or (claim.serial_no and claim.serial_no != self.serial_no):
				raise rules.RepairError(
					rules._("Warranty Claim {0} is for another customer or serial no."), self.warranty_claim
				)

	def _apply_warranty_decision(self) -> None:
		serial = (
			frappe.db.get_value(
				"Serial No", self.serial_no, ["warranty_expiry_date", "amc_expiry_date"], as_dict=True
			)
			if self.serial_no
			else frappe._dict()
		)
		claim = (
			frappe.db.get_value(
				"Warranty Claim",
				self.warranty_claim,
				["warranty_expiry_date", "amc_expiry_date"],
				as_dict=True,
			)
			if self.warranty_claim
			else frappe._dict()
		)
		self.delivery_date = get_delivery_date(self.serial_no, self.delivery_note, self.sales_invoice)
		decision = rules.decide(
			self.remedy or rules.REPAIR,
			getdate(self.reported_on),
			delivery_date=getdate(self.delivery_date) if self.delivery_date else None,
			warranty_expiry_date=_date(serial.warranty_expiry_date or claim.warranty_expiry_date),
			amc_expiry_date=_date(serial.amc_expiry_date or claim.amc_expiry_date),
			policy=get_warranty_policy(),
		)
		self.warranty_status = decision.status.status
		self.warranty_expiry_date = decision.status.warranty_expiry
		self.amc_expiry_date = decision.status.amc_expiry
		self.chargeable = int(decision.chargeable)


def _date(value):
	return getdate(value) if value else None


def _datetime(value):
	return get_datetime(value) if value else None


def get_warranty_policy() -> rules.WarrantyPolicy:
	settings = get_settings()
	return rules.WarrantyPolicy(
		refund_days=settings.get("warranty_refund_days") or 0,
		replace_days=settings.get("warranty_replace_days") or 0,
		warranty_months=settings.get("warranty_months") or 0,
	)


def get_delivery_date(serial_no: str | None, delivery_note: str | None, sales_invoice: str | None):
	"""The delivery note's date; else the serial's last delivery; else the invoice date."""
	if delivery_note:
		return frappe.db.get_value("Delivery Note", delivery_note, "posting_date")
	if serial_no:
		bundle = frappe.qb.DocType("Serial and Batch Bundle")
		entry = frappe.qb.DocType("Serial and Batch Entry")
		rows = (
			frappe.qb.from_(entry)
			.join(bundle)
			.on(bundle.name == entry.parent)
			.select(bundle.posting_date)
			.where(
				(entry.serial_no == serial_no)
				& (bundle.voucher_type.isin(["Delivery Note", "Sales Invoice"]))
				& (bundle.type_of_transaction == "Outward")
				& (bundle.is_cancelled == 0)
				& (bundle.docstatus == 1)
			)
			.orderby(bundle.posting_date, order=frappe.qb.desc)
			.limit(1)
			.run()
		)
		if rows:
			return rows[0][0]
	if sales_invoice:
		return frappe.db.get_value("Sales Invoice", sales_invoice, "posting_date")
	return None


def check_technician(user: str | None) -> None:
	if not user:
		return
	enabled = frappe.db.get_value("User", user, "enabled")
	rules.check_technician(user, frappe.get_roles(user), enabled=bool(enabled))


# ------------------------------------------------------------------------------------------
# Permissions: a Service Technician (without a managing role) sees only what is assigned to
# them; a portal customer sees the requests of their own customer.


def _is_technician_only(user: str) -> bool:
	return rules.sees_only_assigned(frappe.get_roles(user))


def get_permission_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	portal = customer_condition("Repair Request", user)
	if portal is not None:
		return portal
	if _is_technician_only(user):
		return f"`tabRepair Request`.`technician` = {frappe.db.escape(user)}"
	return ""


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if is_portal_user(user):
		return doc.customer in get_portal_customers(user)
	if _is_technician_only(user):
		return doc.technician == user
	return True


# ------------------------------------------------------------------------------------------
# CAPA: a repair whose cause is the company's opens a corrective action.


@frappe.whitelist()
def make_corrective_action(source_name: str, target_doc: str | None = None) -> Document:
	"""A new (unsaved) Corrective Action from a repair whose cause is the company's; its live one
	when it has one (a closed CAPA does not block a new one)."""
	from service_control.service_control.doctype.corrective_action.corrective_action import live_capa

	request = frappe.get_doc("Repair Request", source_name)
	request.check_permission("read")
	if not request.company_responsible:
		frappe.throw(_("Only a repair whose cause is the company's opens a corrective action."))
	if request.status == rules.CANCELLED:
		frappe.throw(_("Repair request {0} is cancelled.").format(request.name))
	existing = live_capa("Repair Request", request.name)
	if existing:
		return frappe.get_doc("Corrective Action", existing)
	feedback = frappe.get_all(
		"Repair Feedback",
		filters={"repair_request": request.name, "docstatus": 1},
		fields=["fault_found"],
		order_by="creation desc",
		limit=1,
	)
	problem = request.fault_description or ""
	if feedback and feedback[0].fault_found:
		problem += "\n" + _("Fault found: {0}").format(feedback[0].fault_found)
	doc = frappe.new_doc("Corrective Action")
	doc.update(
		{
			"source_type": "Repair Request",
			"source_name": request.name,
			"company": request.company,
			"problem_what": problem.strip(),
			"problem_where": _("Customer {0}, repair {1}").format(
				request.customer_name or request.customer, request.name
			),
			"problem_when": getdate(request.reported_on),
			"problem_how_many": 1,
		}
	)
	doc.append(
		"items",
		{
			"item_code": request.item_code,
			"item_name": request.item_name,
			"qty": 1,
			"serial_no": request.serial_no,
		},
	)
	return doc


def on_doctype_update():
	# the Service Indicators report reads a company's cases by delivery date from this index alone
	frappe.db.add_index(
		"Repair Request",
		[
			"company",
			"delivery_date",
			"reported_on",
			"status",
			"item_code",
			"territory",
			"customer_group",
			"fault_found",
		],
		"sc_indicators",
	)
