# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import random
from datetime import date, datetime, time, timedelta

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import add_months as frappe_add_months
from frappe.utils import getdate

from service_control.core import service_indicators as core
from service_control.core.dates import add_months
from service_control.service_control import service_indicators as counting
from service_control.service_control.report.service_indicators.service_indicators import execute
from service_control.setup.accounting_dimension import get_dimension_field
from service_control.tests.repair_factories import make_repair_masters, make_repair_request
from service_control.tests.utils import (
	TEST_COMPANY,
	TEST_IGNORE,
	make_complaint,
	make_customer,
	make_delivery_note,
	make_item,
	make_user,
	set_service_company_defaults,
)

test_ignore = TEST_IGNORE

#: Generated rows carry a company of their own, so nothing else on the site is counted.
GEN_COMPANY = "_Test SC MIS Generated"
ITEMS = {"_SCMIS-I1": "_SCMIS-G1", "_SCMIS-I2": "_SCMIS-G1", "_SCMIS-I3": "_SCMIS-G2"}
TERRITORIES = ("_SCMIS-North", "_SCMIS-South")


def insert(doctype: str, rows: list[dict]) -> None:
	if rows:
		fields = sorted({k for r in rows for k in r})
		frappe.db.bulk_insert(doctype, fields, [tuple(r.get(f) for f in fields) for r in rows])


def random_day(rng: random.Random) -> date:
	# month ends often, where add_months clamps
	start = date(2024, 1, 1)
	if rng.random() < 0.3:
		first = add_months(start, rng.randint(1, 24))
		return first - timedelta(days=rng.randint(1, 3))
	return start + timedelta(days=rng.randint(0, 729))


class Generated:
	"""Units, complaints, repairs, findings, survey answers and GL entries written straight to the
	tables (the counting only reads them), with the same records kept in Python for the brute force."""

	def __init__(self, seed: int):
		rng = random.Random(seed)
		self.expense = frappe.db.get_value(
			"Account", {"company": TEST_COMPANY, "root_type": "Expense", "is_group": 0}
		)
		self.asset = frappe.db.get_value(
			"Account", {"company": TEST_COMPANY, "root_type": "Asset", "is_group": 0}
		)
		self.dimension = get_dimension_field()
		self.units, self.events = (
			[],
			[],
		)  # (group keys, delivered, qty) / (kind, group keys, delivered, on, value)
		dns, dnis, complaints, repairs, feedback, responses, scores, gles = ([] for _i in range(8))
		customers = {}
		for t in TERRITORIES:
			name = f"_SCMIS-C-{t}"
			customers[t] = name
		insert(
			"Item", [{"name": i, "item_code": i, "item_name": i, "item_group": g} for i, g in ITEMS.items()]
		)
		# each customer sits in the other territory: an event counts under its note's region
		insert(
			"Customer",
			[
				{"name": c, "customer_name": c, "territory": other, "customer_group": "_SCMIS-CG"}
				for (t, c), other in zip(customers.items(), reversed(TERRITORIES), strict=True)
			],
		)

		def dn_row(name, day, territory, docstatus=1, is_return=0, against=None):
			dns.append(
				{
					"name": name,
					"company": GEN_COMPANY,
					"customer": customers[territory],
					"posting_date": day,
					"docstatus": docstatus,
					"is_return": is_return,
					"return_against": against,
					"territory": territory,
					"customer_group": "_SCMIS-CG",
				}
			)

		for n in range(60):
			name, day, territory = f"_SCMIS-DN{n}", random_day(rng), rng.choice(TERRITORIES)
			docstatus = 1 if rng.random() < 0.9 else rng.choice((0, 2))
			dn_row(name, day, territory, docstatus)
			lines = []
			for idx in range(1, rng.randint(1, 3) + 1):
				item, qty = rng.choice(list(ITEMS)), rng.randint(1, 40)
				lines.append((item, qty))
				dnis.append(
					{
						"name": f"{name}-{idx}",
						"parent": name,
						"parenttype": "Delivery Note",
						"parentfield": "items",
						"idx": idx,
						"item_code": item,
						"stock_qty": qty,
					}
				)
				if docstatus == 1:
					self.units.append(((ITEMS[item], territory), day, qty))
			if docstatus != 1:  # a complaint on a draft or cancelled note is not in service
				complaints.append(
					{
						"name": f"{name}-CCX",
						"company": GEN_COMPANY,
						"status": "Open",
						"customer": customers[territory],
						"delivery_note": name,
						"item_code": lines[0][0],
						"received_on": datetime.combine(day + timedelta(days=5), time(9, 0)),
					}
				)
				continue
			if rng.random() < 0.3:  # a return later on, netted at the delivery's date
				item, qty = lines[0]
				ret = f"{name}-RET"
				dn_row(ret, day + timedelta(days=rng.randint(0, 200)), territory, 1, 1, name)
				back = rng.randint(1, qty)
				dnis.append(
					{
						"name": f"{ret}-1",
						"parent": ret,
						"parenttype": "Delivery Note",
						"parentfield": "items",
						"idx": 1,
						"item_code": item,
						"stock_qty": -back,
					}
				)
				self.units.append(((ITEMS[item], territory), day, -back))
			for k in range(rng.randint(0, 5)):
				item = rng.choice(lines)[0]
				on = day + timedelta(days=rng.randint(-15, 420))
				keys = (ITEMS[item], territory)
				kind = rng.random()
				if kind < 0.4:  # complaint, sometimes cancelled, sometimes with a cost on the ledger
					status = "Cancelled" if rng.random() < 0.15 else "Open"
					cname = f"{name}-CC{k}"
					complaints.append(
						{
							"name": cname,
							"company": GEN_COMPANY,
							"status": status,
							"customer": customers[territory],
							"delivery_note": name,
							"item_code": item,
							"received_on": datetime.combine(on, time(10, 0)),
						}
					)
					if status != "Cancelled":
						self.events.append(("defects", keys, day, on, 1))
					if self.dimension and rng.random() < 0.6:
						paid = on + timedelta(days=rng.randint(0, 60))
						amount = rng.randint(10, 500)
						cancelled = rng.random() < 0.1
						gles.append(
							{
								"name": f"{cname}-G1",
								"company": GEN_COMPANY,
								"account": self.expense,
								"debit": amount,
								"credit": 0,
								"posting_date": paid,
								"is_cancelled": int(cancelled),
								"voucher_no": f"{cname}-JV",
								self.dimension: cname,
							}
						)
						gles.append(
							{
								"name": f"{cname}-G2",
								"company": GEN_COMPANY,
								"account": self.asset,
								"debit": 0,
								"credit": amount,
								"posting_date": paid,
								"is_cancelled": int(cancelled),
								"voucher_no": f"{cname}-JV",
								self.dimension: cname,
							}
						)
						if not cancelled:
							self.events.append(("cost", keys, day, paid, amount))
				elif (
					kind < 0.8
				):  # repair request; with a submitted feedback finding a fault, a free repair's parts
					rname = f"{name}-RR{k}"
					status = "Cancelled" if rng.random() < 0.1 else "Open"
					repairs.append(
						{
							"name": rname,
							"company": GEN_COMPANY,
							"status": status,
							"customer": customers[territory],
							"delivery_note": name,
							"delivery_date": day,
							"item_code": item,
							"reported_on": datetime.combine(on, time(15, 30)),
						}
					)
					if status == "Cancelled":
						continue
					self.events.append(("repairs", keys, day, on, 1))
					if rng.random() < 0.6:
						submitted = rng.random() < 0.8
						found = rng.random() < 0.8
						chargeable = int(rng.random() < 0.3)
						feedback.append(
							{
								"name": f"{rname}-F",
								"repair_request": rname,
								"docstatus": int(submitted),
								"fault_found": "Worn" if found else None,
								"chargeable": chargeable,
								"stock_entry": f"{rname}-SE",
							}
						)
						if submitted and found:
							self.events.append(("defects", keys, day, on, 1))
						amount = rng.randint(5, 300)
						gles.append(
							{
								"name": f"{rname}-G1",
								"company": GEN_COMPANY,
								"account": self.expense,
								"debit": amount,
								"credit": 0,
								"posting_date": on,
								"is_cancelled": 0,
								"voucher_no": f"{rname}-SE",
							}
						)
						gles.append(
							{
								"name": f"{rname}-G2",
								"company": GEN_COMPANY,
								"account": self.asset,
								"debit": 0,
								"credit": amount,
								"posting_date": on,
								"is_cancelled": 0,
								"voucher_no": f"{rname}-SE",
							}
						)
						if not chargeable:
							self.events.append(("cost", keys, day, on, amount))
				else:  # survey answer about the delivery: criteria scored at the bottom are defects
					sname = f"{name}-SV{k}"
					status = "Answered" if rng.random() < 0.85 else "Sent"
					responses.append(
						{
							"name": sname,
							"company": GEN_COMPANY,
							"status": status,
							"customer": customers[territory],
							"reference_doctype": "Delivery Note",
							"reference_name": name,
							"survey_date": on,
						}
					)
					first = (ITEMS[lines[0][0]], territory)
					for c in range(3):
						score = rng.choice(("1", "2", "4", "5", None))
						percent = {"1": 0, "2": 25, "4": 75, "5": 100, None: 0}[score]
						scores.append(
							{
								"name": f"{sname}-{c}",
								"parent": sname,
								"parenttype": "Satisfaction Survey Response",
								"parentfield": "scores",
								"idx": c + 1,
								"criterion": f"C{c}",
								"score": score,
								"score_percent": percent,
							}
						)
						if status == "Answered" and score == "1":
							self.events.append(("defects", first, day, on, 1))
		insert("Delivery Note", dns)
		insert("Delivery Note Item", dnis)
		insert("Customer Complaint", complaints)
		insert("Repair Request", repairs)
		insert("Repair Feedback", feedback)
		insert("Satisfaction Survey Response", responses)
		insert("Satisfaction Survey Score", scores)
		insert("GL Entry", gles)
		counting.fill_case_facts()  # the cases' units, as the patch fills those of existing cases

	def brute_force(self, as_of: date, months: int, key) -> dict:
		"""By the definitions, unit by unit and event by event."""
		out: dict = {}
		for keys, delivered, qty in self.units:
			if add_months(delivered, months) <= as_of:
				out.setdefault(key(keys, delivered), core.WindowFigures()).units += qty
		for measure, keys, delivered, on, value in self.events:
			if add_months(delivered, months) <= as_of and delivered <= on < add_months(delivered, months):
				f = out.setdefault(key(keys, delivered), core.WindowFigures())
				setattr(f, measure, getattr(f, measure) + value)
		return out


def figures_of(merged: dict, months: int) -> dict:
	return {
		g: (w.units, w.defects, w.repairs, round(w.cost, 2))
		for g, fig in merged.items()
		if (w := fig.windows.get(months)) and (w.units or w.defects or w.repairs or w.cost)
	}


def plain(brute: dict) -> dict:
	return {
		g: (w.units, w.defects, w.repairs, round(w.cost, 2))
		for g, w in brute.items()
		if w.units or w.defects or w.repairs or w.cost
	}


class TestServiceIndicators(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("sc_indicators")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="sc_indicators")

	def test_sql_equals_the_core_on_generated_data(self):
		data = Generated(seed=20261204)
		for as_of in (date(2026, 1, 31), date(2025, 6, 30), date(2025, 3, 1)):
			filters = {"company": GEN_COMPANY, "as_of": as_of}
			merged = counting.figures(filters, [core.ITEM_GROUP, core.TERRITORY], [3, 12])
			for months in (3, 12):
				expected = plain(data.brute_force(as_of, months, lambda keys, _d: keys))
				self.assertEqual(figures_of(merged, months), expected, (as_of, months))
				if as_of == date(2026, 1, 31):  # the generated data exercise every measure
					for position in range(4):
						self.assertTrue(any(v[position] for v in expected.values()), (months, position))
			# the cohort view: delivery month by months in service 1..13
			mis = core.cohort_windows(13)
			merged = counting.figures(filters, [core.DELIVERY_MONTH], mis)
			for months in mis:
				expected = plain(data.brute_force(as_of, months, lambda _k, d: (f"{d:%Y-%m}",)))
				self.assertEqual(figures_of(merged, months), expected, (as_of, months))

	def test_report_views_run(self):
		Generated(seed=7)
		filters = {
			"company": GEN_COMPANY,
			"as_of": "2026-01-31",
			"group_by": "Territory",
			"then_by": "Item Group",
		}
		columns, data, _message, chart, summary = execute({**filters, "indicator": "TGW"})
		self.assertTrue(data and chart and summary)
		self.assertIn("tgw_short", {c["fieldname"] for c in columns})
		columns, data, _message, chart = execute(
			{**filters, "view": "Cohorts", "months": 6, "indicator": "CPU"}
		)
		self.assertEqual([c["fieldname"] for c in columns][-1], "mis_6")
		self.assertTrue(all(r["delivery_month"] for r in data))

	def test_real_deliveries_complaints_repairs_and_ledger(self):
		"""600 units delivered today, 100 returned; one complaint with 250 paid on the ledger and one
		repair in the first month: TGW 1 / 500 x 100 = 0.2, R/1000 = 1 / 500 x 1000 = 2, CPU 250 / 500 = 0.5."""
		make_repair_masters()
		item = make_item("_Test SC MIS Item")
		customer = make_customer("_Test SC MIS Customer")
		dn = make_delivery_note(customer, item, qty=600, rate=10)
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

		ret = make_sales_return(dn.name)
		ret.items[0].qty = -100
		ret.insert()
		ret.submit()
		complaint = make_complaint(customer=customer, item_code=item, delivery_note=dn.name, affected_qty=1)
		make_repair_request(None, customer=customer, item_code=item, delivery_note=dn.name)
		defaults = set_service_company_defaults()
		cash = frappe.db.get_value("Company", TEST_COMPANY, "default_cash_account")
		je = frappe.get_doc(
			{
				"doctype": "Journal Entry",
				"company": TEST_COMPANY,
				"posting_date": getdate(),
				"accounts": [
					{
						"account": defaults["compensation_expense_account"],
						"debit_in_account_currency": 250,
						"cost_center": frappe.db.get_value("Company", TEST_COMPANY, "cost_center"),
						get_dimension_field(): complaint.name,
					},
					{"account": cash, "credit_in_account_currency": 250},
				],
			}
		)
		je.insert()
		je.submit()
		filters = {
			"company": TEST_COMPANY,
			"item_code": item,
			"group_by": "Item",
			"as_of": frappe_add_months(getdate(), 12),
		}
		_columns, data, *_rest = execute(filters)
		(row,) = data
		for window in ("short", "long"):
			self.assertEqual(
				(
					row[f"units_{window}"],
					row[f"tgw_{window}"],
					row[f"r_per_1000_{window}"],
					row[f"cpu_{window}"],
				),
				(500, 0.2, 2.0, 0.5),
			)
		# two months on, nothing is mature for three months in service yet
		_columns, data, *_rest = execute({**filters, "as_of": frappe_add_months(getdate(), 2)})
		self.assertEqual(data, [])
		value, w = counting.indicator_value(
			core.CPU,
			core.SHORT_TERM,
			{"company": TEST_COMPANY, "item_code": item},
			frappe_add_months(getdate(), 3),
		)
		self.assertEqual((value, w.units, w.cost), (0.5, 500, 250))

	def test_cases_store_their_unit_as_the_patch_fills_it_and_leave_with_a_cancelled_note(self):
		"""A save stores the note's date and region; the patch's statement stores the same; a
		cancelled note takes its complaint out of the indicators and its cases back to the
		customer's region."""
		make_repair_masters()
		item = make_item("_Test SC MIS Item")
		customer = make_customer("_Test SC MIS Unit Customer")
		for territory in ("_Test SC MIS Note Region", "_Test SC MIS Customer Region"):
			if not frappe.db.exists("Territory", territory):
				frappe.get_doc(
					{
						"doctype": "Territory",
						"territory_name": territory,
						"parent_territory": "All Territories",
					}
				).insert()
		frappe.db.set_value("Customer", customer, "territory", "_Test SC MIS Customer Region")
		customer_group = frappe.db.get_value("Customer", customer, "customer_group")
		dn = make_delivery_note(customer, item, qty=5, rate=10)
		dn.db_set("territory", "_Test SC MIS Note Region")
		complaint = make_complaint(customer=customer, item_code=item, delivery_note=dn.name, affected_qty=1)
		repair = make_repair_request(None, customer=customer, item_code=item, delivery_note=dn.name)
		fields = ["delivery_date", "territory", "customer_group"]
		saved = {
			"Customer Complaint": (
				complaint.name,
				(dn.posting_date, "_Test SC MIS Note Region", customer_group),
			),
			"Repair Request": (repair.name, (dn.posting_date, "_Test SC MIS Note Region", customer_group)),
		}
		for doctype, (name, expected) in saved.items():
			self.assertEqual(frappe.db.get_value(doctype, name, fields), expected, doctype)
			frappe.db.set_value(doctype, name, dict.fromkeys(fields[1:]), update_modified=False)
		frappe.db.set_value("Customer Complaint", complaint.name, "delivery_date", None)
		counting.fill_case_facts()
		for doctype, (name, expected) in saved.items():
			self.assertEqual(frappe.db.get_value(doctype, name, fields), expected, doctype)

		filters = {"company": TEST_COMPANY, "item_code": item, "as_of": frappe_add_months(getdate(), 12)}

		def total() -> core.WindowFigures:
			return core.total(counting.figures(filters, [], [3]).values(), [3]).window(3)

		self.assertEqual((total().units, total().defects, total().repairs), (5, 1, 1))
		dn.reload()
		dn.cancel()
		self.assertEqual(
			frappe.db.get_value("Customer Complaint", complaint.name, fields),
			(None, "_Test SC MIS Customer Region", customer_group),
		)
		self.assertEqual(
			frappe.db.get_value("Repair Request", repair.name, fields),
			(dn.posting_date, "_Test SC MIS Customer Region", customer_group),
		)
		self.assertEqual((total().units, total().defects), (0, 0))

	def test_the_number_card_shows_the_indicator_to_report_users_only(self):
		"""The workspace card reads the company's long-term figure as of today (the generated
		company's units delivered long ago are all mature), cached for the day."""
		Generated(seed=11)
		expected, _w = counting.indicator_value(
			core.R1000, core.LONG_TERM, {"company": GEN_COMPANY}, getdate()
		)
		frappe.cache.delete_keys("service_control:indicator_card:")
		card = counting.indicator_card(
			{"indicator": core.R1000, "window": core.LONG_TERM, "company": GEN_COMPANY}
		)
		self.assertEqual(card["value"], expected or 0)
		self.assertEqual(card["route"], ["query-report", "Service Indicators"])
		with self.assertRaises(frappe.ValidationError):
			counting.indicator_card({"indicator": "NPS", "company": GEN_COMPANY})
		make_user("sc.no.reports@example.com", ["Service Technician"])
		frappe.set_user("sc.no.reports@example.com")
		with self.assertRaises(frappe.PermissionError):
			counting.indicator_card({"indicator": core.R1000, "company": GEN_COMPANY})

	def test_windows_come_from_settings_and_refuse_zero(self):
		with change_settings(
			"Service Control Settings", {"indicator_short_term_months": 2, "indicator_long_term_months": 6}
		):
			self.assertEqual(counting.get_windows(), core.IndicatorWindows(2, 6))
		settings = frappe.get_single("Service Control Settings")
		for short, long in ((0, 12), (-3, 12), (3, 0), (12, 3)):
			settings.indicator_short_term_months, settings.indicator_long_term_months = short, long
			self.assertRaises(frappe.ValidationError, settings.save)
			settings.reload()
