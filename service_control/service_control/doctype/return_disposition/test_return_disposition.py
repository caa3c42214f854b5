# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.exceptions import DispositionValidationError
from service_control.service_control.doctype.return_disposition.return_disposition import approve
from service_control.service_control.returns import make_return_disposition, make_sales_return
from service_control.tests.utils import (
	TEST_IGNORE,
	get_warehouse,
	make_complaint,
	make_customer,
	make_delivery_note,
	make_item,
	make_sales_invoice,
	make_stock,
	make_user,
	new_delivery_note,
	set_service_company_defaults,
)

test_ignore = TEST_IGNORE

QM = "qm5@example.com"
QM2 = "qm5b@example.com"
WH = "wh5@example.com"


def sle(voucher_no: str, cancelled: int = 0) -> list[tuple]:
	return sorted(
		(r.warehouse, r.actual_qty)
		for r in frappe.get_all(
			"Stock Ledger Entry",
			filters={"voucher_no": voucher_no, "is_cancelled": cancelled},
			fields=["warehouse", "actual_qty"],
		)
	)


def stock_qty(item_code: str, warehouse: str) -> float:
	return frappe.db.get_value("Bin", {"item_code": item_code, "warehouse": warehouse}, "actual_qty") or 0


class TestReturnDisposition(FrappeTestCase):
	def setUp(self):
		# FrappeTestCase rolls back once per class: each test undoes its own records
		frappe.db.savepoint("sc_test")
		self.defaults = set_service_company_defaults()
		make_user(QM, ["Quality Manager"])
		make_user(QM2, ["Quality Manager"])
		make_user(WH, ["Stock User", "Stock Manager"])
		self.customer = make_customer()
		self.item = make_item("_Test SC Return Item")
		self.dn = make_delivery_note(self.customer, self.item, qty=10, rate=200)
		self.complaint = make_complaint(item_code=self.item, delivery_note=self.dn.name, affected_qty=3)
		self.pending = self.defaults["pending_warehouse"]

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="sc_test")

	def make_return(self, qty=None):
		frappe.set_user("Administrator")
		ret = make_sales_return(self.complaint.name, qty)
		ret.insert()
		ret.submit()
		return ret

	def make_disposition(self, ret, scrap=1, rework=1, restock=1, user=WH, items_qi=None, **kwargs):
		frappe.set_user(user)
		doc = make_return_disposition("Delivery Note", ret.name)
		for row in doc.items:
			row.update(
				{
					"scrap_qty": scrap,
					"rework_qty": rework,
					"restock_qty": restock,
					"inspection_result": "Nonconforming",
					"quality_inspection": items_qi,
				}
			)
		doc.update(kwargs)
		doc.insert()
		return doc

	def approve_and_submit(self, doc):
		frappe.set_user(QM)
		approve(doc.name)
		frappe.set_user(WH)
		doc = frappe.get_doc("Return Disposition", doc.name)
		doc.submit()
		frappe.set_user("Administrator")
		return doc

	# ----- returns ----------------------------------------------------------------------------

	def test_return_uses_erpnext_mapping_into_pending_warehouse(self):
		ret = self.make_return()
		self.assertEqual(
			(ret.is_return, ret.return_against, ret.sc_customer_complaint),
			(1, self.dn.name, self.complaint.name),
		)
		self.assertEqual(
			[(r.item_code, r.qty, r.warehouse) for r in ret.items], [(self.item, -3, self.pending)]
		)
		self.assertTrue(all(r.dn_detail for r in ret.items))  # ERPNext's row link to the delivery
		self.assertEqual(sle(ret.name), [(self.pending, 3)])

	def test_return_capped_at_delivered_not_returned(self):
		with self.assertRaises(DispositionValidationError):
			make_sales_return(self.complaint.name, 11)
		self.make_return(8)
		self.assertEqual([r.qty for r in make_sales_return(self.complaint.name, 2).items], [-2])
		with self.assertRaises(frappe.ValidationError):
			make_sales_return(self.complaint.name, 3)

	def test_return_needs_the_pending_warehouse(self):
		set_service_company_defaults(pending_warehouse=None)
		with self.assertRaises(frappe.ValidationError):
			make_sales_return(self.complaint.name)

	# ----- disposition: the stock ledger ------------------------------------------------------

	def test_split_executed_as_stock_entries_and_cancel_reverses_them(self):
		ret = self.make_return()
		doc = self.approve_and_submit(self.make_disposition(ret))
		row = doc.items[0]
		self.assertTrue(row.scrap_stock_entry and row.rework_stock_entry and row.restock_stock_entry)
		scrap = frappe.get_doc("Stock Entry", row.scrap_stock_entry)
		self.assertEqual(
			(scrap.purpose, scrap.items[0].expense_account),
			("Material Issue", self.defaults["scrap_loss_account"]),
		)
		self.assertEqual(sle(scrap.name), [(self.pending, -1)])
		self.assertEqual(
			sle(row.rework_stock_entry), sorted([(self.pending, -1), (self.defaults["rework_warehouse"], 1)])
		)
		self.assertEqual(sle(row.restock_stock_entry), sorted([(self.pending, -1), (get_warehouse(), 1)]))
		# the scrap loss, valued by ERPNext (the delivery's valuation rate, 100), carries the complaint
		loss = frappe.get_all(
			"GL Entry",
			filters={
				"voucher_no": scrap.name,
				"is_cancelled": 0,
				"account": self.defaults["scrap_loss_account"],
			},
			fields=["debit", "customer_complaint"],
		)
		self.assertEqual([(r.debit, r.customer_complaint) for r in loss], [(100, self.complaint.name)])
		self.assertEqual((row.scrap_value, row.restock_value), (100, 100))
		self.assertEqual(stock_qty(self.item, self.pending), 0)

		frappe.set_user(WH)
		frappe.get_doc("Return Disposition", doc.name).cancel()
		frappe.set_user("Administrator")
		for name in (row.scrap_stock_entry, row.rework_stock_entry, row.restock_stock_entry):
			self.assertEqual(frappe.db.get_value("Stock Entry", name, "docstatus"), 2)
			self.assertEqual(sle(name), [])
		self.assertEqual(stock_qty(self.item, self.pending), 3)

	def test_scrap_by_transfer_to_scrap_warehouse(self):
		ret = self.make_return()
		doc = self.approve_and_submit(
			self.make_disposition(
				ret, scrap=3, rework=0, restock=0, scrap_method="Transfer to Scrap Warehouse"
			)
		)
		entry = doc.items[0].scrap_stock_entry
		self.assertEqual(frappe.db.get_value("Stock Entry", entry, "purpose"), "Material Transfer")
		self.assertEqual(sle(entry), sorted([(self.pending, -3), (self.defaults["scrap_warehouse"], 3)]))

	def test_cancel_refused_when_restocked_goods_were_sold(self):
		ret = self.make_return()
		doc = self.approve_and_submit(self.make_disposition(ret, scrap=0, rework=0, restock=3))
		stores = get_warehouse()
		sold = new_delivery_note(
			self.customer, [{"item_code": self.item, "qty": stock_qty(self.item, stores), "rate": 200}]
		)
		sold.insert()
		sold.submit()
		frappe.db.savepoint("before_cancel")
		with self.assertRaises(frappe.ValidationError) as raised:
			frappe.get_doc("Return Disposition", doc.name).cancel()
		frappe.db.rollback(save_point="before_cancel")  # what the failed request does
		self.assertIn("already been used or sold", str(raised.exception))
		self.assertEqual(frappe.db.get_value("Return Disposition", doc.name, "docstatus"), 1)

	# ----- approval and bad input ------------------------------------------------------------

	def test_quality_manager_approves_but_not_own_disposition(self):
		ret = self.make_return()
		doc = self.make_disposition(ret)
		frappe.set_user(WH)
		with self.assertRaises(frappe.ValidationError):  # not a quality manager
			approve(doc.name)
		with self.assertRaises(frappe.ValidationError):  # submit needs the approval
			frappe.get_doc("Return Disposition", doc.name).submit()
		own = self.make_disposition(self.make_return(2), scrap=0, rework=0, restock=2, user=QM)
		with self.assertRaises(frappe.ValidationError):  # nobody approves their own
			approve(own.name)
		frappe.set_user(QM2)
		approve(own.name)
		self.assertEqual(frappe.db.get_value("Return Disposition", own.name, "approved_by"), QM2)
		# a change to the split withdraws the approval
		frappe.set_user(QM)
		own = frappe.get_doc("Return Disposition", own.name)
		own.items[0].restock_qty, own.items[0].rework_qty = 1, 1
		own.save()
		self.assertIsNone(own.approved_by)

	def test_bad_splits_refused(self):
		ret = self.make_return()
		count = frappe.db.count("Return Disposition")
		with self.assertRaises(DispositionValidationError):  # 1 + 1 + 2 != 3
			self.make_disposition(ret, restock=2)
		with self.assertRaises(DispositionValidationError):  # more than the return brought back
			doc = make_return_disposition("Delivery Note", ret.name)
			doc.items[0].update({"returned_qty": 4, "restock_qty": 4, "inspection_result": "Conforming"})
			doc.insert()
		frappe.set_user("Administrator")
		set_service_company_defaults(scrap_loss_account=None)
		with self.assertRaises(DispositionValidationError):  # scrap without a loss account
			self.make_disposition(ret)
		self.assertEqual(frappe.db.count("Return Disposition"), count)

	# ----- audit follow-ups ------------------------------------------------------------------

	def test_reworked_goods_are_inspected_again_and_restocked(self):
		rework_wh = self.defaults["rework_warehouse"]
		ret = self.make_return()
		self.approve_and_submit(self.make_disposition(ret, scrap=1, rework=2, restock=0))
		self.assertEqual(stock_qty(self.item, rework_wh), 2)
		# the return offers what waits for a decision: the 2 reworked units, in the rework warehouse
		frappe.set_user(WH)
		again = make_return_disposition("Delivery Note", ret.name)
		self.assertEqual(
			[(r.item_code, r.returned_qty, r.warehouse) for r in again.items], [(self.item, 2, rework_wh)]
		)
		again.items[0].update({"restock_qty": 2, "inspection_result": "Conforming"})
		again.insert()
		again = self.approve_and_submit(again)
		entry = again.items[0].restock_stock_entry
		self.assertEqual(sle(entry), sorted([(rework_wh, -2), (get_warehouse(), 2)]))
		self.assertEqual(stock_qty(self.item, rework_wh), 0)
		frappe.set_user(WH)
		with self.assertRaises(frappe.ValidationError):  # nothing waits any more
			make_return_disposition("Delivery Note", ret.name)
		doc = frappe.new_doc("Return Disposition")  # nor can more be disposed of from rework
		doc.update(
			{
				k: again.get(k)
				for k in ("customer_complaint", "company", "customer", "return_doctype", "sales_return")
			}
		)
		doc.append(
			"items",
			{
				"item_code": self.item,
				"returned_qty": 1,
				"warehouse": rework_wh,
				"restock_qty": 1,
				"inspection_result": "Conforming",
			},
		)
		with self.assertRaises(DispositionValidationError):
			doc.insert()

	def test_quality_inspection_must_be_a_submitted_one_of_the_item(self):
		frappe.db.set_single_value(
			"Stock Settings", "allow_to_make_quality_inspection_after_purchase_or_delivery", 1
		)
		ret = self.make_return()

		def inspection(item_code, submit=True):
			qi = frappe.get_doc(
				{
					"doctype": "Quality Inspection",
					"inspection_type": "Incoming",
					"reference_type": "Delivery Note",
					"reference_name": ret.name,
					"item_code": item_code,
					"sample_size": 1,
					"inspected_by": "Administrator",
					"status": "Rejected",
				}
			).insert(ignore_permissions=True)
			if submit:
				qi.submit()
			return qi.name

		other = make_item("_Test SC Return Other Item")
		for name in (inspection(self.item, submit=False), inspection(other)):
			with self.subTest(inspection=name), self.assertRaises(DispositionValidationError):
				self.make_disposition(ret, items_qi=name)
		doc = self.make_disposition(ret, items_qi=inspection(self.item))
		self.assertTrue(doc.items[0].quality_inspection)

	def test_return_against_an_invoice_that_moved_the_goods(self):
		make_stock(self.item, qty=5)
		si = make_sales_invoice(
			self.customer,
			self.item,
			update_stock=1,
			items=[{"item_code": self.item, "qty": 5, "rate": 200, "warehouse": get_warehouse()}],
		)
		complaint = make_complaint(item_code=self.item, sales_invoice=si.name, affected_qty=2)
		ret = make_sales_return(complaint.name)
		self.assertEqual((ret.doctype, ret.is_return, ret.return_against), ("Sales Invoice", 1, si.name))
		ret.insert()
		ret.submit()
		self.assertEqual(sle(ret.name), [(self.pending, 2)])
		frappe.set_user(WH)
		doc = make_return_disposition("Sales Invoice", ret.name)
		self.assertEqual([(r.returned_qty, r.warehouse) for r in doc.items], [(2, self.pending)])
		# an invoice that did not move the goods: return them against the Delivery Note
		frappe.set_user("Administrator")
		billed = make_sales_invoice(self.customer, self.item, qty=1)
		with self.assertRaises(frappe.ValidationError):
			make_sales_return(make_complaint(item_code=self.item, sales_invoice=billed.name).name)


class TestConcurrentReturns(FrappeTestCase):
	"""Two returns of one complaint submitted at once bring back no more than was delivered. The
	test commits (the other connection sees only committed rows) and cancels afterwards."""

	def setUp(self):
		from service_control.tests.concurrency import restore_settings_rows_after

		frappe.set_user("Administrator")
		restore_settings_rows_after(self)
		set_service_company_defaults()
		make_user(WH, ["Stock User", "Stock Manager"])
		make_user("wh5b@example.com", ["Stock User", "Stock Manager"])
		self.item = make_item("_Test SC Concurrent Return Item")
		self.dn = make_delivery_note(make_customer(), self.item, qty=10, rate=200)
		self.complaint = make_complaint(item_code=self.item, delivery_note=self.dn.name, affected_qty=6)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_two_returns_at_once_cannot_exceed_the_delivery(self):
		from service_control.tests.concurrency import errors, run_concurrently

		drafts = []
		for _i in range(2):
			ret = make_sales_return(self.complaint.name, 6)  # each alone is within the 10 delivered
			ret.insert()
			drafts.append(ret.name)
		frappe.db.commit()

		def undo():
			frappe.db.rollback()
			for name in drafts:
				doc = frappe.get_doc("Delivery Note", name)
				if doc.docstatus == 1:
					doc.cancel()
				elif doc.docstatus == 0:
					doc.delete()
			frappe.db.commit()

		self.addCleanup(undo)
		queue = list(drafts)
		results = run_concurrently(
			lambda: frappe.get_doc("Delivery Note", queue.pop()).submit(), [WH, "wh5b@example.com"]
		)
		failures = errors(results)
		self.assertEqual(len(failures), 1, results)
		self.assertIn("Only 4", str(failures[0]))
		returned = frappe.db.sql(
			"""select sum(-stock_qty) from `tabDelivery Note Item` item
			join `tabDelivery Note` dn on dn.name = item.parent
			where dn.is_return = 1 and dn.docstatus = 1 and dn.return_against = %s""",
			self.dn.name,
		)[0][0]
		self.assertEqual(returned, 6)
