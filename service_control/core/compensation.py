"""Compensation (赔偿): the claim's rules, approval by amount and the ledger lines of each settlement.

Procedure 赔偿程序: quality proposes, the quality manager approves; claims above the company's
limit, claims without any returned goods and large claims involving a supplier also need the
general manager; finance carries out the settlement. The adapter loads the figures, calls these
functions and creates ERPNext's own vouchers from the plans they return.

This is the one gate for money that leaves the company towards a customer: a complaint's claim,
and a refund or free replacement agreed on a repair (the repair feedback requests a compensation
and posts nothing itself), pass the same approval by amount before any voucher posts.

A claim is in the company currency or in its invoice's currency (the customer's); ``exchange_rate``
converts it to the company currency, in which the approval limits and the invoice value are
compared and the GL is kept. Nothing here rounds money for display; ``round2`` keeps ledger lines
at two decimals so a plan is balanced exactly as ERPNext will check it.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from service_control.core.errors import CompensationError, _

QUALITY_MANAGER = "Quality Manager"
GENERAL_MANAGER = "General Manager"
SYSTEM_MANAGER = "System Manager"

CREDIT_NOTE = "Credit Note"
JOURNAL_ENTRY = "Journal Entry"
PAYMENT_ENTRY = "Payment Entry"
FREE_REPLACEMENT = "Free Replacement"
SETTLEMENT_METHODS = (CREDIT_NOTE, JOURNAL_ENTRY, PAYMENT_ENTRY, FREE_REPLACEMENT)

BREAKDOWN_FIELDS = ("goods_amount", "freight_amount", "labour_amount", "penalty_amount", "other_amount")

# Approval states (the Workflow's states; the guards below hold whatever the workflow says).
DRAFT = "Draft"
PENDING_QUALITY = "Pending Quality Approval"
PENDING_GM = "Pending General Manager Approval"
APPROVED = "Approved"
REJECTED = "Rejected"
SETTLED = "Settled"
CANCELLED = "Cancelled"
STATUSES = (DRAFT, PENDING_QUALITY, PENDING_GM, APPROVED, REJECTED, SETTLED, CANCELLED)

RESPONSIBILITY_SUPPLIER = "Supplier"

#: What a compensation answers: a customer complaint, or a repair's refund or replacement.
SOURCE_COMPLAINT = "Customer Complaint"
SOURCE_REPAIR = "Repair Feedback"
#: Repair results that give the customer money or goods, and how each is settled.
REPAIR_SETTLEMENT = {"Refunded": CREDIT_NOTE, "Replaced": FREE_REPLACEMENT}


def round2(value: float) -> float:
	return round(float(value or 0) + 0.0, 2)


def base_amount(amount: float, exchange_rate: float) -> float:
	"""``amount`` in the company currency, rounded as ERPNext rounds a converted ledger amount."""
	return round2(float(amount or 0) * float(exchange_rate or 0))


def source_of(customer_complaint: str | None, repair_feedback: str | None) -> str:
	"""The one record a compensation answers."""
	if customer_complaint and repair_feedback:
		raise CompensationError(_("A compensation answers a complaint or a repair, not both."))
	if not (customer_complaint or repair_feedback):
		raise CompensationError(_("Choose the customer complaint this compensation answers."))
	return SOURCE_COMPLAINT if customer_complaint else SOURCE_REPAIR


def has_physical_evidence(source: str, goods_returned: bool) -> bool:
	"""Whether the claim rests on goods the company has seen. A complaint needs a sales return; a
	repair's unit was examined by the service technician, which is the evidence a return gives."""
	return goods_returned or source == SOURCE_REPAIR


def repair_claim(result: str | None, refund_amount: float, replacement_value: float) -> dict | None:
	"""What a repair's result asks of the money gate, or None: a refund is credited on the invoice,
	a replacement unit delivered free; one unit each, worth the refund agreed or the replacement
	unit's stock value (what the approvers weigh against their limits)."""
	method = REPAIR_SETTLEMENT.get(result or "")
	if not method:
		return None
	amount = round2(refund_amount if method == CREDIT_NOTE else replacement_value)
	if amount <= 0:
		if method == CREDIT_NOTE:
			raise CompensationError(_("The refund amount must be greater than zero."))
		raise CompensationError(
			_("The replacement unit has no stock value to approve: set the item's valuation rate.")
		)
	qty_field = "credit_qty" if method == CREDIT_NOTE else "replacement_qty"
	return {"settlement_method": method, "goods_amount": amount, qty_field: 1}


def settlement_rate(method: str, invoice_rate: float | None, posting_date_rate: Callable[[], float]) -> float:
	"""The exchange rate a foreign-currency claim is weighed and posted at: the posting date's,
	except for a credit note, which ERPNext books at the rate of the invoice it returns against
	(``posting_date_rate`` is only asked for when it is the one used)."""
	if method == CREDIT_NOTE and invoice_rate:
		return float(invoice_rate)
	return float(posting_date_rate() or 0)


def claim_currency(company_currency: str, invoice_currency: str | None) -> str:
	"""A new claim is in the currency the customer was invoiced in, else the company's."""
	return invoice_currency or company_currency


# ------------------------------------------------------------------------------------------
# Approval routing


def required_approvers(
	amount: float,
	quality_manager_limit: float,
	has_physical_return: bool,
	responsibility: str | None = None,
	supplier_claim_limit: float | None = None,
	gm_override: bool = False,
) -> tuple[str, ...]:
	"""Who has to approve, in order: the quality manager always, the general manager when
	the amount is above the quality manager's limit, when nothing physical came back, when
	a supplier is responsible and the amount is above the supplier-claim limit, or when the
	general manager allowed more than the invoice value."""
	if quality_manager_limit is None or quality_manager_limit < 0:
		raise CompensationError(_("Set the Quality Manager's approval limit for the company in settings."))
	needs_gm = (
		round2(amount) > round2(quality_manager_limit)
		or not has_physical_return
		or gm_override
		or (responsibility == RESPONSIBILITY_SUPPLIER and round2(amount) > round2(supplier_claim_limit or 0))
	)
	return (QUALITY_MANAGER, GENERAL_MANAGER) if needs_gm else (QUALITY_MANAGER,)


#: (from, to): the approval steps and which role takes each one.
APPROVAL_STEPS = {
	(DRAFT, PENDING_QUALITY): None,
	(REJECTED, PENDING_QUALITY): None,
	(PENDING_QUALITY, APPROVED): QUALITY_MANAGER,
	(PENDING_QUALITY, PENDING_GM): QUALITY_MANAGER,
	(PENDING_GM, APPROVED): GENERAL_MANAGER,
	(PENDING_QUALITY, REJECTED): QUALITY_MANAGER,
	(PENDING_GM, REJECTED): GENERAL_MANAGER,
}


def check_approval_step(
	old: str | None,
	new: str,
	approvers: tuple[str, ...],
	user: str,
	requested_by: str,
	roles: Iterable[str],
) -> str | None:
	"""Raise unless ``old`` → ``new`` is an approval step this user may take.

	Returns the role that approved (to record who approved at which level), or None for a step
	that is no approval (submitting for approval, a rejection is recorded the same way).
	"""
	if old is None:
		old = DRAFT
	if old == new or new in (SETTLED, CANCELLED):
		return None
	if (old, new) not in APPROVAL_STEPS:
		raise CompensationError(_("A compensation cannot go from {0} to {1}."), old, new)
	role = APPROVAL_STEPS[(old, new)]
	if role is None:
		return None
	roles = set(roles)
	if role not in roles and SYSTEM_MANAGER not in roles:
		raise CompensationError(_("Only a {0} can take this step."), role)
	if user == requested_by:
		raise CompensationError(_("You requested this compensation: someone else has to approve it."))
	if new == APPROVED and old == PENDING_QUALITY and GENERAL_MANAGER in approvers:
		raise CompensationError(
			_("This compensation also needs the General Manager's approval: send it on instead.")
		)
	if new == PENDING_GM and GENERAL_MANAGER not in approvers:
		raise CompensationError(_("This compensation is within the Quality Manager's limit: approve it."))
	return role


#: The statuses a compensation of imported history comes in with: what was paid, or refused.
HISTORY_STATUSES = (SETTLED, REJECTED)


def check_history(status: str, voucher_reference: str | None, paid_amount: float | None) -> None:
	"""A compensation of imported history records what was paid before the app, and posts
	nothing: it comes in Settled (or Rejected), and a settled one names the voucher that paid it
	or the amount it posted."""
	if status not in HISTORY_STATUSES:
		raise CompensationError(_("An imported compensation is Settled or Rejected, not {0}."), status)
	if status == SETTLED and not ((voucher_reference or "").strip() or round2(paid_amount or 0) > 0):
		raise CompensationError(
			_("An imported settled compensation needs the voucher reference or the amount paid.")
		)


def check_ready_to_settle(
	status: str,
	approvers: tuple[str, ...],
	quality_approved_by: str | None,
	gm_approved_by: str | None,
) -> None:
	"""Submission (settlement) needs every approval the amount requires."""
	if status not in (APPROVED, SETTLED):
		raise CompensationError(_("Only an approved compensation can be settled (status is {0})."), status)
	if not quality_approved_by:
		raise CompensationError(_("The Quality Manager has not approved this compensation."))
	if GENERAL_MANAGER in approvers and not gm_approved_by:
		raise CompensationError(_("The General Manager has not approved this compensation."))


# ------------------------------------------------------------------------------------------
# The claim itself


@dataclass
class ClaimFacts:
	amount: float
	currency: str
	company_currency: str
	settlement_method: str
	source_status: str
	breakdown: Mapping[str, float] = field(default_factory=dict)
	invoice_value: float | None = None  # grand total of the complaint's invoice / delivery
	invoice_currency: str | None = None
	gm_override: bool = False
	has_physical_return: bool = True
	no_return_reason: str | None = None
	sales_invoice: str | None = None
	replacement_qty: float = 0
	source: str = SOURCE_COMPLAINT
	exchange_rate: float = 1.0
	posting_date: object = None  # for the message when no exchange rate is known
	party_currency: str | None = None  # the customer's receivable account currency

	@property
	def base_amount(self) -> float:
		return base_amount(self.amount, self.exchange_rate)


#: Methods that credit or pay the customer's receivable, in its currency.
RECEIVABLE_METHODS = (CREDIT_NOTE, JOURNAL_ENTRY, PAYMENT_ENTRY)


def total_of(breakdown: Mapping[str, float]) -> float:
	return round2(sum(float(breakdown.get(f) or 0) for f in BREAKDOWN_FIELDS))


def validate_claim(facts: ClaimFacts) -> None:
	if facts.source == SOURCE_REPAIR:
		if facts.source_status != "Submitted":
			raise CompensationError(
				_("Only a submitted repair feedback can ask for a refund or a replacement.")
			)
	elif facts.source_status == "Cancelled":
		raise CompensationError(_("The complaint is cancelled: no compensation can be claimed on it."))
	for fieldname in BREAKDOWN_FIELDS:
		if float(facts.breakdown.get(fieldname) or 0) < 0:
			raise CompensationError(_("The amounts of the breakdown cannot be negative."))
	if round2(facts.amount) <= 0:
		raise CompensationError(_("The compensation amount must be greater than zero."))
	check_currency(facts)
	if (
		facts.invoice_value is not None
		and facts.base_amount > round2(facts.invoice_value)
		and not facts.gm_override
	):
		raise CompensationError(
			_(
				"The compensation {0} is above the invoice value {1}: only with the General Manager's override."
			),
			facts.base_amount,
			round2(facts.invoice_value),
		)
	if not facts.has_physical_return and not (facts.no_return_reason or "").strip():
		raise CompensationError(_("No goods came back: give the reason for a claim without a return."))
	if facts.settlement_method not in SETTLEMENT_METHODS:
		raise CompensationError(_("Choose how the compensation is settled."))
	if facts.settlement_method == CREDIT_NOTE and not facts.sales_invoice:
		raise CompensationError(_("A credit note needs the Sales Invoice it credits."))
	if facts.settlement_method == FREE_REPLACEMENT and (facts.replacement_qty or 0) <= 0:
		raise CompensationError(_("Give the quantity to replace free of charge."))


def check_currency(facts: ClaimFacts) -> None:
	"""The company's currency, or the invoice's with the exchange rate of the posting date; a
	voucher on the customer's receivable is in that account's currency, as ERPNext requires."""
	if facts.currency != facts.company_currency and facts.currency != facts.invoice_currency:
		raise CompensationError(
			_("The compensation is in {0}: use the company's currency {1} or the invoice's currency."),
			facts.currency,
			facts.company_currency,
		)
	if facts.settlement_method == CREDIT_NOTE and facts.invoice_currency not in (None, facts.currency):
		raise CompensationError(
			_("The invoice is in {0}, the compensation in {1}: a credit note is in the invoice's currency."),
			facts.invoice_currency,
			facts.currency,
		)
	if (
		facts.settlement_method in RECEIVABLE_METHODS
		and facts.party_currency
		and facts.party_currency != facts.currency
	):
		raise CompensationError(
			_("The customer's receivable account is in {0}: settle the compensation in {0}, not {1}."),
			facts.party_currency,
			facts.currency,
		)
	if facts.currency == facts.company_currency:
		if round(float(facts.exchange_rate or 0), 9) != 1:
			raise CompensationError(_("A compensation in the company's currency has the exchange rate 1."))
	elif float(facts.exchange_rate or 0) <= 0:
		raise CompensationError(
			_("There is no exchange rate from {0} to {1} on {2}: add a Currency Exchange record."),
			facts.currency,
			facts.company_currency,
			facts.posting_date,
		)


# ------------------------------------------------------------------------------------------
# Posting plans: plain dicts the adapter turns into ERPNext documents


@dataclass(frozen=True)
class Accounts:
	compensation_expense: str | None
	receivable: str | None
	cost_center: str | None = None
	bank: str | None = None
	exchange_rate: float = 1.0  # compensation currency -> company currency


def _require(value: str | None, message: str) -> str:
	if not value:
		raise CompensationError(message)
	return value


def journal_lines(
	amount: float,
	accounts: Accounts,
	customer: str,
	dimension_field: str | None = None,
	dimension_value: str | None = None,
) -> list[dict]:
	"""Dr compensation expense, Cr the customer's receivable (with the party): the customer is owed
	the amount, which a later payment or a netting against open invoices settles. In a foreign
	currency the receivable is credited in its own currency at the exchange rate and the expense
	is debited with the same amount in the company currency (a multi-currency journal)."""
	amount = round2(amount)
	if amount <= 0:
		raise CompensationError(_("The compensation amount must be greater than zero."))
	expense = _require(
		accounts.compensation_expense, _("Set the compensation expense account for the company in settings.")
	)
	receivable = _require(accounts.receivable, _("The customer has no receivable account for the company."))
	dims = {dimension_field: dimension_value} if dimension_field and dimension_value else {}
	rate = float(accounts.exchange_rate or 1)
	foreign = {"exchange_rate": rate} if rate != 1 else {}
	lines = [
		{
			"account": expense,
			"debit_in_account_currency": base_amount(amount, rate),
			"credit_in_account_currency": 0,
			"cost_center": accounts.cost_center,
			**dims,
		},
		{
			"account": receivable,
			"party_type": "Customer",
			"party": customer,
			"debit_in_account_currency": 0,
			"credit_in_account_currency": amount,
			"cost_center": accounts.cost_center,
			**foreign,
			**dims,
		},
	]
	check_balanced(lines)
	return lines


def check_balanced(lines: Iterable[Mapping]) -> None:
	"""Debits equal credits in the company currency (each line at its exchange rate, default 1)."""
	lines = list(lines)

	def total(side: str) -> float:
		return round2(
			sum(
				base_amount(line.get(f"{side}_in_account_currency"), line.get("exchange_rate") or 1)
				for line in lines
			)
		)

	debit, credit = total("debit"), total("credit")
	if debit != credit:
		raise CompensationError(_("The journal is not balanced: debit {0}, credit {1}."), debit, credit)


def payment_plan(amount: float, accounts: Accounts, customer: str) -> dict:
	"""A Payment Entry paying the customer out of the bank account: Dr receivable (party), Cr bank.
	Paired with the journal above it nets to Dr compensation expense, Cr bank. The bank pays in the
	company currency; the receivable receives ``amount`` in its own currency at the exchange rate."""
	amount = round2(amount)
	bank = _require(accounts.bank, _("The company has no default bank or cash account to pay from."))
	receivable = _require(accounts.receivable, _("The customer has no receivable account for the company."))
	rate = float(accounts.exchange_rate or 1)
	return {
		"payment_type": "Pay",
		"party_type": "Customer",
		"party": customer,
		"paid_from": bank,
		"paid_to": receivable,
		"paid_amount": base_amount(amount, rate),
		"received_amount": amount,
		"source_exchange_rate": 1,
		"target_exchange_rate": rate,
	}


@dataclass(frozen=True)
class InvoiceLine:
	row_name: str
	item_code: str
	rate: float
	returnable_qty: float  # invoiced minus already credited


#: Taxes that ERPNext can include in an item's rate (``included_in_print_rate``).
TAXES_IN_RATE = ("On Net Total", "On Previous Row Amount", "On Previous Row Total")
FIXED_CHARGE = "Actual"


def credit_note_taxes(taxes: Iterable[tuple[str, int | str | None]]) -> list[tuple[int, int | None]]:
	"""The tax rows a credit note keeps, from the invoice's (charge_type, row_id) rows: a list of
	(position in the invoice's table, new row_id). Every kept row is included in the item rate, so
	the approved amount is what the customer is credited tax included and the credit note's grand
	total (and its GL) equals the approved amount. Fixed charges ("Actual", e.g. freight billed on
	the invoice) are dropped: the breakdown already says what of them is refunded. A tax ERPNext
	cannot include in a rate (per quantity) stops the credit note: settle by Journal Entry."""
	kept: list[int] = []
	out: list[tuple[int, int | None]] = []
	for position, (charge_type, row_id) in enumerate(taxes):
		if charge_type == FIXED_CHARGE:
			continue
		if charge_type not in TAXES_IN_RATE:
			raise CompensationError(
				_(
					"Tax row {0} of the invoice ({1}) cannot be included in a credit note's rate: "
					"settle this compensation by Journal Entry."
				),
				position + 1,
				charge_type,
			)
		new_row_id = None
		if charge_type != "On Net Total":
			referred = int(row_id or 0) - 1
			if referred not in kept:
				raise CompensationError(
					_(
						"Tax row {0} of the invoice is computed on a fixed charge: "
						"settle this compensation by Journal Entry."
					),
					position + 1,
				)
			new_row_id = kept.index(referred) + 1
		kept.append(position)
		out.append((position, new_row_id))
	return out


def credit_note_lines(
	lines: Iterable[InvoiceLine], item_code: str | None, qty: float, amount: float
) -> list[dict]:
	"""The rows of a credit note (return Sales Invoice) worth ``amount``: the complaint's item,
	``qty`` of it, at ``amount / qty`` (never above the invoiced rate, never more than is still
	returnable). Rows are keyed by the invoice row, as ERPNext's return mapping keys them. With
	taxes (see ``credit_note_taxes``) the credit rate includes them; ERPNext still refuses a return
	rate above the invoiced rate, so that stays the cap."""
	amount = round2(amount)
	if qty <= 0:
		raise CompensationError(_("Give the quantity the credit note refers to."))
	candidates = [line for line in lines if not item_code or line.item_code == item_code]
	if not candidates:
		raise CompensationError(_("Item {0} is not on the invoice."), item_code)
	line = max(candidates, key=lambda ln: ln.returnable_qty)
	if qty > line.returnable_qty:
		raise CompensationError(
			_("Only {0} of item {1} can still be credited on the invoice, not {2}."),
			line.returnable_qty,
			line.item_code,
			qty,
		)
	rate = round2(amount / qty)
	if round2(rate * qty) != amount:
		raise CompensationError(
			_("{0} does not divide into {1} equal units: change the quantity or the amount."), amount, qty
		)
	if rate > round2(line.rate):
		raise CompensationError(
			_("A credit of {0} per unit is above the invoiced rate {1}: use a Journal Entry instead."),
			rate,
			line.rate,
		)
	return [{"row_name": line.row_name, "item_code": line.item_code, "qty": -qty, "rate": rate}]


def replacement_plan(
	item_code: str | None, qty: float, warehouse: str | None, expense_account: str | None
) -> dict:
	"""A free replacement is a Delivery Note at zero rate whose cost of goods is booked to the
	compensation expense account (not cost of goods sold), so the GL shows it as compensation."""
	if not item_code:
		raise CompensationError(_("The complaint names no item to replace."))
	if qty <= 0:
		raise CompensationError(_("Give the quantity to replace free of charge."))
	_require(warehouse, _("Set the sellable warehouse for the company in settings."))
	_require(expense_account, _("Set the compensation expense account for the company in settings."))
	return free_delivery_row(item_code, qty, warehouse, expense_account)


def free_delivery_row(
	item_code: str, qty: float, warehouse: str | None, expense_account: str | None = None
) -> dict:
	"""A Delivery Note row given free of charge: zero rate, no price list rate, no discount (so
	ERPNext does not fill the rate in from the price list). Without ``expense_account`` ERPNext
	books the cost of goods to its default account."""
	row = {
		"item_code": item_code,
		"qty": qty,
		"rate": 0,
		"price_list_rate": 0,
		"discount_percentage": 0,
		"warehouse": warehouse,
	}
	if expense_account:
		row["expense_account"] = expense_account
	return row


def vouchers_to_create(method: str, existing: Mapping[str, str | None]) -> list[str]:
	"""Which vouchers a settlement still needs (idempotent: a linked voucher is never made twice)."""
	needed = {
		CREDIT_NOTE: ["credit_note"],
		JOURNAL_ENTRY: ["journal_entry"],
		PAYMENT_ENTRY: ["journal_entry", "payment_entry"],
		FREE_REPLACEMENT: ["replacement_delivery"],
	}[method]
	return [field for field in needed if not existing.get(field)]


def vouchers_to_cancel(existing: Mapping[str, str | None]) -> list[str]:
	"""Cancel in reverse order of creation: the payment before the journal it pays."""
	order = ["payment_entry", "journal_entry", "credit_note", "replacement_delivery"]
	return [field for field in order if existing.get(field)]


#: What the approvers approved: changing any of it after the request needs a new approval round.
APPROVED_FIELDS = (
	*BREAKDOWN_FIELDS,
	"customer_complaint",
	"repair_feedback",
	"customer",
	"company",
	"currency",
	"settlement_method",
	"credit_qty",
	"replacement_qty",
	"gm_override",
	"no_return_reason",
	"replacement_serial_no",
	"replacement_warehouse",
)


def check_locked(old_status: str | None, changed_fields: Iterable[str]) -> None:
	"""Once submitted for approval the claim is frozen; a rejection unlocks it."""
	changed = [f for f in changed_fields if f in APPROVED_FIELDS]
	if old_status in (None, DRAFT, REJECTED) or not changed:
		return
	raise CompensationError(
		_("The compensation is {0}: {1} can no longer change. Reject it and submit it again."),
		old_status,
		", ".join(changed),
	)


def check_override(old_value: bool, new_value: bool, roles: Iterable[str]) -> None:
	if new_value and not old_value and not ({GENERAL_MANAGER, SYSTEM_MANAGER} & set(roles)):
		raise CompensationError(_("Only a General Manager can allow an amount above the invoice value."))


def recovery_lines(
	amount: float,
	total: float,
	payable: str | None,
	compensation_expense: str | None,
	supplier: str | None,
	cost_center: str | None = None,
	dimension_field: str | None = None,
	dimension_value: str | None = None,
) -> list[dict]:
	"""Recovery from the responsible supplier: Dr the supplier's payable (with the party), Cr the
	compensation expense, so the net cost of the complaint in the GL is what the company bore."""
	amount = round2(amount)
	if not supplier:
		raise CompensationError(_("The complaint names no responsible supplier to recover from."))
	if amount <= 0:
		raise CompensationError(_("The amount to recover must be greater than zero."))
	if amount > round2(total):
		raise CompensationError(
			_("Cannot recover {0} from the supplier: the compensation was {1}."), amount, round2(total)
		)
	payable = _require(payable, _("The supplier has no payable account for the company."))
	expense = _require(
		compensation_expense, _("Set the compensation expense account for the company in settings.")
	)
	dims = {dimension_field: dimension_value} if dimension_field and dimension_value else {}
	lines = [
		{
			"account": payable,
			"party_type": "Supplier",
			"party": supplier,
			"debit_in_account_currency": amount,
			"credit_in_account_currency": 0,
			"cost_center": cost_center,
			**dims,
		},
		{
			"account": expense,
			"debit_in_account_currency": 0,
			"credit_in_account_currency": amount,
			"cost_center": cost_center,
			**dims,
		},
	]
	check_balanced(lines)
	return lines
