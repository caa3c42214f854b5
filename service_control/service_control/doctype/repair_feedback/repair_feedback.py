# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""维修反馈单: the technician's service record, parts used and the customer's verification.

On submit it books what the repair did with ERPNext's own vouchers: a Material Issue Stock
Entry for the parts, a Sales Invoice for chargeable parts and labour, a replacement Delivery
Note (new serial out) or a credit note (return Sales Invoice made with ERPNext's
make_return_doc). Cancelling the form cancels them first, in reverse order.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, get_datetime, getdate, now_datetime

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
		credit_note: DF.Link | None
		customer: DF.Link | None
		customer_name: DF.Data | None
		fault_found: DF.SmallText | None
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
			self._check_parts()
			if self.result == rules.REPLACED:
				if not self.replacement_serial_no:
					raise rules.RepairError(rules._("Choose the replacement serial no."))
				self._check_replacement()
			if self.result == rules.REFUNDED:
				self._check_refund(request)

	def on_submit(self):
		request = self._request()
		if self.parts:
			self.db_set("stock_entry", make_parts_issue(self))
		if self._charge_lines():
			self.db_set("sales_invoice", make_repair_invoice(self))
		if self.result == rules.REPLACED:
			self.db_set("replacement_delivery_note", make_replacement_delivery(self, request))
		if self.result == rules.REFUNDED:
			self.db_set("credit_note", make_credit_note(self, request))
		request.reload()
		if self.result == rules.REPLACED:
			request.replacement_serial_no = self.replacement_serial_no
			request.replacement_delivery_note = self.replacement_delivery_note
		if self.result == rules.REFUNDED:
			request.credit_note = self.credit_note
		if self.company_responsible:
			request.company_responsible = 1
		request.refresh_from_feedback()

	def on_cancel(self):
		vouchers.cancel_submitted(
			[
				("Sales Invoice", self.credit_note),
				("Delivery Note", self.replacement_delivery_note),
				("Sales Invoice", self.sales_invoice),
				("Stock Entry", self.stock_entry),
			]
		)
		request = self._request()
		for fieldname in ("replacement_delivery_note", "credit_note"):
			if request.get(fieldname) == self.get(fieldname):
				request.set(fieldname, None)
		if request.replacement_serial_no == self.replacement_serial_no:
			request.replacement_serial_no = None
		request.refresh_from_feedback()

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
			quality_rating=self.quality_rating or None,
			attitude_rating=self.attitude_rating or None,
			verification_comment=self.verification_comment,
			verifier_name=self.verifier_name,
			signature=self.customer_signature,
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

	def _charge_lines(self) -> list[dict]:
		"""Sales Invoice rows: chargeable parts, and labour when the repair itself is chargeable."""
		lines = [
			{"item_code": p.item_code, "qty": p.qty, "rate": flt(p.rate)}
			for p in self.parts or []
			if p.chargeable
		]
		if self.chargeable and self.labour_item and flt(self.labour_rate) and flt(self.total_hours):
			lines.append(
				{"item_code": self.labour_item, "qty": flt(self.total_hours), "rate": flt(self.labour_rate)}
			)
		return lines


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


def make_repair_invoice(feedback) -> str:
	"""Sales Invoice for chargeable parts and labour (stock already left with the Material Issue)."""
	invoice = frappe.new_doc("Sales Invoice")
	invoice.update(
		{
			"company": feedback.company,
			"customer": feedback.customer,
			"posting_date": getdate(),
			"remarks": _remark(feedback),
			"update_stock": 0,
		}
	)
	lines = feedback._charge_lines()
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
	return vouchers.insert_and_submit(invoice)


def make_replacement_delivery(feedback, request) -> str:
	"""Free replacement: a Delivery Note of the new serial from the replacement warehouse."""
	return vouchers.make_replacement_delivery(
		feedback.company,
		feedback.customer,
		feedback.item_code,
		1,
		feedback.replacement_warehouse,
		_("Replacement of serial no {0} under Repair Request {1}").format(
			request.serial_no or "-", request.name
		),
		serial_no=feedback.replacement_serial_no,
	)


def make_credit_note(feedback, request) -> str:
	"""Refund: a return Sales Invoice against the original (ERPNext's make_return_doc) for one unit
	of the item, crediting exactly the refund amount, the invoice's taxes included in it."""
	return vouchers.make_credit_note(
		request.sales_invoice,
		feedback.item_code,
		1,
		flt(feedback.refund_amount),
		_remark(feedback),
		title=_("Cannot submit the repair feedback"),
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
