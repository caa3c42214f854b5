# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt

from service_control.exceptions import CompensationValidationError
from service_control.service_control.doctype.compensation.compensation import VOUCHER_DOCTYPES
from service_control.service_control.returns import make_sales_return
from service_control.setup.accounting_dimension import get_dimension_field
from service_control.tests.compensation_fixtures import dispose, make_users
from service_control.tests.concurrency import errors, restore_settings_rows_after, run_concurrently
from service_control.tests.utils import (
	TEST_COMPANY,
	TEST_IGNORE,
	get_warehouse,
	make_account,
	make_complaint,
	make_customer,
	make_delivery_note,
	make_item,
	make_sales_invoice,
	make_stock,
	make_supplier,
	make_user,
	set_service_company_defaults,
)

test_ignore = TEST_IGNORE

CS = "cs5@example.com"
QM = "qm5@example.com"
QM2 = "qm5b@example.com"
GM = "gm5@example.com"
ACC = "acc5@example.com"
ACC_USER = "accu5@example.com"  # Accounts User only


def gl_rows(voucher_type: str, voucher_no: str, cancelled: int = 0) -> list[tuple]:
	return sorted(
		(r.account, r.debit, r.credit, r.party or None, r.customer_complaint)
		for r in frappe.get_all(
			"GL Entry",
			filters={"voucher_type": voucher_type, "voucher_no": voucher_no, "is_cancelled": cancelled},
			fields=["account", "debit", "credit", "party", "customer_complaint"],
		)
	)


class TestCompensation(FrappeTestCase):
	def setUp(self):
		# FrappeTestCase rolls back once per class: each test undoes its own records
		frappe.db.savepoint("sc_test")
		self.defaults = set_service_company_defaults()
		self.expense = self.defaults["compensation_expense_account"]
		self.debtors = frappe.db.get_value("Company", TEST_COMPANY, "default_receivable_account")
		for user, roles in (
			(CS, ["Customer Service User"]),
			(QM, ["Quality Manager"]),
			(QM2, ["Quality Manager"]),
			(GM, ["General Manager"]),
			(ACC, ["Accounts User", "Accounts Manager", "Stock User"]),
			(ACC_USER, ["Accounts User"]),
		):
			make_user(user, roles)
		self.customer = make_customer()
		self.item = make_item("_Test SC Comp Item")
		self.dn = make_delivery_note(self.customer, self.item, qty=10, rate=1000)  # worth 10,000
		self.complaint = make_complaint(item_code=self.item, delivery_note=self.dn.name, affected_qty=2)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="sc_test")

	# ----------------------------------------------------------------------------------------

	def return_goods(self, qty: float = 2):
		ret = make_sales_return(self.complaint.name, qty)
		ret.insert()
		ret.submit()
		return ret

	def claim(self, user: str = CS, complaint=None, **kwargs):
		frappe.set_user(user)
		complaint = complaint or self.complaint
		doc = frappe.get_doc(
			{
				"doctype": "Compensation",
				"customer_complaint": complaint.name,
				"company": TEST_COMPANY,
				"customer": complaint.customer,
				"currency": "CNY",
				"goods_amount": 400,
				"freight_amount": 100,
				"settlement_method": "Journal Entry",
				**kwargs,
			}
		).insert()
		return doc

	def step(self, doc, action: str, user: str):
		frappe.set_user(user)
		doc = frappe.get_doc("Compensation", doc.name)
		return apply_workflow(doc, action)

	def approve_and_settle(self, doc, gm: bool = False):
		self.step(doc, "Submit for Approval", CS)
		self.step(doc, "Approve", QM)
		if gm:
			self.step(doc, "Approve", GM)
		doc = self.step(doc, "Settle", ACC)
		frappe.set_user("Administrator")
		return frappe.get_doc("Compensation", doc.name)

	# ----- settlement methods: the GL entries ------------------------------------------------

	def test_journal_entry_posts_expense_against_receivable_and_cancel_reverses(self):
		self.return_goods()
		doc = self.approve_and_settle(self.claim())
		self.assertEqual(doc.docstatus, 1)
		self.assertEqual(doc.status, "Settled")
		self.assertEqual(doc.total_amount, 500)
		self.assertEqual(doc.approval_level, "Quality Manager")
		self.assertEqual(doc.quality_approved_by, QM)
		self.assertTrue(doc.journal_entry)
		self.assertEqual(
			gl_rows("Journal Entry", doc.journal_entry),
			sorted(
				[
					(self.expense, 500, 0, None, self.complaint.name),
					(self.debtors, 0, 500, self.customer, self.complaint.name),
				]
			),
		)
		self.assertEqual(doc.posted_amount, 500)

		# idempotent: settling again creates nothing new
		doc.settle()
		self.assertEqual(frappe.db.count("Journal Entry", {"user_remark": ("like", f"%{doc.name}%")}), 1)

		self.step(doc, "Cancel", ACC)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Journal Entry", doc.journal_entry, "docstatus"), 2)
		self.assertEqual(gl_rows("Journal Entry", doc.journal_entry), [])
		self.assertEqual(len(gl_rows("Journal Entry", doc.journal_entry, cancelled=1)), 4)  # with reversals

	def test_payment_entry_pays_the_customer(self):
		self.return_goods()
		doc = self.approve_and_settle(self.claim(settlement_method="Payment Entry"))
		cash = frappe.db.get_value("Company", TEST_COMPANY, "default_cash_account")
		self.assertTrue(doc.journal_entry and doc.payment_entry)
		self.assertEqual(
			gl_rows("Payment Entry", doc.payment_entry),
			sorted(
				[
					(cash, 0, 500, None, self.complaint.name),
					(self.debtors, 500, 0, self.customer, self.complaint.name),
				]
			),
		)
		self.assertIn(
			(self.expense, 500, 0, None, self.complaint.name), gl_rows("Journal Entry", doc.journal_entry)
		)
		# the journal's credit and the payment's debit leave nothing owed to the customer
		balance = frappe.db.sql(
			"""select sum(debit - credit) from `tabGL Entry` where party = %s and is_cancelled = 0
			and voucher_no in %s""",
			(self.customer, (doc.journal_entry, doc.payment_entry)),
		)[0][0]
		self.assertEqual(balance, 0)
		doc.cancel()
		self.assertEqual(frappe.db.get_value("Payment Entry", doc.payment_entry, "docstatus"), 2)
		self.assertEqual(frappe.db.get_value("Journal Entry", doc.journal_entry, "docstatus"), 2)

	def test_credit_note_against_the_invoice(self):
		si = make_sales_invoice(self.customer, self.item, qty=10, rate=200)
		income = si.items[0].income_account
		complaint = make_complaint(item_code=self.item, sales_invoice=si.name, delivery_note=self.dn.name)
		self.complaint = complaint
		self.return_goods(2)
		doc = self.approve_and_settle(
			self.claim(
				complaint=complaint,
				goods_amount=300,
				freight_amount=0,
				settlement_method="Credit Note",
				credit_qty=2,
			)
		)
		cn = frappe.get_doc("Sales Invoice", doc.credit_note)
		self.assertEqual((cn.is_return, cn.return_against, cn.update_stock), (1, si.name, 0))
		self.assertEqual([(r.item_code, r.qty, r.rate) for r in cn.items], [(self.item, -2, 150)])
		self.assertEqual(
			gl_rows("Sales Invoice", cn.name),
			sorted(
				[
					(income, 300, 0, None, complaint.name),
					(self.debtors, 0, 300, self.customer, complaint.name),
				]
			),
		)
		self.assertEqual(doc.posted_amount, 300)
		doc.cancel()
		self.assertEqual(frappe.db.get_value("Sales Invoice", cn.name, "docstatus"), 2)
		self.assertEqual(gl_rows("Sales Invoice", cn.name), [])

	def test_free_replacement_books_the_goods_to_compensation_expense(self):
		self.return_goods()
		make_stock(self.item, qty=5, rate=100, warehouse=get_warehouse())
		doc = self.approve_and_settle(
			self.claim(
				goods_amount=100, freight_amount=0, settlement_method="Free Replacement", replacement_qty=1
			)
		)
		dn = frappe.get_doc("Delivery Note", doc.replacement_delivery)
		self.assertEqual((dn.items[0].qty, dn.items[0].rate, dn.grand_total), (1, 0, 0))
		rows = gl_rows("Delivery Note", dn.name)
		expense = [r for r in rows if r[0] == self.expense]
		self.assertEqual(len(expense), 1)
		self.assertGreater(expense[0][1], 0)  # valued by ERPNext
		self.assertEqual(expense[0][4], self.complaint.name)
		self.assertEqual(doc.posted_amount, expense[0][1])
		sle = frappe.get_all(
			"Stock Ledger Entry",
			filters={"voucher_no": dn.name, "is_cancelled": 0},
			fields=["actual_qty", "warehouse"],
		)
		self.assertEqual([(s.actual_qty, s.warehouse) for s in sle], [(-1, get_warehouse())])
		doc.cancel()
		self.assertEqual(frappe.db.get_value("Delivery Note", dn.name, "docstatus"), 2)

	def test_a_free_replacement_is_settled_by_someone_who_may_deliver(self):
		self.return_goods()
		make_stock(self.item, qty=5, rate=100, warehouse=get_warehouse())
		doc = self.claim(
			goods_amount=100, freight_amount=0, settlement_method="Free Replacement", replacement_qty=1
		)
		self.step(doc, "Submit for Approval", CS)
		self.step(doc, "Approve", QM)
		deliveries = frappe.db.count("Delivery Note", {"is_return": 0})
		with self.assertRaisesRegex(
			frappe.PermissionError, "settled by a user who may submit Delivery Notes"
		):
			self.step(doc, "Settle", ACC_USER)  # Accounts User only: no right to deliver stock
		frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value("Compensation", doc.name, ["status", "docstatus"]), ("Approved", 0)
		)
		self.assertEqual(frappe.db.count("Delivery Note", {"is_return": 0}), deliveries)

	# ----- approval by amount and by role ------------------------------------------------

	def test_above_the_limit_needs_the_general_manager(self):
		self.return_goods()
		doc = self.claim(goods_amount=6000, freight_amount=0)
		self.assertEqual(doc.approval_level, "General Manager")
		self.step(doc, "Submit for Approval", CS)
		doc = self.step(doc, "Approve", QM)
		self.assertEqual(doc.status, "Pending General Manager Approval")
		with self.assertRaises(frappe.ValidationError):  # a QM cannot take the GM's step
			self.step(doc, "Approve", QM2)
		doc = self.step(doc, "Approve", GM)
		self.assertEqual((doc.status, doc.gm_approved_by), ("Approved", GM))

	def test_large_supplier_claim_goes_to_the_general_manager(self):
		self.return_goods()
		supplier = make_supplier()
		self.assertEqual(self.claim(goods_amount=1500, freight_amount=0).approval_level, "Quality Manager")
		frappe.set_user("Administrator")
		frappe.db.set_value(
			"Customer Complaint", self.complaint.name, {"responsibility": "Supplier", "supplier": supplier}
		)
		small = self.claim(goods_amount=900, freight_amount=0)  # within the supplier-claim limit 1000
		large = self.claim(goods_amount=1500, freight_amount=0)
		self.assertEqual((small.approval_level, large.approval_level), ("Quality Manager", "General Manager"))

	def test_no_physical_return_always_goes_to_the_general_manager(self):
		with self.assertRaises(frappe.ValidationError):
			self.claim(goods_amount=50, freight_amount=0)  # no return, no reason
		doc = self.claim(
			goods_amount=50, freight_amount=0, no_return_reason="Scrapped at the customer's site"
		)
		self.assertEqual((doc.has_physical_return, doc.approval_level), (0, "General Manager"))

	def test_own_request_cannot_be_approved(self):
		self.return_goods()
		doc = self.claim(user=QM)
		self.step(doc, "Submit for Approval", QM)
		with self.assertRaises(frappe.ValidationError):
			self.step(doc, "Approve", QM)
		self.assertEqual(frappe.db.get_value("Compensation", doc.name, "status"), "Pending Quality Approval")

	def test_settling_needs_accounts_and_approval(self):
		self.return_goods()
		doc = self.claim()
		self.step(doc, "Submit for Approval", CS)
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Compensation", doc.name)
		with self.assertRaises(frappe.ValidationError):  # not approved yet
			doc.submit()
		self.step(doc, "Approve", QM)
		with self.assertRaises(frappe.ValidationError):  # quality has no Settle transition
			self.step(doc, "Settle", QM)
		self.assertEqual(frappe.db.get_value("Compensation", doc.name, "status"), "Approved")
		self.assertFalse(frappe.db.get_value("Compensation", doc.name, "journal_entry"))

	def test_role_permissions(self):
		tech = make_user("tech5@example.com", ["Service Technician"])
		expected = {
			CS: {"create": True, "submit": False, "cancel": False},
			QM: {"create": True, "submit": False, "cancel": False},
			GM: {"create": True, "submit": False, "cancel": False},
			ACC: {"create": False, "submit": True, "cancel": True},
			tech: {"read": False, "create": False},
		}
		for user, perms in expected.items():
			for ptype, allowed in perms.items():
				with self.subTest(user=user, ptype=ptype):
					self.assertEqual(frappe.has_permission("Compensation", ptype, user=user), allowed)
		self.assertFalse(frappe.has_permission("Return Disposition", "submit", user=CS))
		self.assertTrue(frappe.has_permission("Return Disposition", "submit", user=QM))

	def test_approved_claim_is_frozen(self):
		self.return_goods()
		doc = self.claim()
		self.step(doc, "Submit for Approval", CS)
		frappe.set_user(QM)
		doc = frappe.get_doc("Compensation", doc.name)
		doc.goods_amount = 4000
		with self.assertRaises(frappe.ValidationError):
			doc.save()

	# ----- bad input: a clear error, nothing saved ---------------------------------------

	def test_bad_input_refused(self):
		self.return_goods()
		count = frappe.db.count("Compensation")
		for kwargs in (
			{"goods_amount": 0, "freight_amount": 0},  # not above zero
			{"goods_amount": 10001},  # above the delivery's value, no override
			{"currency": "USD"},  # not the company's currency
			{"settlement_method": "Credit Note", "credit_qty": 1},  # no invoice on the complaint
		):
			with self.subTest(**kwargs), self.assertRaises(frappe.ValidationError):
				self.claim(**kwargs)
		with self.assertRaises(frappe.ValidationError):  # only a GM may override
			self.claim(goods_amount=10001, gm_override=1)
		self.assertEqual(frappe.db.count("Compensation"), count)
		doc = self.claim(user=GM, goods_amount=10001, gm_override=1)
		self.assertEqual(doc.total_amount, 10101)

	def test_recovery_from_the_responsible_supplier(self):
		from service_control.service_control.doctype.compensation.compensation import make_supplier_recovery

		supplier = make_supplier()
		creditors = frappe.db.get_value("Company", TEST_COMPANY, "default_payable_account")
		self.return_goods()
		doc = self.approve_and_settle(self.claim())
		with self.assertRaises(frappe.ValidationError):  # the complaint does not blame a supplier
			make_supplier_recovery(doc.name)
		frappe.db.set_value(
			"Customer Complaint", self.complaint.name, {"responsibility": "Supplier", "supplier": supplier}
		)
		frappe.db.set_value("Compensation", doc.name, {"responsibility": "Supplier", "supplier": supplier})
		with self.assertRaises(frappe.ValidationError):  # more than the compensation
			make_supplier_recovery(doc.name, 501)
		je = make_supplier_recovery(doc.name, 200)
		self.assertEqual(make_supplier_recovery(doc.name, 200), je)  # never twice
		self.assertEqual(
			gl_rows("Journal Entry", je),
			sorted(
				[
					(creditors, 200, 0, supplier, self.complaint.name),
					(self.expense, 0, 200, None, self.complaint.name),
				]
			),
		)
		frappe.get_doc("Compensation", doc.name).cancel()
		self.assertEqual(frappe.db.get_value("Journal Entry", je, "docstatus"), 2)

	def test_cancelled_complaint_refused(self):
		frappe.db.set_value("Customer Complaint", self.complaint.name, "status", "Cancelled")
		with self.assertRaises(frappe.ValidationError):
			self.claim(no_return_reason="Lost in transit")

	# ----- audit follow-ups ------------------------------------------------------------------

	def invoiced_complaint(self, **invoice_kwargs):
		"""A complaint on an invoiced delivery (10 at 200), 2 returned: every settlement applies."""
		si = make_sales_invoice(self.customer, self.item, qty=10, rate=200, **invoice_kwargs)
		self.complaint = make_complaint(
			item_code=self.item, sales_invoice=si.name, delivery_note=self.dn.name, affected_qty=2
		)
		self.return_goods(2)
		return si

	def test_credit_note_on_a_taxed_invoice_credits_exactly_the_approved_amount(self):
		vat = make_account("_Test SC Output VAT", "Duties and Taxes", account_type="Tax")
		cost_center = frappe.db.get_value("Company", TEST_COMPANY, "cost_center")
		si = self.invoiced_complaint(
			taxes=[
				{
					"charge_type": "On Net Total",
					"account_head": vat,
					"rate": 13,
					"description": "VAT 13%",
					"cost_center": cost_center,
				},
				{
					"charge_type": "Actual",
					"account_head": vat,
					"tax_amount": 50,
					"description": "Freight billed",
					"cost_center": cost_center,
				},
			]
		)
		self.assertEqual(si.grand_total, 2310)  # 2000 + 13% VAT + 50 freight
		income = si.items[0].income_account
		# approved 339 incl. tax for 2 units: 300 net + 39 VAT; the invoice's fixed freight is not credited
		doc = self.approve_and_settle(
			self.claim(goods_amount=339, freight_amount=0, settlement_method="Credit Note", credit_qty=2)
		)
		cn = frappe.get_doc("Sales Invoice", doc.credit_note)
		self.assertEqual((cn.is_return, cn.return_against, cn.grand_total), (1, si.name, -339))
		self.assertEqual(
			[(t.charge_type, t.included_in_print_rate, t.tax_amount) for t in cn.taxes],
			[("On Net Total", 1, -39)],
		)
		self.assertEqual(
			gl_rows("Sales Invoice", cn.name),
			sorted(
				[
					(income, 300, 0, None, self.complaint.name),
					(vat, 39, 0, None, self.complaint.name),
					(self.debtors, 0, 339, self.customer, self.complaint.name),
				]
			),
		)
		self.assertEqual(doc.posted_amount, 339)  # what the register reconciles: equal to the approval
		doc.cancel()
		self.assertEqual(gl_rows("Sales Invoice", cn.name), [])

	def test_every_method_posts_once_and_cancel_nets_the_gl_to_zero(self):
		self.invoiced_complaint()
		make_stock(self.item, qty=5, rate=100, warehouse=get_warehouse())
		claims = {
			"Journal Entry": {},
			"Payment Entry": {},
			"Credit Note": {"goods_amount": 300, "freight_amount": 0, "credit_qty": 2},
			"Free Replacement": {"goods_amount": 100, "freight_amount": 0, "replacement_qty": 1},
		}
		for method, kwargs in claims.items():
			with self.subTest(method=method):
				doc = self.approve_and_settle(self.claim(settlement_method=method, **kwargs))
				links = {f: doc.get(f) for f in VOUCHER_DOCTYPES if doc.get(f)}
				self.assertTrue(links)
				counts = {dt: frappe.db.count(dt, {"docstatus": 1}) for dt in VOUCHER_DOCTYPES.values()}
				# a retried submit, even from a stale copy that has not seen the links, posts nothing
				stale = frappe.get_doc("Compensation", doc.name)
				for field in VOUCHER_DOCTYPES:
					stale.set(field, None)
				stale.on_submit()
				doc.settle()
				self.assertEqual(
					{dt: frappe.db.count(dt, {"docstatus": 1}) for dt in VOUCHER_DOCTYPES.values()}, counts
				)
				self.assertEqual({f: frappe.db.get_value("Compensation", doc.name, f) for f in links}, links)
				# cancel: the vouchers first, and every account of them nets to zero
				self.step(doc, "Cancel", ACC)
				frappe.set_user("Administrator")
				self.assertEqual(frappe.db.get_value("Compensation", doc.name, "docstatus"), 2)
				for field, name in links.items():
					self.assertEqual(frappe.db.get_value(VOUCHER_DOCTYPES[field], name, "docstatus"), 2)
				vouchers = tuple(links.values())
				self.assertFalse(
					frappe.db.exists("GL Entry", {"voucher_no": ("in", vouchers), "is_cancelled": 0})
				)
				nets = frappe.db.sql(
					"""select account, sum(debit) - sum(credit) from `tabGL Entry`
					where voucher_no in %s group by account""",
					(vouchers,),
				)
				self.assertTrue(nets)
				self.assertEqual({account: net for account, net in nets if net}, {})

	def test_gl_dimension_carries_the_complaint(self):
		"""Compensation, scrap loss and free replacement: read back by the dimension column alone."""
		from service_control.setup.accounting_dimension import ensure_dimension, is_used, remove_dimension
		from service_control.tests.compensation_fixtures import settle

		field = get_dimension_field()
		self.assertEqual(field, "customer_complaint")
		ensure_dimension()  # a migrate again: still the one dimension
		self.assertEqual(frappe.db.count("Accounting Dimension", {"document_type": "Customer Complaint"}), 1)
		make_users()
		ret = self.return_goods(2)
		frappe.set_user("Administrator")
		rd = dispose(ret, scrap=1, rework=0, restock=1)
		make_stock(self.item, qty=5, rate=100, warehouse=get_warehouse())
		je = settle(self.complaint, goods_amount=400)
		fr = settle(self.complaint, "Free Replacement", goods_amount=100, replacement_qty=1)
		rows = frappe.db.sql(
			f"""select voucher_type, voucher_no, account, sum(debit) as debit from `tabGL Entry`
			where `{field}` = %s and is_cancelled = 0 group by voucher_type, voucher_no, account""",
			(self.complaint.name,),
			as_dict=True,
		)
		debits = {(r.voucher_type, r.voucher_no, r.account): r.debit for r in rows}
		scrap = rd.items[0].scrap_stock_entry
		self.assertEqual(debits[("Stock Entry", scrap, self.defaults["scrap_loss_account"])], 100)
		self.assertEqual(debits[("Journal Entry", je.journal_entry, self.expense)], 400)
		self.assertGreater(debits[("Delivery Note", fr.replacement_delivery, self.expense)], 0)
		# uninstall keeps a dimension the ledger uses
		self.assertTrue(is_used())
		remove_dimension()
		self.assertEqual(get_dimension_field(), field)
		# and no GL entry of those vouchers lacks the complaint
		self.assertFalse(
			frappe.db.sql(
				f"""select name from `tabGL Entry` where voucher_no in %s and is_cancelled = 0
				and ifnull(`{field}`, '') = ''""",
				((scrap, je.journal_entry, fr.replacement_delivery),),
			)
		)

	def test_roles_along_the_workflow(self):
		from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError

		self.return_goods()
		doc = self.claim()
		self.step(doc, "Submit for Approval", CS)
		doc = self.step(doc, "Approve", QM)  # within the limit: the quality manager alone
		self.assertEqual(
			(doc.status, doc.approval_level, doc.quality_approved_by), ("Approved", "Quality Manager", QM)
		)
		for user in (CS, QM, GM):  # only Accounts settles
			with (
				self.subTest(user=user),
				self.assertRaises((WorkflowTransitionError, WorkflowPermissionError)),
			):
				self.step(doc, "Settle", user)
		frappe.set_user(CS)
		with self.assertRaises(frappe.PermissionError):  # not even around the workflow
			frappe.get_doc("Compensation", doc.name).submit()
		doc = self.step(doc, "Settle", ACC_USER)  # an Accounts User (not manager) settles
		self.assertEqual((doc.docstatus, doc.status), (1, "Settled"))
		self.assertTrue(frappe.db.get_value("Compensation", doc.name, "journal_entry"))
		with self.assertRaises(
			(WorkflowTransitionError, WorkflowPermissionError)
		):  # cancel: Accounts Manager
			self.step(doc, "Cancel", ACC_USER)

	def test_specific_errors_for_amount_currency_and_own_approval(self):
		self.return_goods()
		with self.assertRaises(CompensationValidationError):  # above the delivery's 10,000
			self.claim(goods_amount=10001)
		with self.assertRaises(CompensationValidationError):  # not the company's currency (CNY)
			self.claim(currency="USD")
		with self.assertRaises(CompensationValidationError):
			self.claim(goods_amount=0, freight_amount=0)
		doc = self.claim(user=QM)
		self.step(doc, "Submit for Approval", QM)
		with self.assertRaises(CompensationValidationError):
			self.step(doc, "Approve", QM)

	def test_an_existing_workflow_named_like_ours_is_kept(self):
		from service_control.setup.workflows import create_missing_workflows

		name = "Compensation Approval"
		frappe.db.savepoint("workflow_test")
		try:
			# an administrator's change to our workflow survives a migrate
			frappe.db.set_value("Workflow", name, "send_email_alert", 1)
			create_missing_workflows()
			self.assertEqual(frappe.db.get_value("Workflow", name, "send_email_alert"), 1)
			# a site's own workflow bearing the name (for another doctype) is neither replaced nor duplicated
			frappe.db.delete("Workflow Document State", {"parent": name})
			frappe.db.delete("Workflow Transition", {"parent": name})
			frappe.db.set_value("Workflow", name, {"document_type": "Return Disposition", "is_active": 0})
			create_missing_workflows()
			self.assertEqual(frappe.db.get_value("Workflow", name, "document_type"), "Return Disposition")
			self.assertFalse(frappe.db.exists("Workflow", {"document_type": "Compensation"}))
		finally:
			frappe.db.rollback(save_point="workflow_test")
			frappe.clear_cache(doctype="Compensation")
			frappe.clear_cache(doctype="Return Disposition")


class TestCompensationCurrencies(FrappeTestCase):
	"""A CNY company compensating a customer it invoices in USD."""

	def setUp(self):
		from service_control.tests.compensation_fixtures import usd_rate

		frappe.db.savepoint("sc_test_fx")
		self.defaults = set_service_company_defaults(quality_manager_limit=1000)
		self.expense = self.defaults["compensation_expense_account"]
		for user, roles in (
			(CS, ["Customer Service User"]),
			(QM, ["Quality Manager"]),
			(GM, ["General Manager"]),
		):
			make_user(user, roles)
		make_user(ACC, ["Accounts User", "Accounts Manager", "Stock User"])
		self.item = make_item("_Test SC FX Item")
		usd_rate(7.1, frappe.utils.getdate())

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="sc_test_fx")
		frappe.clear_document_cache("Service Control Settings", "Service Control Settings")

	def usd_complaint(self, returned: bool = True):
		from service_control.tests.compensation_fixtures import usd_invoice

		self.invoice = usd_invoice(self.item, qty=10, rate=100, conversion_rate=7.0)  # 7,000 CNY
		self.complaint = make_complaint(
			customer=self.invoice.customer,
			item_code=self.item,
			sales_invoice=self.invoice.name,
			affected_qty=2,
		)
		if returned:
			ret = make_sales_return(self.complaint.name, 2)
			ret.insert()
			ret.submit()
		return self.complaint

	def claim(self, **kwargs):
		frappe.set_user(CS)
		doc = frappe.get_doc(
			{
				"doctype": "Compensation",
				"customer_complaint": self.complaint.name,
				"company": TEST_COMPANY,
				"customer": self.complaint.customer,
				"currency": "USD",
				"settlement_method": "Journal Entry",
				"goods_amount": 100,
				**kwargs,
			}
		).insert()
		frappe.set_user("Administrator")
		return doc

	def settle(self, doc, gm: bool = False):
		for action, user in (
			("Submit for Approval", CS),
			("Approve", QM),
			*((("Approve", GM),) if gm else ()),
			("Settle", ACC),
		):
			frappe.set_user(user)
			apply_workflow(frappe.get_doc("Compensation", doc.name), action)
		frappe.set_user("Administrator")
		return frappe.get_doc("Compensation", doc.name)

	def test_claim_on_a_usd_invoice_is_in_usd_and_weighed_in_cny(self):
		self.usd_complaint()
		small = self.claim(goods_amount=100)  # 710 CNY: within the Quality Manager's 1,000
		self.assertEqual((small.currency, flt(small.exchange_rate)), ("USD", 7.1))
		self.assertEqual((flt(small.base_total_amount), small.approval_level), (710, "Quality Manager"))
		large = self.claim(goods_amount=200)  # 1,420 CNY: above it, though 200 < 1,000
		self.assertEqual((flt(large.base_total_amount), large.approval_level), (1420, "General Manager"))

	def test_journal_credits_the_usd_receivable_and_books_cny_expense(self):
		self.usd_complaint()
		doc = self.settle(self.claim(goods_amount=200), gm=True)
		debtors_usd = self.invoice.debit_to
		rows = frappe.get_all(
			"GL Entry",
			filters={"voucher_no": doc.journal_entry, "is_cancelled": 0},
			fields=["account", "debit", "credit", "credit_in_account_currency", "account_currency", "party"],
		)
		by_account = {r.account: r for r in rows}
		self.assertEqual(flt(by_account[self.expense].debit), 1420)
		receivable = by_account[debtors_usd]
		self.assertEqual(
			(flt(receivable.credit), flt(receivable.credit_in_account_currency), receivable.account_currency),
			(1420, 200, "USD"),
		)
		self.assertEqual(receivable.party, self.complaint.customer)
		self.assertEqual(flt(doc.posted_amount), 1420)
		self.assertEqual(sum(flt(r.debit) - flt(r.credit) for r in rows), 0)

	def test_credit_note_at_the_invoice_rate_and_payment_at_the_posting_date_rate(self):
		self.usd_complaint()
		claim = self.claim(goods_amount=200, settlement_method="Credit Note", credit_qty=2)
		# ERPNext books a return at its invoice's rate, so the claim is weighed at that rate
		self.assertEqual((flt(claim.exchange_rate), flt(claim.base_total_amount)), (7.0, 1400))
		doc = self.settle(claim, gm=True)
		note = frappe.get_doc("Sales Invoice", doc.credit_note)
		self.assertEqual((note.currency, flt(note.conversion_rate)), ("USD", 7.0))
		self.assertEqual((flt(note.grand_total), flt(note.base_grand_total)), (-200, -1400))
		self.assertEqual(flt(doc.posted_amount), 1400)

		paid = self.settle(self.claim(goods_amount=50, settlement_method="Payment Entry"))  # 355 CNY
		pe = frappe.get_doc("Payment Entry", paid.payment_entry)
		self.assertEqual((flt(pe.paid_amount), flt(pe.received_amount)), (355, 50))
		self.assertEqual((flt(pe.source_exchange_rate), flt(pe.target_exchange_rate)), (1, 7.1))
		gl = frappe.get_all(
			"GL Entry",
			filters={"voucher_no": pe.name, "is_cancelled": 0},
			fields=["sum(debit) as debit", "sum(credit) as credit"],
		)[0]
		self.assertEqual((flt(gl.debit), flt(gl.credit)), (355, 355))

	def test_register_shows_both_amounts(self):
		from service_control.service_control.report.compensation_register.compensation_register import execute

		self.usd_complaint()
		doc = self.settle(self.claim(goods_amount=200), gm=True)
		_columns, data, _message, _chart, summary = execute({"customer_complaint": self.complaint.name})
		row = next(r for r in data if r.name == doc.name)
		self.assertEqual(
			(row.currency, flt(row.total_amount), flt(row.base_total_amount)), ("USD", 200, 1420)
		)
		self.assertEqual((flt(row.gl_amount), flt(row.difference)), (1420, 0))
		self.assertEqual(next(s for s in summary if s["label"] == "Approved Total")["value"], 1420)

	def test_bad_currencies_are_refused_and_nothing_is_written(self):
		self.usd_complaint()
		count = frappe.db.count("Compensation")
		# a CNY journal cannot credit the customer's USD receivable
		with self.assertRaisesRegex(CompensationValidationError, "receivable account is in USD"):
			self.claim(currency="CNY")
		with self.assertRaisesRegex(CompensationValidationError, "use the company's currency CNY"):
			self.claim(currency="EUR")
		frappe.set_user("Administrator")
		frappe.db.set_single_value("Currency Exchange Settings", "disabled", 1)  # no lookup on the web
		frappe.clear_document_cache("Currency Exchange Settings", "Currency Exchange Settings")
		with self.assertRaisesRegex(
			CompensationValidationError, "no exchange rate from USD to CNY on 2001-01-01"
		):
			self.claim(posting_date="2001-01-01")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.count("Compensation"), count)


class TestExactlyOnce(FrappeTestCase):
	"""The same action from two connections at once posts one voucher. These tests commit (the
	other connections see only committed rows) and cancel what they posted afterwards."""

	def setUp(self):
		from service_control.tests.compensation_fixtures import make_users

		frappe.set_user("Administrator")
		restore_settings_rows_after(self)
		make_users()
		make_user(ACC_USER, ["Accounts User"])
		make_user(GM, ["General Manager"])
		self.defaults = set_service_company_defaults()
		self.item = make_item("_Test SC Once Item")
		self.customer = make_customer("_Test SC Once Customer")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def commit_and_undo(self, doctype: str, name: str) -> None:
		"""Commit now; cancel ``doctype`` ``name`` (and so its vouchers) when the test ends."""
		frappe.db.commit()

		def undo():
			frappe.set_user("Administrator")
			frappe.db.rollback()
			doc = frappe.get_doc(doctype, name)
			if doc.docstatus == 1:
				doc.flags.ignore_permissions = True
				doc.cancel()
			frappe.db.commit()

		self.addCleanup(undo)

	def approved_compensation(self):
		from service_control.tests.compensation_fixtures import ACC, CS, QM

		dn = make_delivery_note(self.customer, self.item, qty=10, rate=200)
		complaint = make_complaint(customer=self.customer, item_code=self.item, delivery_note=dn.name)
		frappe.set_user(CS)
		doc = frappe.get_doc(
			{
				"doctype": "Compensation",
				"customer_complaint": complaint.name,
				"company": TEST_COMPANY,
				"customer": self.customer,
				"goods_amount": 300,
				"settlement_method": "Journal Entry",
				"no_return_reason": "Scrapped at the customer's site",
			}
		).insert()
		for action, user in (("Submit for Approval", CS), ("Approve", QM), ("Approve", GM)):
			frappe.set_user(user)
			apply_workflow(frappe.get_doc("Compensation", doc.name), action)
		frappe.set_user("Administrator")
		self.accountant = ACC
		return complaint, frappe.get_doc("Compensation", doc.name)

	def journals_of(self, remark_part: str) -> list[str]:
		return frappe.get_all(
			"Journal Entry",
			filters={"user_remark": ("like", f"%{remark_part}%"), "docstatus": 1},
			pluck="name",
		)

	def assert_balanced(self, voucher_no: str) -> None:
		gl = frappe.get_all(
			"GL Entry",
			filters={"voucher_no": voucher_no, "is_cancelled": 0},
			fields=["sum(debit) as debit", "sum(credit) as credit", "count(*) as n"],
		)[0]
		self.assertGreater(gl.n, 0)
		self.assertEqual(flt(gl.debit), flt(gl.credit))

	def test_settling_twice_at_once_posts_one_journal(self):
		_complaint, doc = self.approved_compensation()
		self.commit_and_undo("Compensation", doc.name)

		results = run_concurrently(
			lambda: apply_workflow(frappe.get_doc("Compensation", doc.name), "Settle").journal_entry,
			[self.accountant, ACC_USER],
		)
		self.assertEqual(len(errors(results)), 1, results)
		journals = self.journals_of(doc.name)
		self.assertEqual(len(journals), 1)
		self.assertEqual(frappe.db.get_value("Compensation", doc.name, "journal_entry"), journals[0])
		self.assertIn(journals[0], results)
		self.assert_balanced(journals[0])

	def test_recovering_twice_at_once_posts_one_journal(self):
		from service_control.service_control.doctype.compensation.compensation import make_supplier_recovery

		supplier = make_supplier()
		complaint, doc = self.approved_compensation()
		frappe.db.set_value(
			"Customer Complaint", complaint.name, {"responsibility": "Supplier", "supplier": supplier}
		)
		frappe.set_user(self.accountant)
		doc = apply_workflow(frappe.get_doc("Compensation", doc.name), "Settle")
		frappe.set_user("Administrator")
		frappe.db.set_value("Compensation", doc.name, {"responsibility": "Supplier", "supplier": supplier})
		self.commit_and_undo("Compensation", doc.name)

		results = run_concurrently(lambda: make_supplier_recovery(doc.name, 100), [self.accountant] * 2)
		self.assertEqual(errors(results), [])
		recoveries = self.journals_of(f"of compensation {doc.name}")
		self.assertEqual(len(recoveries), 1)
		self.assertEqual(results, recoveries * 2)  # the second request is given the first's journal
		self.assert_balanced(recoveries[0])
