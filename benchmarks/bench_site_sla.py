"""Site benchmarks of the SLA engine, printed as figures.

1. Deadline arithmetic: the core's ``WorkingCalendar.add`` against ERPNext's
   ``get_expected_time_for`` on the same calendar, holidays and allowances, in one run.
2. Sweep: open complaints bulk-inserted with their four stage clocks, as a save at receipt
   writes them; one sweep that has work, then one with nothing new, against a per-document loop
   over the same data (wall time and SQL statements).
3. Recompute after real calendar changes (working hours, a holiday), made and undone:
   ``recompute_open_clocks``, as the hooks enqueue it.
4. The complaint list sorted by Due By, first page, with MariaDB's plan.
5. Parts 2 (nothing new) and 4 on the site's complaints as they stand, without inserting any:
   ``--parts 5`` on a site filled by ``site_reports.py`` shows what grows with the complaints.

It writes ``--count`` complaints (named ``SCB-…``) and deletes them again at the end, so run it
on a throwaway site of a bench with ERPNext and service_control installed, from the bench's
``sites`` folder::

    ../env/bin/python ../apps/service_control/benchmarks/bench_site_sla.py --site bench.localhost

Figures go in the README's Benchmarks section.
"""

import argparse
import random
import time as timer
from datetime import date, datetime, time, timedelta

import frappe
from frappe.utils import getdate, now_datetime

from service_control.core.sla import STAGES

SEED = 20261127
PREFIX = "SCB-"
#: Normal-urgency targets in working hours (Service Control Settings' defaults).
ALLOWANCES = {"First Reply": 16, "Arrangement": 16, "Resolution": 56, "Closure": 64}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
HOLIDAY_LIST = "SC Benchmark Holidays"


def server_statements() -> int:
	"""Statements this connection has sent (every job measured here runs on it), whatever other
	sessions of the server do meanwhile."""
	return int(frappe.db.sql("show session status like 'Questions'")[0][1])


def timed(fn, *args, **kwargs):
	"""Wall time and server statements of one call (the status query itself not counted)."""
	before = server_statements()
	began = timer.perf_counter()
	result = fn(*args, **kwargs)
	elapsed = timer.perf_counter() - began
	return result, elapsed, server_statements() - before - 1


def holidays(rng: random.Random) -> list[date]:
	days = set()
	for year in range(2024, 2029):
		days.update(date(year, 1, 1) + timedelta(days=rng.randrange(365)) for _ in range(15))
	return sorted(days)


def ensure_holiday_list(days: list[date]) -> None:
	if frappe.db.exists("Holiday List", HOLIDAY_LIST):
		frappe.delete_doc("Holiday List", HOLIDAY_LIST, force=True)
	frappe.get_doc(
		{
			"doctype": "Holiday List",
			"holiday_list_name": HOLIDAY_LIST,
			"from_date": date(2024, 1, 1),
			"to_date": date(2028, 12, 31),
			"holidays": [{"holiday_date": d, "description": "Holiday"} for d in days],
		}
	).insert(ignore_permissions=True)


def ensure_company_holidays(company: str) -> None:
	"""Give the company a Holiday List if it has none: the clocks are computed on its holidays,
	and part 3 edits them."""
	from service_control.utils import clear_calendar_cache, get_holiday_list

	if get_holiday_list(company):
		return
	if not frappe.db.exists("Holiday List", HOLIDAY_LIST):
		ensure_holiday_list(holidays(random.Random(SEED)))
	frappe.db.set_value("Company", company, "default_holiday_list", HOLIDAY_LIST)
	clear_calendar_cache()


# ------------------------------------------------------------------------------------------
# 1. Deadline arithmetic against ERPNext


def bench_erpnext_ratio(rng: random.Random, calls: int) -> None:
	from erpnext.support.doctype.service_level_agreement.service_level_agreement import (
		get_expected_time_for,
	)

	from service_control.core.working_time import WorkingCalendar

	days = holidays(rng)
	ensure_holiday_list(days)
	# ERPNext's agreement allows one interval per weekday, so both use 08:30-17:30 without a break.
	calendar = WorkingCalendar.from_rows([(d, time(8, 30), time(17, 30)) for d in WEEKDAYS], days)
	service_level = frappe._dict(
		holiday_list=HOLIDAY_LIST,
		support_and_resolution=[
			frappe._dict(workday=d, start_time=timedelta(hours=8.5), end_time=timedelta(hours=17.5))
			for d in WEEKDAYS
		],
	)
	base = datetime(2024, 1, 1)
	starts = [base + timedelta(seconds=rng.randrange(4 * 365 * 86_400)) for _ in range(calls)]
	print(f"\n1. Deadline arithmetic ({calls:,} deadlines per allowance, same calendar and holidays)")
	print("   allowance | core /s | ERPNext get_expected_time_for /s | ratio")
	for hours in (4, 8, 16, 24, 56, 168):
		service_level.response_time = hours * 3600
		began = timer.perf_counter()
		for start in starts:
			get_expected_time_for("response", service_level, start)
		erpnext_rate = calls / (timer.perf_counter() - began)
		allowance = timedelta(hours=hours)
		began = timer.perf_counter()
		for start in starts:
			calendar.add(start, allowance)
		core_rate = calls / (timer.perf_counter() - began)
		print(
			f"   {hours:>3} h     | {core_rate:>9,.0f} | {erpnext_rate:>9,.0f} | {core_rate / erpnext_rate:,.0f}x"
		)


# ------------------------------------------------------------------------------------------
# 2. Sweep against a per-document loop


def delete_bench_rows() -> None:
	like = PREFIX + "%"
	for table in ("Service SLA Clock", "Service SLA Pause"):
		frappe.db.sql(f"delete from `tab{table}` where parent like %s", like)
	frappe.db.sql("delete from `tabService Escalation Log` where reference_name like %s", like)
	frappe.db.sql("delete from `tabToDo` where reference_name like %s", like)
	frappe.db.sql("delete from `tabNotification Log` where document_name like %s", like)
	frappe.db.sql("delete from `tabCustomer Complaint` where name like %s", like)
	frappe.db.commit()


#: The bookkeeping columns of a document and of a child row, as ``doc_row`` and ``child_row``
#: fill them.
DOC_COLUMNS = ("name", "creation", "modified", "owner", "modified_by", "docstatus")
CHILD_COLUMNS = (*DOC_COLUMNS, "parent", "parenttype", "parentfield", "idx")


def doc_row(name: str, now: datetime) -> tuple:
	return (name, now, now, "Administrator", "Administrator", 0)


def child_row(name: str, parent: str, parentfield: str, idx: int, now: datetime) -> tuple:
	return (*doc_row(name, now), parent, "Customer Complaint", parentfield, idx)


#: Shares of the complaints whose clocks store their deadlines (core.sla.is_derived): a customer
#: deadline on the first reply, and a pause waiting for the customer (every stage).
CAPPED, PAUSED = 0.10, 0.05


def insert_complaints(rng: random.Random, count: int, company: str, customer: str, now: datetime) -> None:
	"""Open complaints received over the last weeks: most on track, a few percent past due. Each
	is what a save at its receipt writes (``core.sla_review.review_case``): derived clocks store
	no instant, the others (``CAPPED``, ``PAUSED``) their due and at-risk instants, and the
	complaint its Due By and next check; the sweep with work then moves what fell due since."""
	from service_control.core.sla import Pause
	from service_control.core.sla_review import StageClock, review_case
	from service_control.service_control.sla.clocks import escalation_levels
	from service_control.utils import get_working_calendar

	calendar = get_working_calendar(company)
	levels = escalation_levels(company)
	parents, clocks, pauses = [], [], []
	for i in range(count):
		name = f"{PREFIX}{i:07d}"
		age = (
			timedelta(days=rng.uniform(3, 20)) if rng.random() < 0.03 else timedelta(hours=rng.uniform(0, 12))
		)
		received = now - age
		deadline = received + timedelta(hours=rng.uniform(4, 24)) if rng.random() < CAPPED else None
		paused = []
		if rng.random() < PAUSED:
			begin = received + (now - received) * rng.random() / 2
			paused = [Pause(begin, begin + (now - begin) * rng.random())]
			pauses.append(
				(*child_row(f"{name}-p", name, "sla_pauses", 1, now), paused[0].start, paused[0].end)
			)
		stage_clocks = [
			StageClock(
				stage=stage,
				start=received,
				allowance=timedelta(hours=ALLOWANCES[stage]),
				clock=calendar,
				cap=deadline if stage == "First Reply" else None,
			)
			for stage in STAGES
		]
		review = review_case(stage_clocks, now=received, pauses=paused, levels=levels)
		parents.append(
			(
				*doc_row(name, now),
				company,
				customer,
				customer,
				"Open",
				"Normal",
				"Phone",
				received,
				review.state,
				review.due_by,
				review.due_stage,
				review.check_on,
				review.last_due,
				"benchmark",
				deadline,
			)
		)
		for idx, (clock, stage) in enumerate(zip(stage_clocks, review.stages, strict=True), start=1):
			stored = (None, None) if stage.derived else (stage.due_on, stage.at_risk_on)
			clocks.append(
				(
					*child_row(f"{name}-{idx}", name, "sla_clocks", idx, now),
					stage.stage,
					stage.state.value,
					received,
					ALLOWANCES[stage.stage],
					"Working Hours",
					company,
					clock.cap,
					*stored,
					int(stage.derived),
					0,
				)
			)
	frappe.db.bulk_insert(
		"Customer Complaint",
		[
			*DOC_COLUMNS,
			"company",
			"customer",
			"title",
			"status",
			"urgency",
			"channel",
			"received_on",
			"sla_state",
			"due_by",
			"due_stage",
			"sla_next_on",
			"sla_last_due",
			"description",
			"customer_deadline",
		],
		parents,
	)
	frappe.db.bulk_insert(
		"Service SLA Clock",
		[
			*CHILD_COLUMNS,
			"stage",
			"state",
			"start_on",
			"allowance_hours",
			"basis",
			"company",
			"cap_on",
			"due_on",
			"at_risk_on",
			"derived",
			"escalated_level",
		],
		clocks,
	)
	frappe.db.bulk_insert(
		"Service SLA Pause",
		[*CHILD_COLUMNS, "paused_on", "resumed_on"],
		pauses,
	)
	frappe.db.commit()


def per_document_loop(names: list[str], now: datetime) -> None:
	"""What a sweep without set-based SQL does: load each complaint, check each clock and level."""
	from service_control.service_control.sla.clocks import show_derived_deadlines
	from service_control.utils import get_settings

	levels = [row.level for row in get_settings().escalation_levels]
	for name in names:
		doc = frappe.get_doc("Customer Complaint", name)
		show_derived_deadlines(doc)  # the instants a derived clock does not store
		for clock in doc.sla_clocks:
			state = clock.state
			if state in ("On Track", "At Risk") and clock.due_on and clock.due_on <= now:
				state = "Breached"
			elif state == "On Track" and clock.at_risk_on and clock.at_risk_on <= now:
				state = "At Risk"
			if state != clock.state:
				frappe.db.set_value("Service SLA Clock", clock.name, "state", state, update_modified=False)
			if state not in ("At Risk", "Breached"):
				continue
			for level in levels:
				# a loop would log and notify a level that has no log row yet; none is new here
				if level > (clock.escalated_level or 0) and not frappe.db.exists(
					"Service Escalation Log",
					{"reference_name": name, "stage": clock.stage, "level": level},
				):
					pass


def bench_sweep(rng: random.Random, count: int, sample: int) -> None:
	from service_control.service_control.sla.sweep import run_sweep

	company = frappe.db.get_value("Company", {}, "name")
	customer = frappe.db.get_value("Customer", {}, "name")
	# the site's time, as the jobs read it (the site's time zone need not be the machine's)
	now = now_datetime().replace(microsecond=0)
	print(f"\n2. Sweep over {count:,} open complaints ({count * 4:,} stage clocks), company {company}")
	ensure_company_holidays(company)
	delete_bench_rows()
	_, elapsed, _ = timed(insert_complaints, rng, count, company, customer, now)
	print(f"   bulk insert: {elapsed:.1f} s")

	stats, elapsed, statements = timed(run_sweep, now)
	frappe.db.commit()
	print(f"   sweep with work: {elapsed:.2f} s, {statements} SQL statements, {stats}")
	runs = sweep_nothing_new(now, 3)

	names = frappe.db.sql_list(
		"select name from `tabCustomer Complaint` where name like %s order by rand(%s) limit %s",
		(PREFIX + "%", SEED, sample),
	)
	_, elapsed, statements = timed(per_document_loop, names, now)
	per_doc = elapsed / len(names)
	loop_total = per_doc * count
	print(
		f"   per-document loop: {len(names):,} complaints in {elapsed:.2f} s,"
		f" {statements / len(names):.1f} statements each;"
		f" for {count:,}: ~{loop_total:,.0f} s (extrapolated), ~{statements / len(names) * count:,.0f} statements"
	)
	print(f"   sweep with nothing new vs loop: {loop_total / min(runs):,.0f}x faster")
	frappe.db.rollback()


# ------------------------------------------------------------------------------------------
# 3. Recompute after a calendar change


def bench_recompute() -> None:
	"""Real calendar changes, each made and then undone: the working hours in Service Control
	Settings and a Holiday row of the company's Holiday List, written without their hooks, then
	the job the hooks enqueue (``recompute_open_clocks``) with the arguments they pass."""
	from service_control.service_control.sla.recompute import recompute_open_clocks
	from service_control.utils import clear_calendar_cache, get_holiday_list, get_working_calendar

	frappe.publish_progress = lambda *args, **kwargs: None  # no realtime server needed here
	like = PREFIX + "%"
	company = frappe.db.get_value("Customer Complaint", {"name": ("like", like)}, "company")
	cases = frappe.db.count("Customer Complaint", {"name": ("like", like), "due_by": ("is", "set")})
	clocks = frappe.db.count("Service SLA Clock", {"parent": ("like", like), "met_on": ("is", "not set")})
	derived = frappe.db.count("Service SLA Clock", {"parent": ("like", like), "derived": 1})
	print(
		f"\n3. Recompute after a calendar change ({cases:,} open complaints with a Due By,"
		f" {clocks:,} running working-hour clocks, {derived:,} of them derived)"
	)

	def recompute(label: str, *args, **kwargs) -> None:
		clear_calendar_cache()
		frappe.clear_document_cache("Service Control Settings", "Service Control Settings")
		# committed, so the job starts as a background job does: each batch its own transaction
		frappe.db.commit()
		due_by = frappe.db.sql("select sum(unix_timestamp(due_by)) from `tabCustomer Complaint`")[0][0]
		reviewed, elapsed, statements = timed(recompute_open_clocks, *args, **kwargs)
		moved = (
			frappe.db.sql("select sum(unix_timestamp(due_by)) from `tabCustomer Complaint`")[0][0] != due_by
		)
		print(
			f"   {label}: {reviewed:,} complaints reviewed in {elapsed:.2f} s, {statements} SQL statements"
			f" (Due By {'moved' if moved else 'unchanged'})"
		)

	# Working hours: every day's last interval ends half an hour later, so every due, at-risk and
	# next-check instant moves (earlier), then back (later). The worst case: every open case is
	# read and written, and its Due By and next-check index entries move.
	last = frappe.db.sql(
		"""select name from `tabService Working Hours` w
		where parent = 'Service Control Settings' and ifnull(w.for_company, '') = ''
			and to_time = (select max(to_time) from `tabService Working Hours` o
				where o.parent = w.parent and o.weekday = w.weekday and ifnull(o.for_company, '') = '')"""
	)
	later = "update `tabService Working Hours` set to_time = addtime(to_time, %s) where name in %s"
	names = [row[0] for row in last]
	frappe.db.sql(later, ("00:30:00", names))
	recompute("working hours: each day 30 min longer, every instant moves", None)
	frappe.db.sql(later, ("-00:30:00", names))
	recompute("working hours: back to before", None)

	# A holiday on the first working day at least two days ahead: the clocks running over it move.
	# Then one on a working day a month ahead, past every open deadline: nothing moves.
	holiday_list = get_holiday_list(company)
	if not holiday_list:
		raise SystemExit(f"{company} has no Holiday List: run part 2 first, it gives the company one")
	calendar = get_working_calendar(company)
	for ahead, label in ((2, "the day after tomorrow"), (30, "in a month")):
		day = getdate() + timedelta(days=ahead)
		while not calendar.between(datetime.combine(day, time()), datetime.combine(day, time.max)):
			day += timedelta(days=1)
		holiday = frappe.get_doc(
			doctype="Holiday",
			parent=holiday_list,
			parenttype="Holiday List",
			parentfield="holidays",
			holiday_date=day,
			description="benchmark",
		)
		holiday.db_insert()
		recompute(f"holiday added {label} ({day})", holiday_list, since=day)
		frappe.db.delete("Holiday", {"name": holiday.name})
		recompute(f"holiday {label} removed again", holiday_list, since=day)
	frappe.db.commit()
	bench_case_writes()


def bench_case_writes() -> None:
	"""The floor under any recompute that keeps Due By on the record: the open cases' SLA columns
	written back one minute later, in the recompute's batches and with its writer
	(``review._upsert``), with no read and no review; then written back as they were."""
	from service_control.service_control.sla.clocks import case_columns
	from service_control.service_control.sla.review import BATCH_SIZE, _upsert

	columns = ("name", *case_columns("Customer Complaint"))
	rows = frappe.db.sql(
		f"""select {", ".join(f"`{c}`" for c in columns)} from `tabCustomer Complaint`
		where name like %s and due_by is not null order by name""",
		PREFIX + "%",
	)

	def write(shift: int) -> float:
		moved = [
			tuple(v + timedelta(minutes=shift) if isinstance(v, datetime) else v for v in row) for row in rows
		]
		began = timer.perf_counter()
		for i in range(0, len(moved), BATCH_SIZE):
			_upsert("Customer Complaint", columns, moved[i : i + BATCH_SIZE])
			frappe.db.commit()
		return timer.perf_counter() - began

	later, back = write(1), write(0)
	print(
		f"   the writes alone: {len(rows):,} case rows ({len(columns) - 1} SLA columns, Due By and next"
		f" check indexed) one minute later in {later:.2f} s, back in {back:.2f} s"
	)


# ------------------------------------------------------------------------------------------
# 4. The complaint list sorted by Due By


def bench_list() -> None:
	"""The first page of the complaint list sorted by Due By, as the desk's list asks for it
	(``frappe.desk.reportview.get`` runs ``frappe.get_list``), and MariaDB's query plan."""
	total = frappe.db.count("Customer Complaint")
	print(f"\n4. Complaint list sorted by Due By ({total:,} complaints)")
	fields = ["name", "title", "status", "customer", "due_by", "due_stage", "sla_state"]
	args = {
		"doctype": "Customer Complaint",
		"fields": fields,
		"order_by": "due_by asc",
		"limit_page_length": 20,
	}
	for label, filters in (
		("all, soonest first", {}),
		("open, soonest first", {"status": ("not in", ["Closed", "Cancelled"]), "due_by": ("is", "set")}),
	):
		runs = []
		for _ in range(3):
			_, elapsed, statements = timed(frappe.get_list, filters=filters, **args)
			runs.append(elapsed)
		print(
			f"   {label}: best {min(runs) * 1000:.1f} ms, worst {max(runs) * 1000:.1f} ms, {statements} statements"
		)
	plan = frappe.db.sql(
		"""explain select name from `tabCustomer Complaint`
		where status not in ('Closed', 'Cancelled') and due_by is not null
		order by due_by asc limit 20""",
		as_dict=True,
	)
	for row in plan:
		print(f"   plan: type={row.type} key={row.key} rows={row.rows} extra={row.Extra}")


# ------------------------------------------------------------------------------------------
# 5. The sweep with nothing new over the site's complaints as they stand


def bench_as_is() -> None:
	"""The sweep with nothing new and the Due By list on the site's own complaints, however many
	(a site filled by ``site_reports.py``, say): what grows with the open cases, if anything."""
	from service_control.service_control.sla.sweep import run_sweep

	total = frappe.db.count("Customer Complaint")
	waiting = frappe.db.count("Customer Complaint", {"sla_next_on": ("is", "set")})
	print(
		f"\n5. Sweep with nothing new on the site as it stands ({total:,} complaints, {waiting:,} with a next check)"
	)
	now = now_datetime()
	frappe.db.commit()
	run_sweep(now)  # whatever was due, so that the runs below have nothing new
	sweep_nothing_new(now, 5)
	bench_list()


def sweep_nothing_new(now: datetime, times: int) -> list[float]:
	"""Time ``times`` sweeps with nothing new at ``now``; returns their wall times.

	The notification backlog is a separate, bounded job (500 per run): it is marked sent first,
	so the sweeps have nothing new, the steady state the target is about."""
	from service_control.service_control.sla.sweep import run_sweep

	frappe.db.sql("update `tabService Escalation Log` set status = 'Sent' where status = 'Pending'")
	frappe.db.commit()
	runs = []
	for _ in range(times):
		stats, elapsed, statements = timed(run_sweep, now)
		runs.append(elapsed)
	print(
		f"   sweep with nothing new: best {min(runs) * 1000:.1f} ms, worst {max(runs) * 1000:.1f} ms"
		f" of {times}, {statements} SQL statements, {stats}"
	)
	return runs


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--count", type=int, default=200_000)
	parser.add_argument("--sample", type=int, default=2_000, help="complaints the per-document loop visits")
	parser.add_argument("--calls", type=int, default=20_000, help="deadlines per allowance in part 1")
	parser.add_argument("--keep", action="store_true", help="keep the benchmark complaints")
	parser.add_argument(
		"--parts", default="1234", help="which parts to run, e.g. 1 or 234; 5 alone on a filled site"
	)
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.in_test = True  # the sweep must not commit per notification while measured
	rng = random.Random(SEED)
	try:
		if "1" in args.parts:
			bench_erpnext_ratio(rng, args.calls)
			frappe.db.commit()
		if "2" in args.parts:
			bench_sweep(rng, args.count, args.sample)
		if "3" in args.parts:
			bench_recompute()
		if "4" in args.parts:
			bench_list()
		if "5" in args.parts:
			bench_as_is()
	finally:
		if not args.keep:
			delete_bench_rows()
		frappe.destroy()


if __name__ == "__main__":
	main()
