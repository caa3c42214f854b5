"""Site benchmark of the Service Indicators report over a large history, printed as figures.

``insert_history`` bulk-inserts, with ``INSERT … SELECT`` from MariaDB's sequence engine (no row
passes through Python), one year of deliveries of a company of its own (``_Bench SC
Indicators``): 100,000 Delivery Notes of one line of 10 units (1,000,000 units) over 200 items
in 20 item groups and 2,000 customers in 10 territories, 2 % of them partly returned; 200,000
complaints and 100,000 repair requests on those deliveries within 400 days of them, half the
repairs with a submitted feedback that found a fault (a third of those free, with a parts Stock
Entry on the ledger), and a compensation journal on the complaint dimension for a quarter of the
complaints. ``bench_report`` then runs the report as the desk does
(``frappe.desk.query_report.run``) by item group then territory, the cohort view and by item,
once after a cache clear and three times as a desk user repeats it, and prints the best and
worst of the three, the first run, and the statements of one run.

Run it on a site of a bench with ERPNext and service_control installed, from ``sites``::

    ../env/bin/python ../apps/service_control/benchmarks/bench_indicators.py --site bench.localhost

The rows (named ``BIND-…``) stay for the next run unless ``--cleanup`` is given; ``--delete``
only removes them. Target: ≤ 3 s by item group and territory.
"""

import argparse
import sys
import time as timer
from pathlib import Path

import frappe

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_site_sla import server_statements

COMPANY = "_Bench SC Indicators"
PREFIX = "BIND-"
DELIVERIES = 100_000
COMPLAINTS = 200_000
REPAIRS = 100_000
FILTERS = {
	"company": COMPANY,
	"as_of": "2026-12-31",
	"from_date": "2025-01-01",
	"to_date": "2025-12-31",
}


def seq(n: int) -> str:
	return f"seq_1_to_{n}"


def insert_history() -> None:
	from service_control.service_control.service_indicators import fill_case_facts
	from service_control.setup.accounting_dimension import get_dimension_field

	dimension = get_dimension_field()
	if frappe.db.exists("Delivery Note", f"{PREFIX}DN-1"):
		print("history already there")
		return
	began = timer.perf_counter()

	def sql(query: str, values: dict | None = None):
		# always with parameters, so every literal percent sign is written %%
		return frappe.db.sql(query, values or {"c": COMPANY})

	sql(
		f"""insert into `tabAccount` (name, account_name, company, root_type, is_group)
		values ('{PREFIX}Expense', '{PREFIX}Expense', %(c)s, 'Expense', 0),
		('{PREFIX}Stock', '{PREFIX}Stock', %(c)s, 'Asset', 0)""",
		{"c": COMPANY},
	)
	sql(
		f"""insert into `tabItem` (name, item_code, item_name, item_group, stock_uom)
		select concat('{PREFIX}IT-', seq), concat('{PREFIX}IT-', seq), concat('{PREFIX}IT-', seq),
			concat('{PREFIX}IG-', seq %% 20), 'Nos' from {seq(200)}"""
	)
	sql(
		f"""insert into `tabCustomer` (name, customer_name, territory, customer_group)
		select concat('{PREFIX}CU-', seq), concat('{PREFIX}CU-', seq), concat('{PREFIX}T-', seq %% 10),
			concat('{PREFIX}CG-', seq %% 4) from {seq(2000)}"""
	)
	# deliveries over 2025; customer n is in territory n % 10
	sql(
		f"""insert into `tabDelivery Note` (name, company, customer, posting_date, docstatus, is_return,
			territory, customer_group)
		select concat('{PREFIX}DN-', seq), %(c)s, concat('{PREFIX}CU-', seq %% 2000 + 1),
			date_add('2025-01-01', interval (seq * 7919) %% 365 day), 1, 0,
			concat('{PREFIX}T-', (seq %% 2000 + 1) %% 10), concat('{PREFIX}CG-', (seq %% 2000 + 1) %% 4)
		from {seq(DELIVERIES)}""",
		{"c": COMPANY},
	)
	sql(
		f"""insert into `tabDelivery Note Item` (name, parent, parenttype, parentfield, idx, item_code,
			stock_qty, qty)
		select concat('{PREFIX}DN-', seq, '-1'), concat('{PREFIX}DN-', seq), 'Delivery Note', 'items', 1,
			concat('{PREFIX}IT-', seq %% 200 + 1), 10, 10
		from {seq(DELIVERIES)}"""
	)
	# 2 % partly returned a month later
	sql(
		f"""insert into `tabDelivery Note` (name, company, customer, posting_date, docstatus, is_return,
			return_against, territory, customer_group)
		select concat(dn.name, '-RET'), dn.company, dn.customer, date_add(dn.posting_date, interval 30 day),
			1, 1, dn.name, dn.territory, dn.customer_group
		from `tabDelivery Note` dn where dn.company = %(c)s and dn.name like '{PREFIX}DN-%%'
			and substring_index(dn.name, '-', -1) %% 50 = 0""",
		{"c": COMPANY},
	)
	sql(
		f"""insert into `tabDelivery Note Item` (name, parent, parenttype, parentfield, idx, item_code,
			stock_qty, qty)
		select concat(dni.parent, '-RET-1'), concat(dni.parent, '-RET'), 'Delivery Note', 'items', 1,
			dni.item_code, -3, -3
		from `tabDelivery Note Item` dni where dni.parent like '{PREFIX}DN-%%'
			and substring_index(dni.parent, '-', -1) %% 50 = 0"""
	)
	print(f"deliveries: {timer.perf_counter() - began:.1f} s")
	# complaints: delivery n = seq % DELIVERIES + 1, received within 400 days of it
	sql(
		f"""insert into `tabCustomer Complaint` (name, company, customer, status, delivery_note, item_code,
			received_on, category, urgency, channel)
		select concat('{PREFIX}CC-', s.seq), %(c)s, dn.customer,
			if(s.seq %% 20 = 0, 'Cancelled', 'Closed'), dn.name, dni.item_code,
			timestamp(date_add(dn.posting_date, interval (s.seq * 104729) %% 400 day), '10:00:00'),
			'Product Quality', 'Normal', 'Phone'
		from {seq(COMPLAINTS)} s
		join `tabDelivery Note` dn on dn.name = concat('{PREFIX}DN-', s.seq %% {DELIVERIES} + 1)
		join `tabDelivery Note Item` dni on dni.parent = dn.name""",
		{"c": COMPANY},
	)
	print(f"complaints: {timer.perf_counter() - began:.1f} s")
	sql(
		f"""insert into `tabRepair Request` (name, company, customer, status, delivery_note, delivery_date,
			item_code, reported_on, urgency, channel)
		select concat('{PREFIX}RR-', s.seq), %(c)s, dn.customer, if(s.seq %% 25 = 0, 'Cancelled', 'Closed'),
			dn.name, dn.posting_date, dni.item_code,
			timestamp(date_add(dn.posting_date, interval (s.seq * 7877) %% 400 day), '15:00:00'), 'Normal', 'Phone'
		from {seq(REPAIRS)} s
		join `tabDelivery Note` dn on dn.name = concat('{PREFIX}DN-', (s.seq * 3) %% {DELIVERIES} + 1)
		join `tabDelivery Note Item` dni on dni.parent = dn.name""",
		{"c": COMPANY},
	)
	sql(
		f"""insert into `tabRepair Feedback` (name, repair_request, docstatus, fault_found, chargeable, stock_entry)
		select concat('{PREFIX}RF-', seq), concat('{PREFIX}RR-', seq), 1, 'Worn seal', if(seq %% 3 = 0, 0, 1),
			if(seq %% 3 = 0, concat('{PREFIX}SE-', seq), null)
		from {seq(REPAIRS)} where seq %% 2 = 0"""
	)
	print(f"repairs: {timer.perf_counter() - began:.1f} s")

	def gl(with_dimension: bool) -> str:
		extra = f", `{dimension}`" if with_dimension else ""
		return f"""insert into `tabGL Entry` (name, company, account, debit, credit, posting_date,
			is_cancelled, voucher_type, voucher_no{extra})"""

	amount = "((s.seq %% 50) * 10 + 20)"
	for suffix, account, debit, credit in (("A", "Expense", amount, "0"), ("B", "Stock", "0", amount)):
		if not dimension:
			break
		# a compensation journal on a quarter of the complaints, ten days after receipt
		sql(
			f"""{gl(True)}
			select concat('{PREFIX}GLC-', s.seq, '{suffix}'), %(c)s, '{PREFIX}{account}', {debit}, {credit},
				date_add(date(c.received_on), interval 10 day), 0, 'Journal Entry',
				concat('{PREFIX}JV-', s.seq), c.name
			from {seq(COMPLAINTS)} s join `tabCustomer Complaint` c on c.name = concat('{PREFIX}CC-', s.seq)
			where s.seq %% 4 = 0""",
			{"c": COMPANY},
		)
	for suffix, account, debit, credit in (("A", "Expense", "120", "0"), ("B", "Stock", "0", "120")):
		# the parts of a free repair, issued on the day it was reported
		sql(
			f"""{gl(False)}
			select concat('{PREFIX}GLR-', rf.name, '{suffix}'), %(c)s, '{PREFIX}{account}', {debit}, {credit},
				date(rr.reported_on), 0, 'Stock Entry', rf.stock_entry
			from `tabRepair Feedback` rf join `tabRepair Request` rr on rr.name = rf.repair_request
			where rf.name like '{PREFIX}RF-%%' and rf.stock_entry is not null""",
			{"c": COMPANY},
		)
	fill_case_facts()  # what a save stores on each case: the rows went straight to the tables
	frappe.db.commit()  # a benchmark site keeps its history for the next run
	print(f"history inserted in {timer.perf_counter() - began:.1f} s")


def delete_history() -> None:
	for doctype, column in (
		("GL Entry", "name"),
		("Repair Feedback", "name"),
		("Repair Request", "name"),
		("Customer Complaint", "name"),
		("Delivery Note Item", "name"),
		("Delivery Note", "name"),
		("Customer", "name"),
		("Item", "name"),
		("Account", "name"),
	):
		frappe.db.sql(f"delete from `tab{doctype}` where `{column}` like %s", f"{PREFIX}%")
	frappe.db.commit()  # the rows were committed by insert_history


def bench_report() -> None:
	from frappe.desk.query_report import run

	cases = (
		("by item group, then territory", {**FILTERS, "group_by": "Item Group", "then_by": "Territory"}),
		("by item", {**FILTERS, "group_by": "Item"}),
		("cohorts, MIS 1-12, R/1000", {**FILTERS, "view": "Cohorts", "months": 12}),
	)
	for label, filters in cases:
		# the first run after a cache clear (each metadata read from the database), then three as
		# a desk user repeats it (metadata cached in Redis, as between requests)
		frappe.clear_cache()
		times = []
		for _i in range(4):
			before = server_statements()
			began = timer.perf_counter()
			result = run("Service Indicators", filters=filters, ignore_prepared_report=True)
			times.append(timer.perf_counter() - began)
			statements = server_statements() - before - 1
		cold, warm = times[0], times[1:]
		summary = {s["label"]: s["value"] for s in result.get("report_summary") or []}
		print(
			f"{label}: best {min(warm):.2f} s, worst {max(warm):.2f} s (first after a cache clear"
			f" {cold:.2f} s), {statements} statements, {len(result['result'])} rows; {summary or ''}"
		)


def bench_sources() -> None:
	"""Each source's query of the item group / territory view, one run each, three rounds."""
	from service_control.core import service_indicators as core
	from service_control.service_control import service_indicators as counting
	from service_control.setup.accounting_dimension import get_dimension_field

	windows = counting.get_windows()
	dimension = get_dimension_field()
	rounds = []
	for _i in range(3):
		selection = counting.Selection(
			FILTERS, [core.ITEM_GROUP, core.TERRITORY], [windows.short_term, windows.long_term]
		)
		sources = {
			"units": selection.units,
			"complaints": selection.complaints,
			"repairs and findings": selection.repairs,
			"surveys": selection.surveys,
			"complaint costs": lambda s=selection: s.complaint_costs(dimension),
			"repair costs": lambda s=selection: s.repair_costs(dimension),
		}
		times = {}
		for label, source in sources.items():
			began = timer.perf_counter()
			source()
			times[label] = timer.perf_counter() - began
		rounds.append(times)
	print(
		"per source, best / worst of 3: "
		+ ", ".join(
			f"{label} {min(r[label] for r in rounds):.2f} / {max(r[label] for r in rounds):.2f} s"
			for label in rounds[0]
		)
	)


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--delete", action="store_true")
	parser.add_argument("--cleanup", action="store_true")
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		if args.delete:
			delete_history()
			return
		insert_history()
		bench_report()
		bench_sources()
		if args.cleanup:
			delete_history()
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
