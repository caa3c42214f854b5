"""Site benchmarks of the complaint reports over a large history, printed as figures.

``insert_history`` bulk-inserts complaints (named ``SCR-…``) received over the last few years,
each with its four stage clocks: old ones closed (their clocks met, some late), recent ones
still open (on track, at risk, breached or paused), a few cancelled, spread over categories,
urgencies, customers, items, serial nos and investigation owners so that every grouping of the
reports has realistic spread. ``bench_reports`` then runs SLA Performance, Complaint Analysis
and Complaint Register as the desk runs them (``frappe.desk.query_report.run``), with each
report's default filters (its .js) and with a one-year period, three times each, and prints the
best and worst wall time and the server statements of one run.

Run it on a throwaway site of a bench with ERPNext and service_control installed, from the
bench's ``sites`` folder::

    ../env/bin/python ../apps/service_control/benchmarks/site_reports.py --site bench.localhost

The site is filled up to ``--count`` ``SCR-`` complaints first (1,000,000 take some 12 minutes
on two cores); they stay for the next run unless ``--cleanup`` is given. ``--insert-only``
only fills, ``--delete`` only removes them.
"""

import argparse
import random
import sys
import time as timer
from datetime import date, datetime, timedelta
from pathlib import Path

import frappe
from frappe.utils import add_months, getdate, now_datetime

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_site_sla import CHILD_COLUMNS, DOC_COLUMNS, child_row, doc_row, timed

from service_control.core.sla import STAGES

SEED = 20261203
PREFIX = "SCR-"
YEARS = 4
CATEGORIES = ("Product Quality", "Delivery", "Packaging", "Documentation", "Service Attitude", "Billing")
CATEGORY_WEIGHTS = (40, 25, 15, 8, 7, 5)
RESPONSIBILITIES = ("Company", "Supplier", "Carrier", "Customer", "Undetermined")
SATISFACTION = ("Satisfied", "Partly Satisfied", "Not Satisfied", "Unreachable")
OPEN_STATUSES = ("Open", "Investigating", "Awaiting Customer", "Answered")
CHANNELS = ("Phone", "E-mail", "Letter", "Visit", "Portal")
#: Normal-urgency targets in working hours (Service Control Settings' defaults), roughly in
#: calendar hours here: the reports count states, they do not recompute deadlines.
ALLOWANCES = {"First Reply": 16, "Arrangement": 16, "Resolution": 56, "Closure": 64}
OWNERS = 25
CUSTOMERS = 3_000
ITEMS = 600

COMPLAINT_COLUMNS = (
	*DOC_COLUMNS,
	"title",
	"company",
	"customer",
	"customer_name",
	"status",
	"channel",
	"received_on",
	"urgency",
	"severity",
	"category",
	"sla_state",
	"item_code",
	"item_name",
	"serial_no",
	"affected_qty",
	"responsibility",
	"investigation_owner",
	"first_response_on",
	"replied_on",
	"satisfaction",
	"closed_on",
	"description",
	# each stage clock's state, as the complaint repeats it (SLA Performance reads these)
	"first_reply_sla",
	"arrangement_sla",
	"resolution_sla",
	"closure_sla",
)
CLOCK_COLUMNS = (
	*CHILD_COLUMNS,
	"stage",
	"state",
	"start_on",
	"allowance_hours",
	"basis",
	"company",
	"due_on",
	"met_on",
	"derived",
	"escalated_level",
)


def bulk_insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
	"""Raw multi-row INSERTs: the driver's ``executemany`` packs the rows into statements of up to
	a megabyte each."""
	if not rows:
		return
	names = ", ".join(f"`{c}`" for c in columns)
	marks = ", ".join(["%s"] * len(columns))
	frappe.db._cursor.executemany(f"insert into `tab{table}` ({names}) values ({marks})", rows)


def weighted(rng: random.Random, n: int, skew: float = 1.1) -> list[float]:
	"""Zipf-like weights, so a few customers and items have most complaints (a real Pareto)."""
	weights = [1 / (i + 1) ** skew for i in range(n)]
	rng.shuffle(weights)
	return weights


def insert_history(
	rng: random.Random, count: int, company: str, now: datetime, chunk: int = 20_000, start: int = 0
) -> None:
	"""``count`` complaints received uniformly over the last ``YEARS`` years, with their clocks,
	committed every ``chunk`` complaints."""
	customers = [f"SCR Customer {i:04d}" for i in range(CUSTOMERS)]
	items = [f"SCR-ITEM-{i:04d}" for i in range(ITEMS)]
	owners = [f"scr.owner{i:02d}@example.com" for i in range(OWNERS)]
	customer_weights = weighted(rng, CUSTOMERS)
	item_weights = weighted(rng, ITEMS)
	earliest = now - timedelta(days=365 * YEARS)
	span = (now - earliest).total_seconds()
	done = start
	while done < start + count:
		size = min(chunk, start + count - done)
		picked_customers = rng.choices(customers, customer_weights, k=size)
		picked_items = rng.choices(items, item_weights, k=size)
		picked_categories = rng.choices(CATEGORIES, CATEGORY_WEIGHTS, k=size)
		parents, clocks = [], []
		for j in range(size):
			i = done + j
			name = f"{PREFIX}{i:07d}"
			received = (earliest + timedelta(seconds=rng.random() * span)).replace(microsecond=0)
			age_days = (now - received).total_seconds() / 86_400
			urgency = "Urgent" if rng.random() < 0.15 else "Normal"
			customer, item = picked_customers[j], picked_items[j]
			serial = f"SCR-SN-{rng.randrange(200_000):06d}" if rng.random() < 0.3 else None
			owner = rng.choice(owners) if rng.random() < 0.8 else None
			# a complaint older than a month is almost always closed; a recent one often open
			closed_share = 0.98 if age_days > 30 else age_days / 30 * 0.7
			roll = rng.random()
			cancelled = roll < 0.02
			closed = not cancelled and roll < 0.02 + closed_share
			status = "Cancelled" if cancelled else "Closed" if closed else rng.choice(OPEN_STATUSES)
			states, met = [], []
			start_on = received
			for stage in STAGES:
				due = start_on + timedelta(hours=ALLOWANCES[stage] * (0.5 if urgency == "Urgent" else 1))
				if closed:
					late = rng.random() < 0.12
					met_on = (
						due + timedelta(hours=rng.uniform(1, 48))
						if late
						else due - timedelta(hours=rng.uniform(0, ALLOWANCES[stage] * 0.8))
					)
					state = "Met Late" if late else "Met"
				elif cancelled:
					met_on, state = None, "Stopped"
				else:
					met_on = None
					state = rng.choices(
						("On Track", "At Risk", "Breached", "Paused", "Met"), (50, 15, 15, 5, 15)
					)[0]
					if state == "Met":
						met_on = min(now, due - timedelta(hours=1))
				states.append((stage, state, start_on, due, met_on))
				met.append(met_on)
				if met_on:
					start_on = max(start_on, met_on)
			sla_state = next(
				(
					s
					for s in ("Breached", "Met Late", "At Risk", "Paused")
					if any(st[1] == s for st in states)
				),
				states[-1][1],
			)
			replied = met[0]
			closed_on = met[-1] if closed else None
			parents.append(
				(
					*doc_row(name, now),
					f"{customer}: {item}",
					company,
					customer,
					customer,
					status,
					rng.choice(CHANNELS),
					received,
					urgency,
					rng.choices(("Minor", "Major", "Critical"), (70, 25, 5))[0],
					picked_categories[j],
					sla_state,
					item,
					item,
					serial,
					float(rng.randrange(1, 50)),
					rng.choice(RESPONSIBILITIES) if closed or rng.random() < 0.3 else None,
					owner,
					replied,
					replied,
					rng.choice(SATISFACTION) if closed else None,
					closed_on,
					"benchmark",
					*(state for _stage, state, *_rest in states),
				)
			)
			for idx, (stage, state, clock_start, due, met_on) in enumerate(states, start=1):
				clocks.append(
					(
						*child_row(f"{name}-{idx}", name, "sla_clocks", idx, now),
						stage,
						state,
						clock_start,
						ALLOWANCES[stage],
						"Calendar Hours",
						company,
						due,
						met_on,
						0,
						0,
					)
				)
		bulk_insert("Customer Complaint", COMPLAINT_COLUMNS, parents)
		bulk_insert("Service SLA Clock", CLOCK_COLUMNS, clocks)
		frappe.db.commit()
		done += size
		print(f"   inserted {done:,} complaints", flush=True)


def default_company() -> str:
	"""The company the desk's filters default to (the user's default), else the first one."""
	return frappe.defaults.get_user_default("Company") or frappe.db.get_value("Company", {}, "name")


def history_count() -> int:
	return frappe.db.sql("select count(*) from `tabCustomer Complaint` where name like %s", PREFIX + "%")[0][
		0
	]


def delete_history() -> None:
	like = PREFIX + "%"
	for table, column in (("Service SLA Clock", "parent"), ("Customer Complaint", "name")):
		while True:  # in slices, so no single transaction holds millions of row locks
			frappe.db.sql(f"delete from `tab{table}` where `{column}` like %s limit 100000", like)
			deleted = frappe.db.sql("select row_count()")[0][0]
			frappe.db.commit()
			if not deleted:
				break


# ------------------------------------------------------------------------------------------
# The reports, as the desk runs them


def default_filters(report: str, company: str, today: date) -> dict:
	"""The filters each report's .js sets by default."""
	year_ago = add_months(today, -12)
	if report == "SLA Performance":
		return {"company": company, "from_date": year_ago, "to_date": today, "group_by": "Month"}
	if report == "Complaint Analysis":
		return {
			"company": company,
			"from_date": year_ago,
			"to_date": today,
			"view": "Pareto",
			"dimension": "Category",
			"window_days": 90,
		}
	if report == "Complaint Register":
		return {"company": company, "from_date": add_months(today, -1), "to_date": today}
	raise ValueError(report)


def run_report(report: str, filters: dict):
	"""The report's result as the desk's ``query_report.run`` returns it, or the message of the
	ValidationError it raised."""
	from frappe.desk.query_report import run

	frappe.local.response = frappe._dict()  # the desk's request has one
	try:
		return run(report, filters=frappe.as_json(filters), ignore_prepared_report=True)
	except frappe.ValidationError as e:
		frappe.clear_messages()
		return f"refused: {e}"


def describe(result) -> str:
	if isinstance(result, str):
		return result
	rows = result["result"]
	return f"{len(rows):,} rows, {len(frappe.as_json(rows, indent=None)) / 1e6:.1f} MB as JSON"


def measure(label: str, report: str, filters: dict, runs: int = 3) -> None:
	times, statements, result = [], 0, None
	for _ in range(runs):
		frappe.db.rollback()
		result, elapsed, statements = timed(run_report, report, filters)
		times.append(elapsed)
	print(
		f"   {report:<19} {label:<36} best {min(times):6.2f} s, worst {max(times):6.2f} s of {runs};"
		f" {statements} statements; {describe(result)}",
		flush=True,
	)


REPORTS = ("SLA Performance", "Complaint Analysis", "Complaint Register")


def bench_reports(
	site_has_data: bool = True, count: int = 1_000_000, cleanup: bool = False, reports=REPORTS
) -> None:
	"""Print the figures of ``reports``. Unless ``site_has_data``, first fill the site up to
	``count`` benchmark complaints (and, with ``cleanup``, delete them at the end)."""
	company = frappe.db.get_value("Customer Complaint", {"name": ("like", PREFIX + "%")}, "company") or (
		default_company()
	)
	now = now_datetime().replace(microsecond=0)
	if not site_has_data:
		have = history_count()
		if have < count:
			print(
				f"\nInserting {count - have:,} complaints ({(count - have) * 4:,} clocks), company {company}"
			)
			began = timer.perf_counter()
			insert_history(random.Random(SEED + have), count - have, company, now, start=have)
			print(f"   bulk insert: {timer.perf_counter() - began:.0f} s")
	total = frappe.db.count("Customer Complaint")
	today = getdate(now)
	print(
		f"\nReports over {total:,} complaints (company {company}), as frappe.desk.query_report.run runs them"
	)
	year = {"from_date": add_months(today, -12), "to_date": today}
	for report in reports:
		filters = default_filters(report, company, today)
		measure("default filters", report, filters)
		if report == "SLA Performance":
			for group_by in ("Urgency", "Category", "Owner"):
				measure(f"default period, group by {group_by}", report, {**filters, "group_by": group_by})
			measure("one year, 2025", report, {**filters, "from_date": "2025-01-01", "to_date": "2025-12-31"})
			measure("all time (no dates)", report, {"company": company, "group_by": "Month"})
		elif report == "Complaint Analysis":
			for dimension in ("Item", "Customer", "Responsibility"):
				measure(f"default period, by {dimension}", report, {**filters, "dimension": dimension})
			measure("one year, 2025", report, {**filters, "from_date": "2025-01-01", "to_date": "2025-12-31"})
			measure(
				"repeat complaints, one month",
				report,
				{**filters, "view": "Repeat Complaints", "from_date": add_months(today, -1)},
			)
			measure("repeat complaints, one year", report, {**filters, "view": "Repeat Complaints"})
		else:
			measure("one year (default to date)", report, {**filters, **year})
			measure("one week", report, {**filters, "from_date": today - timedelta(days=7)})
			measure("no dates", report, {"company": company})
	frappe.db.rollback()
	if not site_has_data and cleanup:
		delete_history()


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--count", type=int, default=1_000_000, help="SCR- complaints the site should hold")
	parser.add_argument("--cleanup", action="store_true", help="delete the SCR- complaints at the end")
	parser.add_argument("--insert-only", action="store_true", help="insert the history, run no report")
	parser.add_argument("--delete", action="store_true", help="delete the SCR- complaints and stop")
	parser.add_argument("--report", action="append", choices=REPORTS, help="only this report (repeatable)")
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		if args.delete:
			delete_history()
		elif args.insert_only:
			have = history_count()
			company = default_company()
			insert_history(
				random.Random(SEED + have), max(args.count - have, 0), company, now_datetime(), start=have
			)
		else:
			bench_reports(
				site_has_data=False, count=args.count, cleanup=args.cleanup, reports=args.report or REPORTS
			)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
