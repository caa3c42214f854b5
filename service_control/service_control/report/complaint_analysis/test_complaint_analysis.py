# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from datetime import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.service_control.report.complaint_analysis.complaint_analysis import execute
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, make_complaint, make_customer, make_item

test_ignore = TEST_IGNORE

CUSTOMER_A = "_Test SC Analysis A"
CUSTOMER_B = "_Test SC Analysis B"
ITEM_X = "_Test SC Analysis X"
ITEM_Y = "_Test SC Analysis Y"
SERIAL = "_TSC-ANALYSIS-SN-1"
# a period no other test writes to, so the counts below are exact
FILTERS = {"company": TEST_COMPANY, "from_date": "2021-05-01", "to_date": "2021-08-31"}


class TestComplaintAnalysis(FrappeTestCase):
	def setUp(self):
		make_customer(CUSTOMER_A)
		make_customer(CUSTOMER_B)
		make_item(ITEM_X)
		make_item(ITEM_Y, has_serial_no=1)
		if not frappe.db.exists("Serial No", SERIAL):
			frappe.get_doc({"doctype": "Serial No", "serial_no": SERIAL, "item_code": ITEM_Y}).insert()

		def complaint(customer, item, on, category=None, **kw):
			return make_complaint(customer=customer, item_code=item, received_on=on, category=category, **kw)

		self.c1 = complaint(CUSTOMER_A, ITEM_X, datetime(2021, 5, 3, 9), "Delivery")
		self.c2 = complaint(CUSTOMER_A, ITEM_X, datetime(2021, 6, 1, 9), "Delivery")
		self.c3 = complaint(CUSTOMER_A, ITEM_Y, datetime(2021, 5, 10, 9), "Delivery", serial_no=SERIAL)
		self.c4 = complaint(CUSTOMER_B, ITEM_X, datetime(2021, 5, 15, 9), "Packaging")
		self.c5 = complaint(CUSTOMER_B, ITEM_Y, datetime(2021, 7, 20, 9), serial_no=SERIAL)
		cancelled = complaint(CUSTOMER_A, ITEM_X, datetime(2021, 5, 20, 9), "Delivery")
		frappe.db.set_value("Customer Complaint", cancelled.name, "status", "Cancelled")

	def tearDown(self):
		frappe.db.rollback()

	def pareto(self, dimension):
		columns, data, _message, chart, summary = execute(
			{**FILTERS, "view": "Pareto", "dimension": dimension}
		)
		return columns, data, chart, summary

	def test_pareto_by_category(self):
		columns, data, chart, summary = self.pareto("Category")
		self.assertEqual(
			[(r["key"], r["count"], r["share"], r["cumulative_share"]) for r in data],
			[("Delivery", 3, 60.0, 60.0), ("Packaging", 1, 20.0, 80.0), ("Not Set", 1, 20.0, 100.0)],
		)
		self.assertEqual([r["vital_few"] for r in data], ["Yes", "Yes", "No"])
		self.assertEqual(columns[0]["options"], "Complaint Category")
		self.assertEqual(chart["type"], "axis-mixed")
		self.assertEqual(chart["data"]["datasets"][1]["values"], [60.0, 80.0, 100.0])
		self.assertEqual(summary[0]["value"], 5)

	def test_pareto_by_customer_item_and_responsibility(self):
		_columns, data, _chart, _summary = self.pareto("Customer")
		self.assertEqual([(r["key"], r["count"]) for r in data], [(CUSTOMER_A, 3), (CUSTOMER_B, 2)])
		_columns, data, _chart, _summary = self.pareto("Item")
		self.assertEqual([(r["key"], r["share"]) for r in data], [(ITEM_X, 60.0), (ITEM_Y, 40.0)])
		_columns, data, _chart, _summary = self.pareto("Responsibility")
		self.assertEqual([(r["key"], r["count"]) for r in data], [("Not Set", 5)])

	def test_repeat_complaints(self):
		_columns, data, _message, _chart, summary = execute({**FILTERS, "view": "Repeat Complaints"})
		by_kind = {r["repeat_by"]: r for r in data}
		self.assertEqual(len(data), 2)
		same_item = by_kind["Customer and Item"]
		self.assertEqual((same_item["customer"], same_item["item_code"]), (CUSTOMER_A, ITEM_X))
		self.assertEqual(same_item["complaint_names"], f"{self.c1.name}, {self.c2.name}")
		self.assertEqual(same_item["span_days"], 29.0)
		serial = by_kind["Serial No"]
		self.assertEqual(serial["serial_no"], SERIAL)
		self.assertEqual(serial["complaints"], 2)
		self.assertEqual(summary[1]["value"], 4)

	def test_repeat_window_and_kind_filters(self):
		_columns, data, *_rest = execute({**FILTERS, "view": "Repeat Complaints", "window_days": 60})
		self.assertEqual([r["repeat_by"] for r in data], ["Customer and Item"])
		_columns, data, *_rest = execute({**FILTERS, "view": "Repeat Complaints", "window_days": 20})
		self.assertEqual(data, [])
		_columns, data, *_rest = execute({**FILTERS, "view": "Repeat Complaints", "repeat_by": "Serial No"})
		self.assertEqual([r["serial_no"] for r in data], [SERIAL])

	def test_repeat_window_includes_its_last_day(self):
		"""A complaint exactly ``window_days`` after the previous one on the same key repeats it."""
		later = make_complaint(customer=CUSTOMER_B, item_code=ITEM_X, received_on=datetime(2021, 6, 14, 9))

		def pairs(window):
			_columns, data, *_rest = execute(
				{
					**FILTERS,
					"view": "Repeat Complaints",
					"repeat_by": "Customer and Item",
					"window_days": window,
				}
			)
			return {(r["customer"], r["complaint_names"]) for r in data}

		self.assertEqual(
			pairs(30),
			{(CUSTOMER_A, f"{self.c1.name}, {self.c2.name}"), (CUSTOMER_B, f"{self.c4.name}, {later.name}")},
		)
		self.assertEqual(pairs(29), {(CUSTOMER_A, f"{self.c1.name}, {self.c2.name}")})
