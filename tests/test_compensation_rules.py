import pytest

from service_control.core import compensation as c
from service_control.core.errors import CompensationError

QM, GM = c.QUALITY_MANAGER, c.GENERAL_MANAGER


@pytest.mark.parametrize(
	"amount,returned,responsibility,expected",
	[
		(100, True, None, (QM,)),
		(5000, True, "Company", (QM,)),  # at the limit: the quality manager alone
		(5000.01, True, "Company", (QM, GM)),  # above it: the general manager too
		(100, False, None, (QM, GM)),  # nothing came back: always the general manager
		(1000, True, "Supplier", (QM,)),  # supplier claim up to its limit
		(1000.01, True, "Supplier", (QM, GM)),  # large supplier claim
		(20000, False, "Supplier", (QM, GM)),
	],
)
def test_approval_routing(amount, returned, responsibility, expected):
	assert c.required_approvers(amount, 5000, returned, responsibility, 1000) == expected


def test_routing_needs_a_limit():
	with pytest.raises(CompensationError, match="limit"):
		c.required_approvers(10, None, True)


def step(old, new, approvers=(QM,), user="qm@x", requested_by="cs@x", roles=(QM,)):
	return c.check_approval_step(old, new, approvers, user, requested_by, roles)


def test_approval_steps():
	assert step(c.DRAFT, c.PENDING_QUALITY, roles=()) is None
	assert step(c.PENDING_QUALITY, c.APPROVED) == QM
	assert step(c.PENDING_QUALITY, c.PENDING_GM, approvers=(QM, GM)) == QM
	assert step(c.PENDING_GM, c.APPROVED, approvers=(QM, GM), user="gm@x", roles=(GM,)) == GM


@pytest.mark.parametrize(
	"kw,message",
	[
		({"user": "cs@x"}, "someone else"),  # own request
		({"roles": ("Customer Service User",)}, "Only a Quality Manager"),
		({"approvers": (QM, GM)}, "General Manager's approval"),  # QM cannot finish a GM claim
		({"old": c.PENDING_GM, "roles": (QM,), "approvers": (QM, GM)}, "Only a General Manager"),
		({"old": c.DRAFT}, "cannot go from"),
	],
)
def test_approval_step_refused(kw, message):
	args = {"old": c.PENDING_QUALITY, "new": c.APPROVED, **kw}
	with pytest.raises(CompensationError, match=message):
		step(**args)


def test_gm_refuses_own_request():
	with pytest.raises(CompensationError, match="someone else"):
		step(c.PENDING_GM, c.APPROVED, approvers=(QM, GM), user="gm@x", requested_by="gm@x", roles=(GM,))


def test_qm_cannot_escalate_a_small_claim():
	with pytest.raises(CompensationError, match="within the Quality Manager"):
		step(c.PENDING_QUALITY, c.PENDING_GM)


def test_ready_to_settle():
	c.check_ready_to_settle(c.APPROVED, (QM,), "qm@x", None)
	with pytest.raises(CompensationError, match="General Manager has not"):
		c.check_ready_to_settle(c.APPROVED, (QM, GM), "qm@x", None)
	with pytest.raises(CompensationError, match="Only an approved"):
		c.check_ready_to_settle(c.PENDING_QUALITY, (QM,), "qm@x", None)


def claim(**kw) -> c.ClaimFacts:
	base = {
		"amount": 500,
		"currency": "CNY",
		"company_currency": "CNY",
		"settlement_method": c.JOURNAL_ENTRY,
		"source_status": "Investigating",
		"invoice_value": 2000,
	}
	return c.ClaimFacts(**{**base, **kw})


def test_valid_claim_passes():
	c.validate_claim(claim())
	c.validate_claim(claim(amount=3000, gm_override=True))
	c.validate_claim(claim(has_physical_return=False, no_return_reason="Customer scrapped it on site"))


@pytest.mark.parametrize(
	"kw,message",
	[
		({"amount": 0}, "greater than zero"),
		({"amount": -5}, "greater than zero"),
		({"amount": 2000.01}, "above the invoice value"),
		({"currency": "USD"}, "company's currency"),
		({"invoice_currency": "USD", "party_currency": "USD"}, "receivable account is in USD"),
		(
			{"invoice_currency": "USD", "settlement_method": c.CREDIT_NOTE, "sales_invoice": "SI-1"},
			"credit note is in the invoice's currency",
		),
		(
			{"currency": "USD", "invoice_currency": "USD", "exchange_rate": 0},
			"no exchange rate from USD to CNY",
		),
		({"currency": "USD", "invoice_currency": "USD", "exchange_rate": -7}, "no exchange rate"),
		({"exchange_rate": 7.1}, "exchange rate 1"),
		({"source_status": "Cancelled"}, "complaint is cancelled"),
		({"source_status": "Draft", "source": c.SOURCE_REPAIR}, "Only a submitted repair feedback"),
		({"source_status": "Cancelled", "source": c.SOURCE_REPAIR}, "Only a submitted repair feedback"),
		({"has_physical_return": False}, "reason"),
		({"has_physical_return": False, "no_return_reason": "  "}, "reason"),
		({"settlement_method": c.CREDIT_NOTE}, "Sales Invoice"),
		({"settlement_method": c.FREE_REPLACEMENT}, "quantity"),
		({"settlement_method": "Cash"}, "settled"),
		({"breakdown": {"goods_amount": -1}}, "negative"),
	],
)
def test_bad_claims(kw, message):
	with pytest.raises(CompensationError, match=message):
		c.validate_claim(claim(**kw))


def test_foreign_currency_claim_is_weighed_in_the_company_currency():
	usd = {"currency": "USD", "invoice_currency": "USD", "party_currency": "USD", "exchange_rate": 7.1}
	c.validate_claim(claim(**usd, amount=200, invoice_value=2000))  # 1,420 CNY of a 2,000 CNY invoice
	assert claim(**usd, amount=200).base_amount == 1420
	with pytest.raises(CompensationError, match="above the invoice value 2000"):
		c.validate_claim(claim(**usd, amount=300, invoice_value=2000))  # 2,130 CNY
	# in the company currency against a USD invoice: only where no receivable is touched
	c.validate_claim(
		claim(
			invoice_currency="USD",
			party_currency="USD",
			settlement_method=c.FREE_REPLACEMENT,
			replacement_qty=1,
		)
	)


def test_base_amount_rounds_as_the_ledger_does():
	assert c.base_amount(100.01, 7.123456789) == 712.42
	assert c.base_amount(100, 1) == 100


def test_source_is_a_complaint_or_a_repair():
	assert c.source_of("CC-1", None) == c.SOURCE_COMPLAINT
	assert c.source_of(None, "RF-1") == c.SOURCE_REPAIR
	with pytest.raises(CompensationError, match="not both"):
		c.source_of("CC-1", "RF-1")
	with pytest.raises(CompensationError, match="Choose the customer complaint"):
		c.source_of(None, None)


def test_a_repair_claim_rests_on_the_inspected_unit():
	assert c.has_physical_evidence(c.SOURCE_REPAIR, False)
	assert not c.has_physical_evidence(c.SOURCE_COMPLAINT, False)
	assert c.has_physical_evidence(c.SOURCE_COMPLAINT, True)


def test_repair_results_that_ask_for_money():
	assert c.repair_claim("Fixed", 100, 500) is None
	assert c.repair_claim(None, 0, 0) is None
	assert c.repair_claim("Refunded", 600, 500) == {
		"settlement_method": c.CREDIT_NOTE,
		"goods_amount": 600,
		"credit_qty": 1,
	}
	assert c.repair_claim("Replaced", 0, 512.345) == {
		"settlement_method": c.FREE_REPLACEMENT,
		"goods_amount": 512.35,
		"replacement_qty": 1,
	}
	with pytest.raises(CompensationError, match="refund amount"):
		c.repair_claim("Refunded", 0, 500)
	with pytest.raises(CompensationError, match="no stock value"):
		c.repair_claim("Replaced", 600, 0)


def test_a_repair_refund_passes_the_same_limits_as_a_complaint():
	"""One gate: the approvers depend on the amount, not on the form the money comes from."""
	for source_returned in (c.has_physical_evidence(c.SOURCE_REPAIR, False), True):
		assert c.required_approvers(4000, 5000, source_returned) == (QM,)
		assert c.required_approvers(6000, 5000, source_returned) == (QM, GM)


def test_a_credit_note_is_weighed_at_its_invoice_rate():
	def never() -> float:
		raise AssertionError("the posting date's rate is not needed")

	assert c.settlement_rate(c.CREDIT_NOTE, 7.0, never) == 7.0
	assert c.settlement_rate(c.JOURNAL_ENTRY, 7.0, lambda: 7.1) == 7.1
	assert c.settlement_rate(c.PAYMENT_ENTRY, None, lambda: 7.1) == 7.1
	assert c.settlement_rate(c.CREDIT_NOTE, None, lambda: 7.1) == 7.1
	assert c.settlement_rate(c.JOURNAL_ENTRY, 7.0, lambda: 0) == 0  # no rate known: refused


def test_claim_currency():
	assert c.claim_currency("CNY", "USD") == "USD"
	assert c.claim_currency("CNY", None) == "CNY"


def test_total_of_breakdown():
	assert c.total_of({"goods_amount": 100.1, "freight_amount": 20.2, "penalty_amount": None}) == 120.3


ACCOUNTS = c.Accounts("Compensation - T", "Debtors - T", "Main - T", "Bank - T")


def test_journal_lines_balanced_with_party_and_dimension():
	lines = c.journal_lines(123.45, ACCOUNTS, "Cust", "customer_complaint", "CC-1")
	debit = [ln for ln in lines if ln["debit_in_account_currency"]]
	credit = [ln for ln in lines if ln["credit_in_account_currency"]]
	assert [(ln["account"], ln["debit_in_account_currency"]) for ln in debit] == [
		("Compensation - T", 123.45)
	]
	assert [(ln["account"], ln["credit_in_account_currency"]) for ln in credit] == [("Debtors - T", 123.45)]
	assert credit[0]["party_type"] == "Customer" and credit[0]["party"] == "Cust"
	assert "party" not in debit[0]
	assert all(ln["customer_complaint"] == "CC-1" and ln["cost_center"] == "Main - T" for ln in lines)
	c.check_balanced(lines)


@pytest.mark.parametrize(
	"accounts,message",
	[
		(c.Accounts(None, "Debtors - T"), "compensation expense account"),
		(c.Accounts("Comp - T", None), "receivable"),
	],
)
def test_journal_needs_accounts(accounts, message):
	with pytest.raises(CompensationError, match=message):
		c.journal_lines(10, accounts, "Cust")


def test_unbalanced_journal_refused():
	with pytest.raises(CompensationError, match="not balanced"):
		c.check_balanced(
			[{"debit_in_account_currency": 10}, {"credit_in_account_currency": 9.99}],
		)


def test_foreign_journal_credits_the_receivable_in_its_currency():
	accounts = c.Accounts("Compensation - T", "Debtors USD - T", "Main - T", "Bank - T", exchange_rate=7.1)
	expense, receivable = c.journal_lines(200, accounts, "Cust")
	assert (expense["debit_in_account_currency"], expense.get("exchange_rate", 1)) == (1420, 1)
	assert (receivable["credit_in_account_currency"], receivable["exchange_rate"]) == (200, 7.1)
	with pytest.raises(CompensationError, match="not balanced"):
		c.check_balanced([expense, {**receivable, "exchange_rate": 7.2}])


def test_foreign_payment_pays_from_the_bank_in_company_currency():
	accounts = c.Accounts("X", "Debtors USD - T", "Main - T", "Bank - T", exchange_rate=7.1)
	plan = c.payment_plan(200, accounts, "Cust")
	assert (plan["paid_amount"], plan["received_amount"]) == (1420, 200)
	assert (plan["source_exchange_rate"], plan["target_exchange_rate"]) == (1, 7.1)


def test_payment_plan_pays_the_customer():
	plan = c.payment_plan(80, ACCOUNTS, "Cust")
	assert plan["payment_type"] == "Pay" and plan["party_type"] == "Customer" and plan["party"] == "Cust"
	assert (plan["paid_from"], plan["paid_to"], plan["paid_amount"]) == ("Bank - T", "Debtors - T", 80)
	with pytest.raises(CompensationError, match="bank"):
		c.payment_plan(80, c.Accounts("X", "Y"), "Cust")


LINES = [c.InvoiceLine("r1", "A", 200, 10), c.InvoiceLine("r2", "B", 50, 3)]


def test_credit_note_lines():
	assert c.credit_note_lines(LINES, "A", 2, 300) == [
		{"row_name": "r1", "item_code": "A", "qty": -2, "rate": 150}
	]


@pytest.mark.parametrize(
	"item,qty,amount,message",
	[
		("C", 1, 10, "not on the invoice"),
		("B", 4, 100, "can still be credited"),
		("B", 1, 60, "above the invoiced rate"),
		("A", 3, 100, "equal units"),
		("A", 0, 100, "quantity"),
	],
)
def test_bad_credit_notes(item, qty, amount, message):
	with pytest.raises(CompensationError, match=message):
		c.credit_note_lines(LINES, item, qty, amount)


def test_credit_note_keeps_taxes_in_the_rate_and_drops_fixed_charges():
	taxes = [
		("Actual", None),  # freight billed on the invoice: dropped
		("On Net Total", None),
		("On Previous Row Amount", "2"),  # refers to the VAT row, which becomes row 1
		("On Previous Row Total", 3),
	]
	assert c.credit_note_taxes(taxes) == [(1, None), (2, 1), (3, 2)]
	assert c.credit_note_taxes([]) == []


@pytest.mark.parametrize(
	"taxes,message",
	[
		([("On Item Quantity", None)], "Journal Entry"),
		([("Actual", None), ("On Previous Row Amount", 1)], "fixed charge"),
	],
)
def test_credit_note_taxes_refused(taxes, message):
	with pytest.raises(CompensationError, match=message):
		c.credit_note_taxes(taxes)


def test_replacement_plan_books_cost_to_compensation():
	plan = c.replacement_plan("A", 2, "Sellable - T", "Compensation - T")
	assert plan["rate"] == 0 and plan["expense_account"] == "Compensation - T" and plan["qty"] == 2
	with pytest.raises(CompensationError, match="sellable warehouse"):
		c.replacement_plan("A", 2, None, "Compensation - T")


def test_free_delivery_row_has_no_price():
	row = c.free_delivery_row("A", 1, "Stores - T")
	assert (row["rate"], row["price_list_rate"], row["discount_percentage"]) == (0, 0, 0)
	assert "expense_account" not in row  # ERPNext's default cost of goods sold
	assert c.replacement_plan("A", 1, "Stores - T", "Comp - T") == {**row, "expense_account": "Comp - T"}


def test_vouchers_idempotent_and_cancel_order():
	assert c.vouchers_to_create(c.PAYMENT_ENTRY, {}) == ["journal_entry", "payment_entry"]
	assert c.vouchers_to_create(c.PAYMENT_ENTRY, {"journal_entry": "JV-1"}) == ["payment_entry"]
	assert c.vouchers_to_create(c.JOURNAL_ENTRY, {"journal_entry": "JV-1"}) == []
	assert c.vouchers_to_cancel({"journal_entry": "JV-1", "payment_entry": "PE-1"}) == [
		"payment_entry",
		"journal_entry",
	]


def test_claim_locked_after_request():
	c.check_locked(c.DRAFT, ["goods_amount"])
	c.check_locked(c.REJECTED, ["goods_amount"])
	c.check_locked(c.PENDING_QUALITY, ["status", "modified"])
	with pytest.raises(CompensationError, match="no longer change"):
		c.check_locked(c.PENDING_QUALITY, ["goods_amount"])
	with pytest.raises(CompensationError, match="no longer change"):
		c.check_locked(c.APPROVED, ["settlement_method"])


def test_only_gm_overrides():
	c.check_override(False, True, [GM])
	c.check_override(True, True, [QM])  # unchanged
	with pytest.raises(CompensationError, match="Only a General Manager"):
		c.check_override(False, True, [QM, "Accounts User"])


def test_gm_override_needs_the_general_manager():
	assert c.required_approvers(100, 5000, True, gm_override=True) == (QM, GM)


def test_supplier_recovery_lines():
	lines = c.recovery_lines(
		200, 500, "Creditors - T", "Compensation - T", "Supp", "Main - T", "customer_complaint", "CC-1"
	)
	assert [
		(ln["account"], ln["debit_in_account_currency"], ln["credit_in_account_currency"]) for ln in lines
	] == [
		("Creditors - T", 200, 0),
		("Compensation - T", 0, 200),
	]
	assert lines[0]["party_type"] == "Supplier" and lines[0]["party"] == "Supp" and "party" not in lines[1]


@pytest.mark.parametrize(
	"amount,supplier,message",
	[(0, "Supp", "greater than zero"), (501, "Supp", "was 500"), (100, None, "no responsible supplier")],
)
def test_bad_recovery(amount, supplier, message):
	with pytest.raises(CompensationError, match=message):
		c.recovery_lines(amount, 500, "Creditors - T", "Compensation - T", supplier)
