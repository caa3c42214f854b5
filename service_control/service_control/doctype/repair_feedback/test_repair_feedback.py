# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, getdate

from service_control.tests.concurrency import errors, restore_settings_rows_after, run_concurrently
from service_control.tests.repair_factories import (
	LABOUR_ITEM,
	PART_ITEM,
	TECH,
	TECH2,
	UNIT_ITEM,
	delivered_unit,
	make_feedback,
	make_repair_masters,
	make_repair_request,
	mute_emails,
	receive_parts,
	receive_units,
	settle_compensation,
)
from service_control.tests.utils import (
	TEST_COMPANY,
	TEST_IGNORE,
	get_warehouse,
	make_account,
	make_user,
	set_service_company_defaults,
)

test_ignore = TEST_IGNORE


def sle_qty(voucher_no: str, item_code: str) -> float:
	return flt(
		frappe.db.sql(
			"""select sum(actual_qty) from `tabStock Ledger Entry`
			where voucher_no = %s and item_code = %s and is_cancelled = 0""",
			(voucher_no, item_code),
		)[0][0]
	)


def gl_rows(voucher_no: str) -> list[tuple]:
	return sorted(
		(r.account, flt(r.debit), flt(r.credit), r.party or None)
		for r in frappe.get_all(
			"GL Entry",
			filters={"voucher_type": "Sales Invoice", "voucher_no": voucher_no, "is_cancelled": 0},
			fields=["account", "debit", "credit", "party"],
		)
	)


def taxed_invoice(dn_name: str):
	"""The Sales Invoice of the delivery with a 13% VAT row on the net total."""
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

	vat = make_account("_Test SC Output VAT", "Duties and Taxes", account_type="Tax")
	si = make_sales_invoice(dn_name)
	si.set_posting_time = 1
	si.posting_date = si.due_date = frappe.db.get_value("Delivery Note", dn_name, "posting_date")
	si.taxes_and_charges = None
	si.set("taxes", [])
	si.append(
		"taxes",
		{
			"charge_type": "On Net Total",
			"account_head": vat,
			"rate": 13,
			"description": "VAT 13%",
			"cost_center": frappe.db.get_value("Company", TEST_COMPANY, "cost_center"),
		},
	)
	si.insert(ignore_permissions=True)
	si.submit()
	return si


class TestRepairFeedback(FrappeTestCase):
	def setUp(self):
		make_repair_masters()
		set_service_company_defaults()  # the approval limits a refund or replacement is weighed by
		mute_emails(self)
		receive_parts(50)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def _request(self, days_ago=3, invoice=False, **kw):
		serial, dn, si = delivered_unit(days_ago=days_ago, invoice=invoice)
		request = make_repair_request(
			serial, technician=TECH, delivery_note=dn.name, sales_invoice=si and si.name, **kw
		)
		return request, serial, dn, si

	# ---- request -> feedback -> parts in the stock ledger --------------------------------

	def test_parts_issue_in_stock_ledger_and_request_resolved(self):
		request, *_ = self._request()
		feedback = make_feedback(
			request,
			parts=[{"item_code": PART_ITEM, "qty": 2, "warehouse": get_warehouse()}],
			quality_rating=1,
			attitude_rating=0.8,
			verifier_name="Mr Li",
		)
		self.assertEqual(frappe.db.get_value("Repair Request", request.name, "status"), "In Progress")
		frappe.set_user(TECH)  # the technician submits the company copy, without stock or accounts roles
		feedback = frappe.get_doc("Repair Feedback", feedback.name)
		feedback.submit()
		frappe.set_user("Administrator")
		entry = frappe.get_doc("Stock Entry", feedback.stock_entry)
		self.assertEqual((entry.docstatus, entry.purpose), (1, "Material Issue"))
		self.assertEqual(sle_qty(entry.name, PART_ITEM), -2)
		self.assertFalse(feedback.sales_invoice)  # under warranty: nothing billed
		request.reload()
		self.assertEqual(
			(request.status, request.last_result, request.visits, request.verified),
			("Resolved", "Fixed", 1, 1),
		)
		self.assertTrue(request.resolved_on)
		self.assertEqual(next(c for c in request.sla_clocks if c.stage == "Resolution").state, "Met")
		request.change_status("Closed", "Customer confirmed by phone")
		self.assertEqual(request.status, "Closed")

		# cancelling the form (after reopening is not possible: use a fresh request for cancel)

	def test_cancel_reverses_stock_entry_and_reopens_request(self):
		request, *_ = self._request()
		feedback = make_feedback(
			request, parts=[{"item_code": PART_ITEM, "qty": 1, "warehouse": get_warehouse()}]
		)
		self.assertEqual(frappe.db.get_value("Repair Request", request.name, "fault_found"), 0)  # a draft
		feedback.submit()
		self.assertEqual(
			frappe.db.get_value("Repair Request", request.name, ["status", "fault_found"]), ("Resolved", 1)
		)
		feedback.cancel()
		self.assertEqual(frappe.db.get_value("Stock Entry", feedback.stock_entry, "docstatus"), 2)
		self.assertEqual(sle_qty(feedback.stock_entry, PART_ITEM), 0)
		self.assertEqual(
			frappe.db.get_value("Repair Request", request.name, ["status", "fault_found"]), ("In Progress", 0)
		)

	def test_not_fixed_keeps_request_in_progress(self):
		request, *_ = self._request()
		make_feedback(request, submit=True, result="Not Fixed")
		request.reload()
		self.assertEqual((request.status, request.last_result), ("In Progress", "Not Fixed"))
		make_feedback(request, submit=True, result="Fixed")
		request.reload()
		self.assertEqual((request.status, request.visits), ("Resolved", 2))

	# ---- bad inputs ----------------------------------------------------------------------

	def test_verification_before_work_recorded_refused(self):
		request, *_ = self._request()
		with self.assertRaisesRegex(frappe.ValidationError, "before the customer verifies"):
			make_feedback(
				request, visits=[], work_done=None, result=None, quality_rating=1, verifier_name="Li"
			)
		self.assertFalse(frappe.db.exists("Repair Feedback", {"repair_request": request.name}))

	def test_parts_from_group_or_disabled_warehouse_or_without_stock_refused(self):
		request, *_ = self._request()
		group = frappe.db.get_value("Warehouse", {"company": TEST_COMPANY, "is_group": 1}, "name")
		for warehouse, qty, message in (
			(group, 1, "group warehouse"),
			(get_warehouse(), 10_000, "in stock"),
		):
			feedback = make_feedback(
				request, parts=[{"item_code": PART_ITEM, "qty": qty, "warehouse": warehouse}]
			)
			with self.assertRaisesRegex(frappe.ValidationError, message):
				feedback.submit()
			self.assertEqual(frappe.db.get_value("Repair Feedback", feedback.name, "docstatus"), 0)
			self.assertFalse(frappe.db.exists("Stock Entry", {"remarks": ("like", f"%{feedback.name}%")}))
		disabled = frappe.get_doc(
			{"doctype": "Warehouse", "warehouse_name": "_Test SC Disabled", "company": TEST_COMPANY}
		).insert(ignore_if_duplicate=True)
		frappe.db.set_value("Warehouse", disabled.name, "disabled", 1)
		feedback = make_feedback(
			request, parts=[{"item_code": PART_ITEM, "qty": 1, "warehouse": disabled.name}]
		)
		with self.assertRaisesRegex(frappe.ValidationError, "disabled"):
			feedback.submit()

	def test_visit_technician_without_role_refused(self):
		request, *_ = self._request()
		with self.assertRaisesRegex(frappe.ValidationError, "Service Technician role"):
			make_feedback(
				request,
				visits=[{"visit_date": getdate(), "technician": "sc.nottech@example.com", "hours": 1}],
			)

	# ---- chargeable repair -------------------------------------------------------------------

	def _bill(self, feedback_name: str, user: str = "Administrator"):
		"""The Sales Invoice made from the form, saved and submitted as ``user``."""
		from service_control.service_control.doctype.repair_feedback.repair_feedback import (
			make_sales_invoice,
		)

		frappe.set_user(user)
		invoice = make_sales_invoice(feedback_name)
		invoice.set_posting_time = 1
		invoice.posting_date = invoice.due_date = getdate()
		invoice.insert()
		invoice.submit()
		frappe.set_user("Administrator")
		return invoice

	def test_chargeable_repair_is_billed_under_sales_invoice_permissions(self):
		from service_control.service_control.doctype.repair_feedback.repair_feedback import (
			make_sales_invoice,
		)

		billing = "sc.billing@example.com"
		make_user(billing, ["Accounts User"])
		serial, dn, _si = delivered_unit(days_ago=3)
		frappe.db.set_value("Serial No", serial, "warranty_expiry_date", add_days(getdate(), -1))
		request = make_repair_request(serial, technician=TECH, delivery_note=dn.name)
		self.assertEqual(request.chargeable, 1)
		feedback = make_feedback(
			request,
			parts=[
				{"item_code": PART_ITEM, "qty": 2, "warehouse": get_warehouse(), "chargeable": 1, "rate": 35}
			],
			labour_item=LABOUR_ITEM,
			labour_rate=80,
		)
		invoices_before = frappe.db.count("Sales Invoice")
		frappe.set_user(TECH)  # the technician submits the form: nothing is billed on their authority
		frappe.get_doc("Repair Feedback", feedback.name).submit()
		self.assertEqual(frappe.db.count("Sales Invoice"), invoices_before)
		self.assertRaises(frappe.PermissionError, make_sales_invoice, feedback.name)
		frappe.set_user("Administrator")

		invoice = self._bill(feedback.name, billing)
		self.assertEqual((invoice.docstatus, invoice.owner), (1, billing))
		self.assertEqual(invoice.customer, request.customer)
		lines = {row.item_code: (row.qty, row.rate) for row in invoice.items}
		self.assertEqual(lines, {PART_ITEM: (2, 35), LABOUR_ITEM: (2, 80)})
		self.assertEqual(flt(invoice.grand_total), 230)
		self.assertTrue(frappe.db.exists("GL Entry", {"voucher_no": invoice.name, "is_cancelled": 0}))
		self.assertEqual(frappe.db.get_value("Repair Feedback", feedback.name, "sales_invoice"), invoice.name)

		# billed once: neither the button nor a second invoice saved by hand bills it again
		with self.assertRaisesRegex(frappe.ValidationError, f"{invoice.name} already bills"):
			make_sales_invoice(feedback.name)
		copy = frappe.copy_doc(invoice)
		copy.sc_repair_feedback = feedback.name
		with self.assertRaisesRegex(frappe.ValidationError, f"{invoice.name} already bills"):
			copy.insert()

		# the invoice is Accounts' to cancel before the form can be
		feedback = frappe.get_doc("Repair Feedback", feedback.name)
		frappe.db.savepoint("refused_cancel")  # a request's failure rolls back; a test's must too
		with self.assertRaises(frappe.LinkExistsError):
			feedback.cancel()
		frappe.db.rollback(save_point="refused_cancel")
		frappe.get_doc("Sales Invoice", invoice.name).cancel()
		self.assertIsNone(frappe.db.get_value("Repair Feedback", feedback.name, "sales_invoice"))
		frappe.get_doc("Repair Feedback", feedback.name).cancel()
		self.assertEqual(frappe.db.get_value("Repair Feedback", feedback.name, "docstatus"), 2)

	def test_labour_item_and_rate_default_from_company_settings(self):
		from service_control.tests.utils import set_service_company_defaults

		try:
			set_service_company_defaults(repair_labour_item=LABOUR_ITEM, repair_labour_rate=75)
			serial, dn, _si = delivered_unit(days_ago=3)
			frappe.db.set_value("Serial No", serial, "warranty_expiry_date", add_days(getdate(), -1))
			request = make_repair_request(serial, technician=TECH, delivery_note=dn.name)
			feedback = make_feedback(request)
			self.assertEqual((feedback.labour_item, flt(feedback.labour_rate)), (LABOUR_ITEM, 75))
			feedback.submit()
			invoice = self._bill(feedback.name)
			self.assertEqual(
				{row.item_code: (row.qty, row.rate) for row in invoice.items}, {LABOUR_ITEM: (2, 75)}
			)
			# a rate typed on the form wins over the company's
			request2 = make_repair_request(serial, technician=TECH, delivery_note=dn.name)
			self.assertEqual(flt(make_feedback(request2, labour_rate=90).labour_rate), 90)
		finally:
			frappe.clear_document_cache("Service Control Settings", "Service Control Settings")

	def test_settings_refuse_a_stock_item_as_labour(self):
		from service_control.tests.utils import set_service_company_defaults

		try:
			with self.assertRaisesRegex(frappe.ValidationError, "is a stock item; choose a non-stock"):
				set_service_company_defaults(repair_labour_item=PART_ITEM)
			with self.assertRaisesRegex(frappe.ValidationError, "labour rate cannot be negative"):
				set_service_company_defaults(repair_labour_item=LABOUR_ITEM, repair_labour_rate=-1)
			settings = frappe.get_doc("Service Control Settings")
			settings.repair_satisfied_rating = 6
			with self.assertRaisesRegex(frappe.ValidationError, "between 1 and 5 stars"):
				settings.save()
			settings = frappe.get_doc("Service Control Settings")
			settings.repair_satisfied_rating = 0  # empty: the default of 4 stars
			settings.save()
			self.assertEqual(
				frappe.db.get_single_value("Service Control Settings", "repair_satisfied_rating"), 4
			)
		finally:
			frappe.clear_document_cache("Service Control Settings", "Service Control Settings")

	# ---- replace -----------------------------------------------------------------------------

	def test_replace_is_approved_as_a_compensation_then_delivers_the_new_serial(self):
		request, old_serial, _dn, _si = self._request(days_ago=10, remedy="Replace")
		new_serial = receive_units(1)[0]
		frappe.set_user(TECH)
		feedback = make_feedback(
			request,
			result="Replaced",
			work_done="Unit exchanged",
			replacement_serial_no=new_serial,
			replacement_warehouse=get_warehouse(),
			submit=True,
		)
		frappe.set_user("Administrator")
		# nothing leaves stock on the technician's word: a compensation waits for approval
		self.assertFalse(feedback.replacement_delivery_note)
		self.assertEqual(frappe.db.get_value("Serial No", new_serial, "status"), "Active")
		comp = frappe.get_doc("Compensation", feedback.compensation)
		self.assertEqual(
			(comp.status, comp.requested_by, comp.settlement_method, comp.replacement_serial_no),
			("Pending Quality Approval", TECH, "Free Replacement", new_serial),
		)
		self.assertEqual((flt(comp.total_amount), comp.approval_level), (500, "Quality Manager"))
		self.assertEqual(comp.repair_request, request.name)

		comp = settle_compensation(comp.name)
		note = frappe.get_doc("Delivery Note", comp.replacement_delivery)
		self.assertEqual((note.docstatus, note.customer, note.is_return), (1, request.customer, 0))
		self.assertEqual(note.items[0].item_code, UNIT_ITEM)
		self.assertEqual(sle_qty(note.name, UNIT_ITEM), -1)
		self.assertEqual(frappe.db.get_value("Serial No", new_serial, "customer"), request.customer)
		# the cost of the unit given away is the compensation expense
		expense = set_service_company_defaults()["compensation_expense_account"]
		self.assertEqual(
			flt(frappe.db.get_value("GL Entry", {"voucher_no": note.name, "account": expense}, "debit")), 500
		)
		self.assertEqual(
			frappe.db.get_value("Repair Feedback", feedback.name, "replacement_delivery_note"), note.name
		)
		request.reload()
		self.assertEqual(request.replacement_serial_no, new_serial)
		self.assertEqual(request.replacement_delivery_note, note.name)
		self.assertEqual(request.serial_no, old_serial)
		self.assertEqual(request.status, "Resolved")

		# the form cannot be cancelled under a settled compensation; Accounts reverse it first
		frappe.db.savepoint("refused_cancel")  # a request's failure rolls back; a test's must too
		with self.assertRaisesRegex(frappe.ValidationError, "has been settled"):
			frappe.get_doc("Repair Feedback", feedback.name).cancel()
		frappe.db.rollback(save_point="refused_cancel")
		frappe.get_doc("Compensation", comp.name).cancel()
		self.assertEqual(sle_qty(note.name, UNIT_ITEM), 0)
		self.assertIsNone(frappe.db.get_value("Repair Request", request.name, "replacement_delivery_note"))
		frappe.get_doc("Repair Feedback", feedback.name).cancel()

	def test_replace_without_replacement_in_stock_refused(self):
		request, *_ = self._request(days_ago=10, remedy="Replace")
		# a serial already delivered to someone is not in stock
		other_serial, *_ = delivered_unit(days_ago=1)
		feedback = make_feedback(request, result="Replaced", work_done="Unit exchanged")
		feedback.replacement_serial_no = other_serial
		feedback.replacement_warehouse = get_warehouse()
		with self.assertRaisesRegex(frappe.ValidationError, "No replacement"):
			feedback.save()
		feedback.reload()
		with self.assertRaisesRegex(frappe.ValidationError, "replacement serial"):
			feedback.submit()

	# ---- refund ------------------------------------------------------------------------------

	def test_refund_is_approved_by_amount_before_the_credit_note_posts(self):
		request, _serial, _dn, invoice = self._request(days_ago=2, invoice=True, remedy="Refund")
		credit_notes = {"is_return": 1, "return_against": invoice.name}
		frappe.set_user(TECH)
		feedback = make_feedback(
			request, result="Refunded", work_done="Refund agreed", refund_amount=600, submit=True
		)
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Sales Invoice", credit_notes))
		comp = frappe.get_doc("Compensation", feedback.compensation)
		self.assertEqual(
			(comp.status, comp.settlement_method, flt(comp.total_amount), comp.sales_invoice),
			("Pending Quality Approval", "Credit Note", 600, invoice.name),
		)
		# the technician who asked for the refund cannot approve it, whatever roles they hold
		make_user(TECH, ["Service Technician", "Quality Manager"])
		frappe.set_user(TECH)
		with self.assertRaisesRegex(frappe.ValidationError, "someone else has to approve"):
			apply_workflow(frappe.get_doc("Compensation", comp.name), "Approve")
		frappe.set_user("Administrator")
		frappe.get_doc("User", TECH).remove_roles("Quality Manager")
		self.assertFalse(frappe.db.exists("Sales Invoice", credit_notes))

		comp = settle_compensation(comp.name)
		note = frappe.get_doc("Sales Invoice", comp.credit_note)
		self.assertEqual((note.docstatus, note.is_return, note.return_against), (1, 1, invoice.name))
		self.assertEqual(flt(note.grand_total), -600)
		self.assertTrue(frappe.db.exists("GL Entry", {"voucher_no": note.name, "is_cancelled": 0}))
		self.assertEqual(frappe.db.get_value("Repair Request", request.name, "credit_note"), note.name)
		self.assertEqual(frappe.db.get_value("Repair Feedback", feedback.name, "credit_note"), note.name)
		frappe.get_doc("Compensation", comp.name).cancel()
		self.assertEqual(frappe.db.get_value("Sales Invoice", note.name, "docstatus"), 2)
		self.assertIsNone(frappe.db.get_value("Repair Request", request.name, "credit_note"))

	def test_a_refund_above_the_limit_needs_the_general_manager(self):
		request, *_ = self._request(days_ago=2, invoice=True, remedy="Refund")
		set_service_company_defaults(quality_manager_limit=500, supplier_claim_limit=100)
		try:
			feedback = make_feedback(
				request, result="Refunded", work_done="Refund agreed", refund_amount=600, submit=True
			)
			comp = frappe.get_doc("Compensation", feedback.compensation)
			self.assertEqual(comp.approval_level, "General Manager")
			from service_control.tests.compensation_fixtures import ACC, QM, make_users

			make_users()
			frappe.set_user(QM)
			with self.assertRaisesRegex(frappe.ValidationError, "also needs the General Manager"):
				comp.status = "Approved"
				comp.save()
			comp = apply_workflow(frappe.get_doc("Compensation", comp.name), "Approve")
			self.assertEqual(comp.status, "Pending General Manager Approval")
			frappe.set_user(ACC)
			with self.assertRaisesRegex(frappe.ValidationError, "Only an approved compensation"):
				frappe.get_doc("Compensation", comp.name).submit()
			frappe.set_user("Administrator")
			self.assertFalse(frappe.db.get_value("Compensation", comp.name, "credit_note"))
			self.assertFalse(frappe.db.exists("Sales Invoice", {"return_against": request.sales_invoice}))
		finally:
			frappe.clear_document_cache("Service Control Settings", "Service Control Settings")

	def test_cancelling_the_form_withdraws_a_pending_refund(self):
		request, *_ = self._request(days_ago=2, invoice=True, remedy="Refund")
		feedback = make_feedback(
			request, result="Refunded", work_done="Refund agreed", refund_amount=600, submit=True
		)
		feedback.cancel()
		comp = frappe.get_doc("Compensation", feedback.compensation)
		self.assertEqual((comp.status, comp.docstatus), ("Rejected", 0))
		comment = frappe.db.get_value(
			"Comment",
			{"reference_name": comp.name, "comment_type": "Workflow"},
			"content",
			order_by="creation desc",
		)
		self.assertIn(feedback.name, comment)
		# it cannot be sent for approval again: Frappe refuses a link to a cancelled form
		comp.status = "Pending Quality Approval"
		with self.assertRaisesRegex(
			frappe.ValidationError, f"Cannot link cancelled document.*{feedback.name}"
		):
			comp.save()
		self.assertEqual(frappe.db.get_value("Compensation", comp.name, "status"), "Rejected")

	def test_refund_on_a_taxed_invoice_credits_exactly_the_refund(self):
		from service_control.service_control.doctype.repair_feedback.repair_feedback import (
			refundable_amount,
		)

		serial, dn, _si = delivered_unit(days_ago=2)
		invoice = taxed_invoice(dn.name)
		self.assertEqual(flt(invoice.grand_total), 1130)  # 1000 + 13% VAT
		request = make_repair_request(
			serial, technician=TECH, delivery_note=dn.name, sales_invoice=invoice.name, remedy="Refund"
		)
		# the cap is what is left of the item's invoiced amount
		with self.assertRaisesRegex(frappe.ValidationError, "more than the 1,?000"):
			make_feedback(request, result="Refunded", work_done="Refund agreed", refund_amount=1001)
		self.assertFalse(frappe.db.exists("Repair Feedback", {"repair_request": request.name}))

		feedback = make_feedback(
			request, result="Refunded", work_done="Refund agreed", refund_amount=600, submit=True
		)
		comp = settle_compensation(feedback.compensation)
		note = frappe.get_doc("Sales Invoice", comp.credit_note)
		self.assertEqual((note.docstatus, note.is_return, note.return_against), (1, 1, invoice.name))
		# the VAT is inside the refund, not added on top of it
		self.assertEqual(flt(note.grand_total), -600)
		self.assertEqual(
			[(t.charge_type, t.included_in_print_rate, flt(t.tax_amount)) for t in note.taxes],
			[("On Net Total", 1, -69.03)],
		)
		vat = invoice.taxes[0].account_head
		self.assertEqual(
			gl_rows(note.name),
			sorted(
				[
					(invoice.items[0].income_account, 530.97, 0, None),
					(vat, 69.03, 0, None),
					(invoice.debit_to, 0, 600, request.customer),
				]
			),
		)
		self.assertEqual(refundable_amount(invoice.name, UNIT_ITEM), 400)  # 1000 less the 600 refunded
		frappe.get_doc("Compensation", comp.name).cancel()
		self.assertEqual(gl_rows(note.name), [])
		self.assertEqual(refundable_amount(invoice.name, UNIT_ITEM), 1000)

	def test_refund_above_invoice_refused(self):
		request, *_ = self._request(days_ago=2, invoice=True, remedy="Refund")
		with self.assertRaisesRegex(frappe.ValidationError, "more than the 1,?000"):
			make_feedback(request, result="Refunded", work_done="Refund agreed", refund_amount=1500)
		self.assertFalse(frappe.db.exists("Repair Feedback", {"repair_request": request.name}))

	def test_feedback_needs_an_assigned_request(self):
		serial, *_ = delivered_unit(days_ago=3)
		request = make_repair_request(serial)
		with self.assertRaisesRegex(frappe.ValidationError, "Assign a Service Technician"):
			frappe.get_doc(
				{"doctype": "Repair Feedback", "repair_request": request.name, "technician": TECH}
			).insert()

	def test_result_must_match_remedy(self):
		request, *_ = self._request()
		with self.assertRaisesRegex(frappe.ValidationError, "does not match the remedy"):
			make_feedback(request, result="Refunded")

	# ---- print formats -------------------------------------------------------------------------

	def test_feedback_form_prints_customer_and_company_copies(self):
		request, serial, *_ = self._request()
		feedback = make_feedback(
			request,
			parts=[{"item_code": PART_ITEM, "qty": 1, "warehouse": get_warehouse()}],
			work_done="Replaced <b>fuse</b>",
			quality_rating=0.8,
			attitude_rating=1,
			verifier_name="Mr Li",
			submit=True,
		)
		html = frappe.get_print("Repair Feedback", feedback.name, print_format="Repair Feedback Form")
		for text in (
			"维修反馈单",
			"Repair Feedback Form",
			"顾客联",
			"公司联",
			"Customer Copy",
			"Company Copy",
		):
			self.assertIn(text, html)
		for text in (feedback.name, request.name, serial, "Mr Li", "★★★★☆", "Does not power on"):
			self.assertIn(text, html)
		self.assertEqual(html.count("顾客验证"), 2)  # both copies carry the verification block
		self.assertIn("Replaced &lt;b&gt;fuse&lt;/b&gt;", html)
		html = frappe.get_print("Repair Request", request.name, print_format="Repair Registration")
		for text in ("报修登记表", "Repair Registration", request.name, serial, "Does not power on"):
			self.assertIn(text, html)


class TestRepairFeedbackExactlyOnce(FrappeTestCase):
	"""Submitting or billing one form from two connections at once posts its vouchers once. These
	tests commit (the other connections see only committed rows) and cancel afterwards."""

	def setUp(self):
		frappe.set_user("Administrator")
		restore_settings_rows_after(self)
		make_repair_masters()
		set_service_company_defaults()
		mute_emails(self)
		receive_parts(50)
		make_user(TECH2, ["Service Technician"])

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def committed_feedback(self, **kwargs) -> str:
		serial, dn, _si = delivered_unit(days_ago=3)
		frappe.db.set_value("Serial No", serial, "warranty_expiry_date", add_days(getdate(), -1))
		request = make_repair_request(serial, technician=TECH, delivery_note=dn.name)
		feedback = make_feedback(
			request,
			parts=[
				{"item_code": PART_ITEM, "qty": 1, "warehouse": get_warehouse(), "chargeable": 1, "rate": 35}
			],
			**kwargs,
		)
		frappe.db.commit()

		def undo():
			frappe.set_user("Administrator")
			frappe.db.rollback()
			for invoice in frappe.get_all(
				"Sales Invoice", filters={"sc_repair_feedback": feedback.name, "docstatus": 1}, pluck="name"
			):
				frappe.get_doc("Sales Invoice", invoice).cancel()
			doc = frappe.get_doc("Repair Feedback", feedback.name)
			if doc.docstatus == 1:
				doc.cancel()
			frappe.db.commit()

		self.addCleanup(undo)
		return feedback.name

	def test_submitting_twice_at_once_issues_the_parts_once(self):
		name = self.committed_feedback()

		results = run_concurrently(
			lambda: frappe.get_doc("Repair Feedback", name).submit(), [TECH, "Administrator"]
		)
		self.assertEqual(len(errors(results)), 1, results)
		entries = frappe.get_all(
			"Stock Entry", filters={"remarks": ("like", f"%{name}%"), "docstatus": 1}, pluck="name"
		)
		self.assertEqual(len(entries), 1)
		self.assertEqual(frappe.db.get_value("Repair Feedback", name, "stock_entry"), entries[0])
		self.assertEqual(sle_qty(entries[0], PART_ITEM), -1)

	def test_billing_twice_at_once_makes_one_invoice(self):
		from service_control.service_control.doctype.repair_feedback.repair_feedback import (
			make_sales_invoice,
		)

		name = self.committed_feedback()
		frappe.get_doc("Repair Feedback", name).submit()
		frappe.db.commit()
		first, second = "sc.billing@example.com", "sc.billing2@example.com"
		for user in (first, second):
			make_user(user, ["Accounts User"])
		frappe.db.commit()

		def bill():
			invoice = make_sales_invoice(name)
			invoice.insert()
			invoice.submit()
			return invoice.name

		results = run_concurrently(bill, [first, second])
		failures = errors(results)
		self.assertEqual(len(failures), 1, results)
		self.assertIn("already bills", str(failures[0]))
		invoices = frappe.get_all(
			"Sales Invoice", filters={"sc_repair_feedback": name, "docstatus": ("<", 2)}, pluck="name"
		)
		self.assertEqual(len(invoices), 1)
		self.assertEqual(frappe.db.get_value("Repair Feedback", name, "sales_invoice"), invoices[0])
		self.assertEqual(frappe.db.get_value("Sales Invoice", invoices[0], "docstatus"), 1)
