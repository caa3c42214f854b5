# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""维修反馈单: the technician's service record, parts used and the customer's verification.

On submit the parts used leave stock on a Material Issue Stock Entry (the submitted form
authorises it). Money is not the technician's to move:
- a refund or a free replacement becomes a Compensation request, approved by amount like any
  other (service_control.core.compensation); its settlement posts the credit note or the
  replacement Delivery Note and links them back here;
- chargeable parts and labour are billed by a Sales Invoice made from the form ("Create > Sales
  Invoice") under ERPNext's own Sales Invoice permissions, one per form.
Cancelling the form cancels its Stock Entry; a settled compensation or a submitted invoice must
be cancelled first by those who may, as ERPNext does for any linked voucher.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, get_datetime, getdate, now_datetime

from service_control.core import compensation as compensation_rules
from service_control.core import repair as rules
from service_control.portal import customer_condition, get_portal_customers, is_portal_user
from service_control.service_control import vouchers
from service_control.service_control.doctype.repair_request.repair_request import (
	_is_technician_only,
	check_technician,
)
from service_control.utils import domain_errors, get_company_defaults


class RepairFeedback(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.repair_part.repair_part import RepairPart
		from service_control.service_control.doctype.repair_visit.repair_visit import RepairVisit

		amended_from: DF.Link | None
		attitude_rating: DF.Rating
		chargeable: DF.Check
		company: DF.Link | None
		company_responsible: DF.Check
		compensation: DF.Link | None
		credit_note: DF.Link | None
		customer: DF.Link | None
		customer_name: DF.Data | None
		fault_found: DF.SmallText | None
		is_history: DF.Check
		item_code: DF.Link | None
		labour_item: DF.Link | None
		labour_rate: DF.Currency
		naming_series: DF.Literal["RF-.YYYY.-"]
		parts: DF.Table[RepairPart]
		posting_date: DF.Date
		quality_rating: DF.Rating
		refund_amount: DF.Currency
		remedy: DF.Literal["Repair", "Replace", "Refund"]
		repair_request: DF.Link
		replacement_delivery_note: DF.Link | None
		replacement_serial_no: DF.Link | None
		replacement_warehouse: DF.Link | None
		result: DF.Literal["", "Fixed", "Not Fixed", "Replaced", "Refunded"]
		sales_invoice: DF.Link | None
		serial_no: DF.Link | None
		stock_entry: DF.Link | None
		technician: DF.Link
		total_hours: DF.Float
		verification_comment: DF.SmallText | None
		verified_on: DF.Datetime | None
		verifier_name: DF.Data | None
		visits: DF.Table[RepairVisit]
		work_done: DF.Text | None
	# end: auto-generated types

	def validate(self):
		request = self._request()
		if request.status in rules.FINAL_STATUSES:
			frappe.throw(_("Repair request {0} is {1}.").format(request.name, _(request.status)))
		if not request.technician:
			frappe.throw(_("Assign a Service Technician to repair request {0} first.").format(request.name))
		for field in (
			"company",
			"customer",
			"customer_name",
			"item_code",
			"serial_no",
			"remedy",
			"chargeable",
		):
			self.set(field, request.get(field))
		self.technician = self.technician or request.technician
		self._default_labour()
		self.total_hours = sum(flt(v.hours) for v in self.visits or [])
		with domain_errors(title=_("Invalid repair feedback")):
			for user in {self.technician} | {v.technician for v in self.visits or [] if v.technician}:
				check_technician(user)
			facts = self._facts(request)
			rules.validate_feedback(facts, getdate())
			if self.is_history:
				# the paper form of a past repair: what it paid or replaced was settled then
				rules.check_feedback_history(facts, bool(request.is_history))
			else:
				if self.remedy == rules.REFUND and self.refund_amount:
					self._check_refund(request)
				if self.remedy == rules.REPLACE and self.replacement_serial_no:
					self._check_replacement()
		if facts.verified and not self.verified_on:
			self.verified_on = now_datetime()
		elif not facts.verified:
			self.verified_on = None

	def before_submit(self):
		request = self._request()
		with domain_errors(title=_("Cannot submit the repair feedback")):
			rules.validate_feedback_submit(self._facts(request))
			if self.is_history:
				return  # no parts leave stock and nothing is refunded or replaced for a past repair
			self._check_parts()
			if self.result == rules.REPLACED:
				if not self.replacement_serial_no:
					raise rules.RepairError(rules._("Choose the replacement serial no."))
				self._check_replacement()
			if self.result == rules.REFUNDED:
				self._check_refund(request)

	def on_submit(self):
		request = self._request()
		if self.is_history:
			# a past repair: no Stock Entry, no Compensation request; the request takes its result
			# at the form's real time, its clocks reviewed like a live one's, without assignment
			if self.company_responsible:
				request.company_responsible = 1
			request.refresh_from_feedback(
				resolved_on=rules.history_resolved_on(self._facts(request), now_datetime())
			)
			return
		if self.parts:
			self.db_set("stock_entry", make_parts_issue(self))
		claim = self._claim()
		if claim:
			self.db_set("compensation", request_compensation(self, request, claim))
		if self.company_responsible:
			request.company_responsible = 1
		request.refresh_from_feedback()

	def on_cancel(self):
		withdraw_compensation(self)
		vouchers.cancel_submitted([("Stock Entry", self.stock_entry)])
		self._request().refresh_from_feedback()

	def after_insert(self):
		request = self._request()
		if request.status == rules.ASSIGNED:
			request.refresh_from_feedback()

	# --------------------------------------------------------------------------------------

	def _request(self):
		return frappe.get_doc("Repair Request", self.repair_request)

	def _default_labour(self) -> None:
		"""An empty labour item / rate comes from the company's row in Service Control Settings."""
		defaults = get_company_defaults(self.company)
		self.labour_item, self.labour_rate = rules.default_labour(
			self.labour_item,
			flt(self.labour_rate),
			defaults.get("repair_labour_item"),
			flt(defaults.get("repair_labour_rate")),
		)

	def _facts(self, request) -> rules.FeedbackFacts:
		return rules.FeedbackFacts(
			reported_on=get_datetime(request.reported_on),
			visits=[
				rules.VisitRow(getdate(v.visit_date) if v.visit_date else None, v.technician, v.hours)
				for v in self.visits or []
			],
			fault_found=self.fault_found,
			work_done=self.work_done,
			result=self.result or None,
			remedy=self.remedy,
			# a Rating comes as text from Data Import and the REST API
			quality_rating=flt(self.quality_rating) or None,
			attitude_rating=flt(self.attitude_rating) or None,
			verification_comment=self.verification_comment,
			verifier_name=self.verifier_name,
			signature=self.customer_signature,
			verified_on=get_datetime(self.verified_on) if self.verified_on else None,
		)

	def _check_parts(self) -> None:
		names = {p.warehouse for p in self.parts if p.warehouse}
		infos = {
			w.name: rules.WarehouseInfo(w.name, w.company, bool(w.is_group), bool(w.disabled))
			for w in frappe.get_all(
				"Warehouse",
				filters={"name": ("in", list(names))},
				fields=["name", "company", "is_group", "disabled"],
			)
		}
		needed: dict[tuple[str, str], float] = {}
		for part in self.parts:
			key = (part.item_code, part.warehouse)
			needed[key] = needed.get(key, 0) + flt(part.qty)
			rules.check_part(
				part.idx,
				part.item_code,
				needed[key],
				infos.get(part.warehouse),
				self.company,
				vouchers.available_qty(part.item_code, part.warehouse),
			)

	def _check_replacement(self) -> None:
		serial = frappe.db.get_value(
			"Serial No", self.replacement_serial_no, ["item_code", "warehouse", "status"], as_dict=True
		)
		if not serial or serial.item_code != self.item_code:
			raise rules.RepairError(
				rules._("The replacement must be a serial no of item {0}."), self.item_code
			)
		if serial.warehouse and not self.replacement_warehouse:
			self.replacement_warehouse = serial.warehouse
		in_stock = 1 if serial.status == "Active" and serial.warehouse == self.replacement_warehouse else 0
		rules.check_replacement(self.item_code, self.replacement_warehouse, in_stock)

	def _check_refund(self, request) -> None:
		rules.check_refund(
			flt(self.refund_amount),
			refundable_amount(request.sales_invoice, self.item_code) if request.sales_invoice else 0,
			request.sales_invoice,
		)

	def charge_lines(self) -> list[dict]:
		return rules.charge_lines(
			[
				rules.PartRow(p.item_code, flt(p.qty), flt(p.rate), bool(p.chargeable))
				for p in self.parts or []
			],
			bool(self.chargeable),
			self.labour_item,
			flt(self.labour_rate),
			flt(self.total_hours),
			history=bool(self.is_history),
		)

	def _claim(self) -> dict | None:
		"""The compensation a refund or replacement asks for (None for a plain repair)."""
		with domain_errors(title=_("Cannot submit the repair feedback")):
			return compensation_rules.repair_claim(
				self.result, flt(self.refund_amount), self._replacement_value()
			)

	def _replacement_value(self) -> float:
		if self.result != rules.REPLACED:
			return 0.0
		return flt(
			frappe.db.get_value(
				"Bin",
				{"item_code": self.item_code, "warehouse": self.replacement_warehouse},
				"valuation_rate",
			)
		) or flt(frappe.db.get_value("Item", self.item_code, "valuation_rate"))


def refundable_amount(sales_invoice: str, item_code: str | None) -> float:
	"""What is left to refund on the invoice (for the item): its amount net of earlier returns."""
	item = frappe.qb.DocType("Sales Invoice Item")
	invoice = frappe.qb.DocType("Sales Invoice")
	query = (
		frappe.qb.from_(item)
		.join(invoice)
		.on(invoice.name == item.parent)
		.select(frappe.query_builder.functions.Sum(item.amount))
		.where(
			(
				(invoice.name == sales_invoice)
				| ((invoice.return_against == sales_invoice) & (invoice.is_return == 1))
			)
			& (invoice.docstatus == 1)
		)
	)
	if item_code:
		query = query.where(item.item_code == item_code)
	return flt(query.run()[0][0])


# ------------------------------------------------------------------------------------------
# ERPNext vouchers


def _remark(feedback) -> str:
	return _("Repair Feedback {0} for Repair Request {1}").format(feedback.name, feedback.repair_request)


def make_parts_issue(feedback) -> str:
	"""Material Issue of the parts used, submitted; returns the Stock Entry name."""
	return vouchers.make_stock_entry(
		feedback.company,
		"Material Issue",
		[
			{"item_code": p.item_code, "qty": p.qty, "s_warehouse": p.warehouse, "conversion_factor": 1}
			for p in feedback.parts
		],
		_remark(feedback),
		posting_date=feedback.posting_date,
	).name


def request_compensation(feedback, request, claim: dict) -> str:
	"""The Compensation that asks for the refund or replacement, sent for approval at once.

	Sending a request for approval is no approval (the core's approval steps take no role for it),
	so it is done here for the technician, who holds no rights on Compensation; the amount and
	everything approved are frozen from then on."""
	company_currency = frappe.get_cached_value("Company", feedback.company, "default_currency")
	invoice_currency = (
		frappe.db.get_value("Sales Invoice", request.sales_invoice, "currency")
		if request.sales_invoice
		else None
	)
	doc = frappe.new_doc("Compensation")
	doc.update(
		{
			"repair_feedback": feedback.name,
			"company": feedback.company,
			"customer": feedback.customer,
			"item_code": feedback.item_code,
			"posting_date": feedback.posting_date,
			"currency": compensation_rules.claim_currency(company_currency, invoice_currency),
			"sales_invoice": request.sales_invoice,
			"delivery_note": request.delivery_note,
			"description": _("{0} agreed in repair feedback {1} (serial no {2}).").format(
				_(feedback.result), feedback.name, feedback.serial_no or "-"
			),
			**claim,
		}
	)
	if feedback.result == rules.REPLACED:
		doc.replacement_serial_no = feedback.replacement_serial_no
		doc.replacement_warehouse = feedback.replacement_warehouse
	doc.flags.ignore_permissions = True
	doc.insert()
	doc.db_set("status", compensation_rules.PENDING_QUALITY)
	doc.add_comment("Workflow", _(compensation_rules.PENDING_QUALITY))
	return doc.name


def withdraw_compensation(feedback) -> None:
	"""A cancelled form withdraws its compensation request; a settled one stays until Accounts
	cancels it (its vouchers are theirs to reverse)."""
	if not feedback.compensation:
		return
	docstatus, status = frappe.db.get_value(
		"Compensation", feedback.compensation, ["docstatus", "status"], for_update=True
	)
	if docstatus == 1:
		frappe.throw(
			_(
				"Compensation {0} has been settled: Accounts cancel it before this form can be cancelled."
			).format(feedback.compensation),
			title=_("Compensation settled"),
		)
	if docstatus == 0 and status != compensation_rules.REJECTED:
		comp = frappe.get_doc("Compensation", feedback.compensation)
		comp.db_set("status", compensation_rules.REJECTED)
		comp.add_comment("Workflow", _("Withdrawn: repair feedback {0} was cancelled.").format(feedback.name))


@frappe.whitelist()
def make_sales_invoice(source_name: str, target_doc=None):
	"""An unsaved Sales Invoice billing the chargeable parts and labour of a submitted form. Saving
	and submitting it take ERPNext's own Sales Invoice permissions; one invoice per form."""
	feedback = frappe.get_doc("Repair Feedback", source_name)
	feedback.check_permission("read")
	frappe.has_permission("Sales Invoice", "create", throw=True)
	if feedback.docstatus != 1:
		frappe.throw(_("Submit the repair feedback before billing it."), title=_("Cannot bill the repair"))
	check_not_billed(feedback.name, lock=False)
	lines = feedback.charge_lines()
	if not lines:
		frappe.throw(_("Nothing on repair feedback {0} is chargeable.").format(feedback.name))
	invoice = frappe.new_doc("Sales Invoice")
	invoice.update(
		{
			"company": feedback.company,
			"customer": feedback.customer,
			"remarks": _remark(feedback),
			"update_stock": 0,  # the parts left stock on the Material Issue
			"sc_repair_feedback": feedback.name,
		}
	)
	for line in lines:
		invoice.append("items", {"item_code": line["item_code"], "qty": line["qty"]})
	invoice.set_missing_values()
	for row, line in zip(invoice.items, lines, strict=True):
		rate = (
			line["rate"]
			or flt(row.rate)
			or flt(frappe.db.get_value("Item", line["item_code"], "valuation_rate"))
		)
		row.price_list_rate = row.price_list_rate or rate
		row.rate = rate
		row.discount_percentage = 0
		row.margin_rate_or_amount = 0
	invoice.calculate_taxes_and_totals()
	return invoice


def check_not_billed(feedback: str, invoice: str | None = None, lock: bool = True) -> None:
	"""One live invoice per form (``invoice``: the one being saved, which does not count).

	Saving an invoice checks with a locking read, under the form's row lock: it sees an invoice
	another user committed after this transaction began. The button's early check reads plainly:
	a locking read there would hold a gap lock that the first user's insert then waits for."""
	existing = frappe.db.get_value(
		"Sales Invoice",
		{"sc_repair_feedback": feedback, "docstatus": ("<", 2), "name": ("!=", invoice or "")},
		"name",
		for_update=lock,
	)
	if existing:
		frappe.throw(
			_("Sales Invoice {0} already bills repair feedback {1}.").format(existing, feedback),
			title=_("Already billed"),
		)


# ------------------------------------------------------------------------------------------
# Permissions: a Service Technician sees the forms of the requests assigned to them.


def get_permission_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	portal = customer_condition("Repair Feedback", user)
	if portal is not None:
		return portal
	if _is_technician_only(user):
		escaped = frappe.db.escape(user)
		return (
			f"(`tabRepair Feedback`.`technician` = {escaped} or `tabRepair Feedback`.`repair_request` in "
			f"(select rr.name from `tabRepair Request` rr where rr.technician = {escaped}))"
		)
	return ""


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if is_portal_user(user):
		return doc.customer in get_portal_customers(user) and ptype in (None, "read", "print")
	if _is_technician_only(user):
		if doc.technician == user:
			return True
		return bool(
			doc.repair_request
			and frappe.db.get_value("Repair Request", doc.repair_request, "technician") == user
		)
	return True
