# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Compensation (赔偿): a thin adapter. The rules and the posting plans are in
service_control.core.compensation; this controller loads the figures, records who approved, and
on submit creates, submits and links ERPNext's own voucher (never twice); on cancel it cancels
the voucher first.

It is the one approval gate for money towards a customer: a complaint's claim, or the refund or
free replacement a Repair Feedback agreed (that form requests the compensation on submit and posts
nothing itself; the settled voucher is linked back to the repair)."""

import frappe
from frappe import _
from frappe.query_builder.functions import IfNull, Sum
from frappe.utils import flt, now_datetime

from service_control.core import compensation as rules
from service_control.service_control import vouchers
from service_control.service_control.history import ImportedHistory
from service_control.setup.accounting_dimension import get_dimension_field
from service_control.utils import domain_errors, get_company_defaults

VOUCHER_DOCTYPES = {
	"journal_entry": "Journal Entry",
	"payment_entry": "Payment Entry",
	"credit_note": "Sales Invoice",
	"replacement_delivery": "Delivery Note",
}


class Compensation(ImportedHistory):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amended_from: DF.Link | None
		approval_level: DF.Literal["Quality Manager", "General Manager"]
		base_total_amount: DF.Currency
		company: DF.Link
		credit_note: DF.Link | None
		credit_qty: DF.Float
		currency: DF.Link
		customer: DF.Link
		customer_complaint: DF.Link | None
		customer_name: DF.Data | None
		delivery_note: DF.Link | None
		description: DF.SmallText | None
		exchange_rate: DF.Float
		freight_amount: DF.Currency
		gm_approved_by: DF.Link | None
		gm_approved_on: DF.Datetime | None
		gm_override: DF.Check
		goods_amount: DF.Currency
		has_physical_return: DF.Check
		is_history: DF.Check
		item_code: DF.Link | None
		journal_entry: DF.Link | None
		labour_amount: DF.Currency
		naming_series: DF.Literal["COMP-.YYYY.-"]
		no_return_reason: DF.SmallText | None
		other_amount: DF.Currency
		paid_from_account: DF.Link | None
		payment_entry: DF.Link | None
		penalty_amount: DF.Currency
		posted_amount: DF.Currency
		posting_date: DF.Date
		quality_approved_by: DF.Link | None
		quality_approved_on: DF.Datetime | None
		recovered_amount: DF.Currency
		repair_feedback: DF.Link | None
		repair_request: DF.Link | None
		replacement_delivery: DF.Link | None
		replacement_qty: DF.Float
		replacement_serial_no: DF.Link | None
		replacement_warehouse: DF.Link | None
		requested_by: DF.Link | None
		responsibility: DF.Data | None
		sales_invoice: DF.Link | None
		settlement_method: DF.Literal["Journal Entry", "Credit Note", "Payment Entry", "Free Replacement"]
		status: DF.Literal[
			"Draft",
			"Pending Quality Approval",
			"Pending General Manager Approval",
			"Approved",
			"Rejected",
			"Settled",
			"Cancelled",
		]
		supplier: DF.Link | None
		supplier_recovery: DF.Link | None
		total_amount: DF.Currency
		voucher_reference: DF.Data | None
	# end: auto-generated types

	def before_insert(self):
		self.requested_by = frappe.session.user

	def before_validate(self):
		if not self.currency and self.company:
			self.currency = rules.claim_currency(self._company_currency(), self._invoice()[1])

	def validate(self):
		before = self.get_doc_before_save()
		self._keep_controller_fields(before)
		source = self._source()
		self.total_amount = rules.total_of(self.as_dict())
		self.has_physical_return = int(
			rules.has_physical_evidence(source.kind, has_physical_return(self.customer_complaint))
		)
		self.responsibility = source.responsibility
		self.exchange_rate = self._exchange_rate()
		self.base_total_amount = rules.base_amount(self.total_amount, self.exchange_rate)
		defaults = get_company_defaults(self.company)
		roles = frappe.get_roles()
		old_status = before.status if before else None
		if source.customer != self.customer or source.company != self.company:
			frappe.throw(
				_("Customer and company must be those of {0} {1}.").format(_(source.kind), source.name),
				title=_("Invalid compensation"),
			)
		with domain_errors(title=_("Invalid compensation")):
			rules.check_override(bool(before and before.gm_override), bool(self.gm_override), roles)
			if not self.is_history:
				rules.check_locked(old_status, self._changed_fields(before))
			rules.validate_claim(self._claim(source))
			if self.is_history:  # what was paid before the app: no approval here, no voucher posted
				rules.check_history(self.status, self.voucher_reference, self.posted_amount)
				return
			approvers = self.approvers(defaults)
			self.approval_level = approvers[-1]
			role = rules.check_approval_step(
				old_status,
				self.status,
				approvers,
				frappe.session.user,
				self.requested_by or self.owner,
				roles,
			)
		self._record_approval(old_status, role)

	def before_submit(self):
		if self.settlement_method == rules.FREE_REPLACEMENT and not frappe.has_permission(
			"Delivery Note", "submit"
		):
			frappe.throw(
				_(
					"A free replacement leaves stock on a Delivery Note: it is settled by a user who may "
					"submit Delivery Notes."
				),
				frappe.PermissionError,
				title=_("Not permitted"),
			)
		if self.status == rules.APPROVED:
			self.status = rules.SETTLED
		if self.is_history:
			return  # imported history was settled before the app
		with domain_errors(title=_("Not approved")):
			rules.check_ready_to_settle(
				self.status,
				self.approvers(get_company_defaults(self.company)),
				self.quality_approved_by,
				self.gm_approved_by,
			)

	def on_submit(self):
		if self.is_history:
			return  # paid before the app by the voucher it names: nothing is posted again
		self.settle()
		self._link_to_repair(settled=True)

	def before_cancel(self):
		self.status = rules.CANCELLED

	def on_cancel(self):
		# the repair form that asked for it keeps its link: reversing the money is Accounts' call
		self.ignore_linked_doctypes = (
			"GL Entry",
			"Payment Ledger Entry",
			"Repair Feedback",
			*VOUCHER_DOCTYPES.values(),
		)
		self._link_to_repair(settled=False)  # first: a submitted form linking a voucher blocks its cancel
		vouchers.cancel_submitted(
			[
				("Journal Entry", self.supplier_recovery),
				*((VOUCHER_DOCTYPES[f], self.get(f)) for f in rules.vouchers_to_cancel(self._vouchers())),
			]
		)

	# --------------------------------------------------------------------------------------

	def approvers(self, defaults) -> tuple[str, ...]:
		"""The limits are in the company currency: the amount is compared converted."""
		return rules.required_approvers(
			self.base_total_amount,
			defaults.get("quality_manager_limit"),
			bool(self.has_physical_return),
			self.responsibility,
			defaults.get("supplier_claim_limit"),
			bool(self.gm_override),
		)

	def settle(self) -> None:
		"""Create, submit and link what the settlement method needs; a linked voucher is kept.

		The links are read from the database (locked) as well as from this object, so a retried
		submit or a stale copy of the document never posts a voucher twice."""
		linked = (
			frappe.db.get_value(
				"Compensation", self.name, list(VOUCHER_DOCTYPES), as_dict=True, for_update=True
			)
			or {}
		)
		for field in VOUCHER_DOCTYPES:
			if not self.get(field) and linked.get(field):
				self.set(field, linked[field])
		for field in rules.vouchers_to_create(self.settlement_method, self._vouchers()):
			name = getattr(self, f"_make_{field}")()
			self.db_set(field, name)
		self.db_set("posted_amount", posted_amount(*self.cost_voucher()))

	def cost_voucher(self) -> tuple[str, str | None]:
		"""The voucher that carries the cost of the compensation in the GL."""
		if self.settlement_method == rules.CREDIT_NOTE:
			return "Sales Invoice", self.credit_note
		if self.settlement_method == rules.FREE_REPLACEMENT:
			return "Delivery Note", self.replacement_delivery
		return "Journal Entry", self.journal_entry

	def _vouchers(self) -> dict:
		return {field: self.get(field) for field in VOUCHER_DOCTYPES}

	def _keep_controller_fields(self, before) -> None:
		"""Approvals and links are written by this controller only, never by the form."""
		for field in (
			"requested_by",
			"quality_approved_by",
			"quality_approved_on",
			"gm_approved_by",
			"gm_approved_on",
			"supplier_recovery",
			"recovered_amount",
			*VOUCHER_DOCTYPES,
		):
			self.set(
				field, before.get(field) if before else (self.get(field) if field == "requested_by" else None)
			)

	def _changed_fields(self, before) -> list[str]:
		if not before:
			return []
		return [f for f in rules.APPROVED_FIELDS if self.get(f) != before.get(f)]

	def _source(self) -> frappe._dict:
		"""The complaint or repair feedback the compensation answers, as far as the rules need it."""
		with domain_errors(title=_("Invalid compensation")):
			kind = rules.source_of(self.customer_complaint, self.repair_feedback)
		if kind == rules.SOURCE_COMPLAINT:
			source = frappe.db.get_value(
				"Customer Complaint",
				self.customer_complaint,
				["name", "status", "customer", "company", "responsibility"],
				as_dict=True,
			)
		else:
			source = frappe.db.get_value(
				"Repair Feedback",
				self.repair_feedback,
				["name", "docstatus", "customer", "company", "repair_request"],
				as_dict=True,
			)
			if source:
				source.status = ("Draft", "Submitted", "Cancelled")[source.docstatus]
				self.repair_request = source.repair_request
		if not source:
			frappe.throw(
				_("{0} {1} does not exist.").format(_(kind), self.customer_complaint or self.repair_feedback)
			)
		source.kind = kind
		return source

	def _company_currency(self) -> str:
		return frappe.get_cached_value("Company", self.company, "default_currency")

	def _invoice(self) -> tuple[float | None, str | None]:
		"""The value (company currency) and currency of the invoice, else the delivery, claimed on."""
		reference = ("Sales Invoice", self.sales_invoice) if self.sales_invoice else None
		if not reference and self.delivery_note:
			reference = ("Delivery Note", self.delivery_note)
		if not reference:
			return None, None
		return frappe.db.get_value(reference[0], reference[1], ["base_grand_total", "currency"]) or (
			None,
			None,
		)

	def _exchange_rate(self) -> float:
		"""From the compensation's currency to the company's: ERPNext's rate on the posting date,
		or the invoice's for a credit note (0 when none is known: the core then says so)."""
		from erpnext.setup.utils import get_exchange_rate

		company_currency = self._company_currency()
		if not self.currency or self.currency == company_currency:
			return 1.0
		invoice_rate = None
		if self.settlement_method == rules.CREDIT_NOTE and self.sales_invoice:
			invoice_rate = frappe.db.get_value("Sales Invoice", self.sales_invoice, "conversion_rate")
		return flt(
			rules.settlement_rate(
				self.settlement_method,
				flt(invoice_rate),
				lambda: flt(get_exchange_rate(self.currency, company_currency, self.posting_date)),
			),
			9,
		)

	def _party_currency(self) -> str | None:
		from erpnext.accounts.party import get_party_account_currency

		if not (self.customer and self.company):
			return None
		return get_party_account_currency("Customer", self.customer, self.company)

	def _claim(self, source) -> rules.ClaimFacts:
		invoice_value, invoice_currency = self._invoice()
		return rules.ClaimFacts(
			amount=self.total_amount,
			currency=self.currency,
			company_currency=self._company_currency(),
			settlement_method=self.settlement_method,
			source_status=source.status,
			source=source.kind,
			breakdown=self.as_dict(),
			invoice_value=invoice_value,
			invoice_currency=invoice_currency,
			gm_override=bool(self.gm_override),
			has_physical_return=bool(self.has_physical_return),
			no_return_reason=self.no_return_reason,
			sales_invoice=self.sales_invoice,
			replacement_qty=flt(self.replacement_qty),
			exchange_rate=flt(self.exchange_rate),
			posting_date=self.posting_date,
			party_currency=self._party_currency(),
		)

	def _link_to_repair(self, settled: bool) -> None:
		"""A repair's refund or replacement shows on its feedback and request once settled."""
		if not self.repair_feedback:
			return
		links = {
			"credit_note": self.credit_note if settled else None,
			"replacement_delivery_note": self.replacement_delivery if settled else None,
		}
		# an amended compensation settles in place of the one cancelled
		feedback_links = {**links, "compensation": self.name} if settled else links
		frappe.db.set_value("Repair Feedback", self.repair_feedback, feedback_links)
		request = frappe.get_doc("Repair Request", self.repair_request)
		request.credit_note = links["credit_note"]
		request.replacement_delivery_note = links["replacement_delivery_note"]
		request.replacement_serial_no = self.replacement_serial_no if settled else None
		request.refresh_from_feedback()

	def _record_approval(self, old_status: str | None, role: str | None) -> None:
		now = now_datetime()
		if role == rules.QUALITY_MANAGER and self.status != rules.REJECTED:
			self.quality_approved_by, self.quality_approved_on = frappe.session.user, now
		elif role == rules.GENERAL_MANAGER and self.status != rules.REJECTED:
			self.gm_approved_by, self.gm_approved_on = frappe.session.user, now
		if self.status in (rules.REJECTED, rules.PENDING_QUALITY) and old_status != self.status:
			if self.status == rules.PENDING_QUALITY:
				self.quality_approved_by = self.quality_approved_on = None
			self.gm_approved_by = self.gm_approved_on = None
			if self.status == rules.REJECTED:
				self.quality_approved_by = self.quality_approved_on = None

	# ----- vouchers ------------------------------------------------------------------------

	def _accounts(self) -> rules.Accounts:
		from erpnext.accounts.party import get_party_account

		defaults = get_company_defaults(self.company)
		company = frappe.get_cached_value(
			"Company",
			self.company,
			["cost_center", "default_cash_account", "default_bank_account"],
			as_dict=True,
		)
		return rules.Accounts(
			compensation_expense=defaults.get("compensation_expense_account"),
			receivable=get_party_account("Customer", self.customer, self.company),
			cost_center=company.cost_center,
			bank=self.paid_from_account or company.default_cash_account or company.default_bank_account,
			exchange_rate=flt(self.exchange_rate) or 1,
		)

	def _remark(self) -> str:
		if self.repair_feedback:
			return _("Compensation {0} for repair feedback {1}").format(self.name, self.repair_feedback)
		return _("Compensation {0} for complaint {1}").format(self.name, self.customer_complaint)

	def _make_journal_entry(self) -> str:
		dimension = get_dimension_field()
		with domain_errors(title=_("Cannot post the compensation")):
			lines = rules.journal_lines(
				self.total_amount, self._accounts(), self.customer, dimension, self.customer_complaint
			)
		return vouchers.make_journal_entry(self.company, self.posting_date, self._remark(), lines)

	def _make_payment_entry(self) -> str:
		with domain_errors(title=_("Cannot post the compensation")):
			plan = rules.payment_plan(self.total_amount, self._accounts(), self.customer)
		pe = frappe.new_doc("Payment Entry")
		pe.update(
			{
				**plan,
				"company": self.company,
				"posting_date": self.posting_date,
				"reference_no": self.name,
				"reference_date": self.posting_date,
				"remarks": self._remark(),
			}
		)
		dimension = get_dimension_field()
		if dimension and pe.meta.has_field(dimension):
			pe.set(dimension, self.customer_complaint)
		# ERPNext lists only positive outstanding vouchers (or return invoices) to allocate a
		# payment to a customer against, so the payment stays unallocated; it nets the journal's
		# credit on the customer's receivable (Payment Reconciliation can match the two).
		pe.setup_party_account_field()
		pe.set_missing_values()
		return vouchers.insert_and_submit(pe)

	def _make_credit_note(self) -> str:
		return vouchers.make_credit_note(
			self.sales_invoice,
			self.item_code,
			flt(self.credit_qty),
			self.total_amount,
			self._remark(),
			complaint=self.customer_complaint,
			posting_date=self.posting_date,
			title=_("Cannot post the compensation"),
		)

	def _make_replacement_delivery(self) -> str:
		defaults = get_company_defaults(self.company)
		with domain_errors(title=_("Cannot post the compensation")):
			plan = rules.replacement_plan(
				self.item_code,
				flt(self.replacement_qty),
				self.replacement_warehouse or defaults.get("sellable_warehouse"),
				defaults.get("compensation_expense_account"),
			)
		return vouchers.make_replacement_delivery(
			self.company,
			self.customer,
			plan["item_code"],
			plan["qty"],
			plan["warehouse"],
			self._remark(),
			expense_account=plan["expense_account"],
			serial_no=self.replacement_serial_no,
			currency=self.currency,
			conversion_rate=flt(self.exchange_rate) or 1,
			posting_date=self.posting_date,
			complaint=self.customer_complaint,
		)


@frappe.whitelist()
def make_supplier_recovery(name: str, amount: float | None = None) -> str:
	"""Recover (part of) a settled compensation from the responsible supplier with a Journal
	Entry: Dr the supplier's payable, Cr compensation expense. Made once: the compensation's row is
	locked before the check, so a second request waits and is told which journal exists."""
	from erpnext.accounts.party import get_party_account

	frappe.has_permission("Compensation", "submit", name, throw=True)
	existing = frappe.db.get_value("Compensation", name, "supplier_recovery", for_update=True)
	if existing:
		frappe.msgprint(
			_("Compensation {0} was already recovered from the supplier by Journal Entry {1}.").format(
				name, existing
			),
			title=_("Already recovered"),
		)
		return existing
	doc = frappe.get_doc("Compensation", name)
	if doc.docstatus != 1:
		frappe.throw(_("Settle the compensation before recovering it from the supplier."))
	if doc.responsibility != rules.RESPONSIBILITY_SUPPLIER:
		frappe.throw(_("The complaint's responsibility is not the supplier's."))
	accounts = doc._accounts()
	with domain_errors(title=_("Cannot recover from the supplier")):
		lines = rules.recovery_lines(
			flt(amount) or doc.base_total_amount,
			doc.base_total_amount,
			get_party_account("Supplier", doc.supplier, doc.company) if doc.supplier else None,
			accounts.compensation_expense,
			doc.supplier,
			accounts.cost_center,
			get_dimension_field(),
			doc.customer_complaint,
		)
	je_name = vouchers.make_journal_entry(
		doc.company,
		frappe.utils.today(),
		_("Recovery from supplier {0} of compensation {1}").format(doc.supplier, doc.name),
		lines,
	)
	doc.db_set({"supplier_recovery": je_name, "recovered_amount": lines[0]["debit_in_account_currency"]})
	return je_name


def has_physical_return(complaint: str | None) -> bool:
	"""A submitted return Delivery Note or Sales Invoice made for the complaint."""
	return bool(complaint) and any(
		frappe.db.exists(doctype, {"sc_customer_complaint": complaint, "is_return": 1, "docstatus": 1})
		for doctype in ("Delivery Note", "Sales Invoice")
		if frappe.get_meta(doctype).has_field("sc_customer_complaint")
	)


def posted_amount(voucher_type: str, voucher_no: str | None) -> float:
	"""What the voucher debited to accounts other than the party's: the compensation's cost."""
	if not voucher_no:
		return 0.0
	return gl_amounts([(voucher_type, voucher_no)]).get((voucher_type, voucher_no), 0.0)


def gl_amounts(vouchers: list[tuple[str, str]]) -> dict[tuple[str, str], float]:
	"""Debits of each (voucher type, voucher) to accounts other than the party's, in one query."""
	if not vouchers:
		return {}
	gle = frappe.qb.DocType("GL Entry")
	result = (
		frappe.qb.from_(gle)
		.select(gle.voucher_type, gle.voucher_no, Sum(gle.debit))
		.where(gle.voucher_no.isin([v[1] for v in vouchers]))
		.where(gle.is_cancelled == 0)
		.where(IfNull(gle.party, "") == "")
		.groupby(gle.voucher_type, gle.voucher_no)
		.run()
	)
	return {(vt, vn): flt(amount) for vt, vn, amount in result}


def on_doctype_update():
	frappe.db.add_index("Compensation", ["company", "posting_date"])
