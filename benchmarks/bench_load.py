"""Load benchmark: simulated desk users on a real gunicorn while the SLA sweep runs, then checks.

What it does, bounded in time and count, loopback only:

1. Setup (idempotent, in this process): the app's ``before_tests`` (company, fiscal years, an
   outgoing mail account that is never contacted), the company's Service Company Defaults, a few
   customers and an item, and ``--users`` users with the app's roles (Customer Service User,
   Quality Manager, Service Technician, General Manager, Accounts User + Manager, in a fixed
   cycle) and fresh API keys. The site's scheduler is switched off: the sweep is run here.
2. A gunicorn on the site (``frappe.app:application``, as bench's Procfile / supervisor run it,
   from the ``sites`` folder) on a free loopback port, unless ``--url`` names a running one;
   requests carry ``Host: <site>`` and ``Authorization: token key:secret``.
3. One thread per user, for ``--seconds``, with ``--think`` seconds (0.5 to 1.5 times) before each request
   (0, the default, saturates the workers: latency is then mostly queueing), through the REST
   calls the desk makes:
   a ToDo insert (the framework floor), the open-complaints list by Due By, and a complaint's
   whole life: filed (``/api/resource``), read (``getdoc``, the form load), owner and plan set
   (``savedocs``), then ``apply_workflow``: Start Investigation, Wait for Customer (the SLA
   pause), Resume, the answer saved and Send Answer, the confirmation saved and Close. Every
   ``--compensation-every``-th round a compensation on the complaint (no return, so Quality
   then General Manager approve) is settled by Accounts (a Journal Entry); every
   ``--repair-every``-th round a repair request is filed, a technician assigned, the technician's
   feedback inserted and submitted, and the request closed (``run_doc_method change_status``).
   Each step is done by a user with the role the workflow gives it (the thread's own user when
   it has that role, else a colleague's). A third of the complaints and repairs are received
   days ago, so their clocks are at risk or breached and the sweep has work on cases being saved.
4. Meanwhile, in a separate process, the SLA sweep (``sla.sweep.run_sweep``, then commit) every
   ``--sweep-every`` seconds, and the daily jobs (satisfaction surveys, CAPA) once, a third in.
5. Figures: requests per second; p50 / p95 / max latency per action, the ToDo insert first as
   the floor; every error by action, HTTP status and exception class; the sweep's runs and the
   deadlocks and lock timeouts it hit; the InnoDB deadlocks seen on this site's database (polled
   from ``show engine innodb status`` every second when ``--db-root-password`` is given, which
   that statement needs); then a consistency check of what the run created: four stage clocks
   per complaint, clocks on every repair request, each escalation level logged once per case and
   stage, each settled compensation posted by exactly one Journal Entry, every GL voucher
   balanced, and no case left unreviewed past its next check.

Run it on a throwaway site of a bench with ERPNext and service_control installed, from the
bench's ``sites`` folder::

    ../env/bin/python ../apps/service_control/benchmarks/bench_load.py --site load.localhost \\
        --users 12 --seconds 60 --db-root-password root

The records it creates stay (they are what the consistency check reads); figures are noisy on a
shared machine.
"""

import argparse
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time as timer
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import requests

CS, QM, TECH, GM, ACC = "cs", "qm", "tech", "gm", "acc"
#: The roles of each persona (as in the app's tests: the settler may post Journal Entries).
PERSONAS = {
	CS: ["Customer Service User"],
	QM: ["Quality Manager"],
	TECH: ["Service Technician"],
	GM: ["General Manager"],
	ACC: ["Accounts User", "Accounts Manager"],
}
#: User i gets persona ROLE_CYCLE[i % 12]: with 12 users 5 CS, 3 QM, 2 technicians, 1 GM, 1 accounts.
ROLE_CYCLE = (CS, QM, TECH, GM, ACC, CS, QM, CS, TECH, CS, QM, CS)
CUSTOMERS = 5
ITEM = "_Test SC Load Item"
TIMEOUT = 120  # per request, as gunicorn's -t
STAGES = ("First Reply", "Arrangement", "Resolution", "Closure")
#: The order the per-action table prints in (the floor first).
ACTIONS = (
	"todo.insert",
	"complaint.list",
	"complaint.file",
	"complaint.read",
	"complaint.assign",
	"complaint.start_investigation",
	"complaint.wait_for_customer",
	"complaint.resume",
	"complaint.answer",
	"complaint.send_answer",
	"complaint.confirm",
	"complaint.close",
	"compensation.create",
	"compensation.submit",
	"compensation.approve_qm",
	"compensation.approve_gm",
	"compensation.settle",
	"repair.file",
	"repair.assign",
	"repair.feedback_insert",
	"repair.feedback_submit",
	"repair.close",
)


# ------------------------------------------------------------------------------------------
# Setup and checks (in this process, through frappe)


def connect(site: str, sites_path: str):
	import frappe

	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	return frappe


def setup(site: str, sites_path: str, count: int) -> dict:
	"""Company, masters and users with API keys; returns what the clients need."""
	frappe = connect(site, sites_path)
	try:
		from frappe.utils import now_datetime

		from service_control.tests import utils
		from service_control.tests.repair_factories import no_email_notifications

		began = timer.perf_counter()
		frappe.flags.in_test = True  # as bench run-tests calls it (the mail account is not contacted)
		utils.before_tests()  # completes ERPNext's setup once; idempotent
		frappe.flags.in_test = False
		utils.set_service_company_defaults()
		customers = [utils.make_customer(f"_Test SC Load Customer {i}") for i in range(CUSTOMERS)]
		utils.make_item(ITEM)
		frappe.db.set_single_value("System Settings", "enable_scheduler", 0)
		users = []
		for i in range(count):
			persona = ROLE_CYCLE[i % len(ROLE_CYCLE)]
			email = utils.make_user(f"sc.load{i:02d}.{persona}@example.com", PERSONAS[persona])
			no_email_notifications(email)
			user = frappe.get_doc("User", email)
			user.api_key = user.api_key or frappe.generate_hash(length=15)
			secret = frappe.generate_hash(length=15)
			user.api_secret = secret
			user.save(ignore_permissions=True)
			users.append({"email": email, "persona": persona, "token": f"{user.api_key}:{secret}"})
		frappe.db.commit()
		# the site's wall clock (its time zone need not be this machine's), to the minute
		offset = now_datetime() - datetime.now()
		return {
			"company": utils.TEST_COMPANY,
			"customers": customers,
			"users": users,
			"offset": round(offset.total_seconds() / 60) * 60,
			"db_name": frappe.conf.db_name,
			"db_host": frappe.conf.db_host or "127.0.0.1",
			"db_port": int(frappe.conf.db_port or 3306),
			"setup_seconds": timer.perf_counter() - began,
		}
	finally:
		frappe.destroy()


def check(site: str, sites_path: str, made: dict, started: datetime, ended: datetime, sweep_every: float):
	"""The consistency of what the run created, read from the database."""
	frappe = connect(site, sites_path)
	sql = frappe.db.sql
	try:
		print("\nConsistency")
		tag = made["tag"]
		complaints = set(made["Customer Complaint"]) | set(
			frappe.get_all("Customer Complaint", {"description": ("like", f"%{tag}%")}, pluck="name")
		)
		repairs = set(made["Repair Request"]) | set(
			frappe.get_all("Repair Request", {"fault_description": ("like", f"%{tag}%")}, pluck="name")
		)
		compensations = set(made["Compensation"]) | set(
			frappe.get_all("Compensation", {"description": ("like", f"%{tag}%")}, pluck="name")
		)
		for doctype, names in (("Customer Complaint", complaints), ("Repair Request", repairs)):
			if not names:
				print(f"   {doctype}: none created")
				continue
			states = Counter(
				frappe.get_all(doctype, {"name": ("in", list(names))}, pluck="status", limit_page_length=0)
			)
			clocks = {
				parent: (rows, stages, list_)
				for parent, rows, stages, list_ in sql(
					"""select parent, count(*), count(distinct stage), group_concat(stage order by idx)
					from `tabService SLA Clock` where parenttype = %s and parent in %s group by parent""",
					(doctype, list(names)),
				)
			}
			shapes = Counter(
				(clocks[n][0], clocks[n][2]) if n in clocks else (0, "(no clocks)") for n in names
			)
			print(f"   {doctype}: {len(names)} created, by status {dict(states)}")
			for (rows, stages), number in shapes.most_common():
				print(f"      {number} with {rows} clock rows: {stages}")
			if doctype == "Customer Complaint":
				bad = [n for n in names if n not in clocks or clocks[n][0] != 4 or clocks[n][1] != 4]
				wrong_stages = [
					n for n in names if n in clocks and set(clocks[n][2].split(",")) != set(STAGES)
				]
				print(
					f"      four stage clocks: {'OK' if not bad and not wrong_stages else 'FAILED'}"
					f" ({len(bad)} without exactly 4 rows / 4 stages, {len(wrong_stages)} with other stages)"
					+ (f", e.g. {sorted(bad + wrong_stages)[:5]}" if bad or wrong_stages else "")
				)
			else:
				bad = [n for n in names if n not in clocks]
				print(f"      clocks on every request: {'OK' if not bad else f'FAILED: {sorted(bad)[:5]}'}")
			# cases whose next check passed well before the run ended: the sweep left them behind
			late = ended - timedelta(seconds=2 * sweep_every + 5)
			behind = frappe.db.count(doctype, {"name": ("in", list(names)), "sla_next_on": ("<", late)})
			print(f"      next check more than {2 * sweep_every + 5:.0f} s overdue at the end: {behind}")

		duplicates = sql(
			"""select reference_doctype, reference_name, stage, level, count(*)
			from `tabService Escalation Log` group by reference_doctype, reference_name, stage, level
			having count(*) > 1 limit 20"""
		)
		logged = sql(
			"""select count(*), count(distinct reference_name) from `tabService Escalation Log`
			where creation >= %s""",
			started,
		)[0]
		print(
			f"   Escalation log: {logged[0]} rows for {logged[1]} cases written during the run;"
			f" logged once per case, stage and level: {'OK' if not duplicates else 'FAILED'}"
		)
		for row in duplicates:
			print(f"      duplicate: {row}")
		# a row left in Sending was claimed by a notification run whose transaction then failed
		statuses = dict(
			sql(
				"select status, count(*) from `tabService Escalation Log` where creation >= %s group by status",
				started,
			)
		)
		unsent = sql(
			"""select reference_name, stage, level, status from `tabService Escalation Log`
			where creation >= %s and status in ('Sending', 'Failed') limit 10""",
			started,
		)
		print(
			f"      by status {statuses}; every one sent: {'OK' if not unsent else 'FAILED'}"
			+ (f", e.g. {unsent}" if unsent else "")
		)

		if compensations:
			rows = frappe.get_all(
				"Compensation",
				{"name": ("in", list(compensations))},
				["name", "status", "docstatus", "journal_entry"],
				limit_page_length=0,
			)
			settled = [r for r in rows if r.status == "Settled"]
			problems = []
			for r in settled:
				posted = sql(
					"""select name from `tabJournal Entry` where docstatus = 1 and user_remark like %s""",
					f"%{r.name}%",
				)
				submitted = r.journal_entry and frappe.db.get_value(
					"Journal Entry", r.journal_entry, "docstatus"
				)
				if len(posted) != 1 or submitted != 1:
					problems.append((r.name, r.journal_entry, submitted, [p[0] for p in posted]))
			print(
				f"   Compensation: {len(rows)} created, by status {dict(Counter(r.status for r in rows))};"
				f" each settled one posted by exactly one submitted Journal Entry:"
				f" {'OK' if not problems else 'FAILED'}"
			)
			for problem in problems[:10]:
				print(f"      {problem}")
		unbalanced = sql(
			"""select voucher_type, voucher_no, sum(debit), sum(credit) from `tabGL Entry`
			where is_cancelled = 0 group by voucher_type, voucher_no
			having abs(sum(debit) - sum(credit)) > 0.005 limit 20"""
		)
		vouchers = sql("select count(distinct voucher_no) from `tabGL Entry` where creation >= %s", started)[
			0
		][0]
		print(
			f"   GL: {vouchers} vouchers posted during the run; every voucher balanced (debit = credit):"
			f" {'OK' if not unbalanced else 'FAILED'}"
		)
		for row in unbalanced:
			print(f"      unbalanced: {row}")
		errors = sql(
			"""select substring_index(trim(trailing '\n' from error), '\n', -1), count(*) from `tabError Log`
			where creation >= %s group by 1 order by 2 desc limit 10""",
			started,
		)
		print(f"   Error Log rows written during the run: {sum(n for _, n in errors)}")
		for message, number in errors:
			print(f"      {number:>5} x {message[:150]}")
	finally:
		frappe.destroy()


# ------------------------------------------------------------------------------------------
# The sweep, in its own process


def sweeper(args) -> None:
	"""Run the SLA sweep every ``--sweep-every`` s until ``--until`` and the daily jobs once; write
	what happened to ``--out`` as JSON."""
	frappe = connect(args.site, args.sites_path)
	from service_control.service_control.sla.sweep import run_sweep

	#: what the daily scheduler events enqueue (hooks: scheduler_events), run here at once
	daily_jobs = (
		("surveys", frappe.get_attr("service_control.service_control.survey.dispatch.run_daily")),
		("capa", frappe.get_attr("service_control.service_control.capa_sweep.run_daily")),
	)

	result = {"runs": [], "totals": Counter(), "errors": Counter(), "samples": {}, "daily": {}}
	daily_at = timer.time() + (args.until - timer.time()) / 3
	stopping = threading.Event()
	signal.signal(signal.SIGTERM, lambda *_: stopping.set())

	def attempt(label: str, fn) -> dict | None:
		began = timer.perf_counter()
		try:
			stats = fn()
			frappe.db.commit()
			return {"seconds": timer.perf_counter() - began, "stats": stats}
		except Exception as e:
			frappe.db.rollback()
			kind = type(e).__name__
			# what escapes may be raised while handling the deadlock (e.g. a savepoint it erased)
			chain = [e]
			while chain[-1].__context__ is not None and len(chain) < 10:
				chain.append(chain[-1].__context__)
			codes = {x.args[0] for x in chain if x.args and isinstance(x.args[0], int)}
			if any(isinstance(x, frappe.QueryDeadlockError) for x in chain) or codes & {1213, 1020}:
				kind = "deadlock " + kind
			elif isinstance(e, frappe.QueryTimeoutError) or 1205 in codes:
				kind = "lock wait timeout " + kind
			result["errors"][f"{label}: {kind}"] += 1
			result["samples"].setdefault(f"{label}: {kind}", str(e)[:300])
			return None

	while timer.time() < args.until and not stopping.is_set():
		began = timer.time()
		done = attempt("sweep", run_sweep)
		if done:
			result["runs"].append(done["seconds"])
			result["totals"].update({k: v for k, v in done["stats"].items() if isinstance(v, int)})
		if daily_at and timer.time() >= daily_at:
			daily_at = None
			for label, fn in daily_jobs:
				done = attempt(label, fn)
				result["daily"][label] = done and {"seconds": done["seconds"], "stats": str(done["stats"])}
		stopping.wait(max(0.0, args.sweep_every - (timer.time() - began)))
	frappe.destroy()
	Path(args.out).write_text(json.dumps(result, default=str))


# ------------------------------------------------------------------------------------------
# The simulated users


class Abandon(Exception):
	"""A step failed (recorded): the flow stops there, the case stays as it is."""


class Client:
	"""One user thread's HTTP session; records every request's latency and error."""

	def __init__(
		self, base: str, host: str, until: float, think: float = 0, rng: random.Random | None = None
	):
		self.session = requests.Session()
		self.base, self.until = base, until
		self.think, self.rng = think, rng or random.Random()
		self.headers = {"Host": host, "Accept": "application/json"}
		self.latency: dict[str, list[float]] = defaultdict(list)
		self.errors: Counter = Counter()
		self.samples: dict[tuple, str] = {}
		self.made: dict[str, list[str]] = defaultdict(list)

	def call(self, action: str, user: dict, method: str, path: str, **kwargs) -> dict:
		if self.think:  # a person reads and types between clicks: 0.5 to 1.5 times --think
			timer.sleep(self.think * (0.5 + self.rng.random()))
		if timer.time() >= self.until:
			raise Abandon
		headers = {**self.headers, "Authorization": f"token {user['token']}"}
		began = timer.perf_counter()
		try:
			response = self.session.request(
				method, self.base + path, headers=headers, timeout=TIMEOUT, **kwargs
			)
		except requests.RequestException as e:
			self.fail(action, "-", type(e).__name__, str(e), timer.perf_counter() - began)
		elapsed = timer.perf_counter() - began
		try:
			body = response.json()
		except ValueError:
			body = {}
		if response.status_code == 200:
			self.latency[action].append(elapsed)
			return body
		self.fail(action, response.status_code, *error_of(body, response.text), elapsed)

	def fail(self, action: str, status, kind: str, message: str, elapsed: float):
		key = (action, str(status), kind)
		self.errors[key] += 1
		self.samples.setdefault(key, message)
		self.latency[action + " (failed)"].append(elapsed)
		raise Abandon

	# ---- framework calls, as the desk makes them

	def insert(self, action: str, user: dict, doc: dict) -> dict:
		data = self.call(action, user, "POST", f"/api/resource/{doc['doctype']}", json=doc)["data"]
		self.made[doc["doctype"]].append(data["name"])
		return data

	def getdoc(self, action: str, user: dict, doctype: str, name: str) -> dict:
		body = self.call(
			action,
			user,
			"GET",
			"/api/method/frappe.desk.form.load.getdoc",
			params={"doctype": doctype, "name": name},
		)
		return body["docs"][0]

	def savedocs(self, action: str, user: dict, doc: dict, submit: bool = False, **changes) -> dict:
		data = {"doc": json.dumps({**doc, **changes}), "action": "Submit" if submit else "Save"}
		return self.call(action, user, "POST", "/api/method/frappe.desk.form.save.savedocs", data=data)[
			"docs"
		][0]

	def workflow(self, action: str, user: dict, doc: dict, transition: str) -> dict:
		data = {"doc": json.dumps(doc), "action": transition}
		return self.call(action, user, "POST", "/api/method/frappe.model.workflow.apply_workflow", data=data)[
			"message"
		]


def error_of(body: dict, text: str) -> tuple[str, str]:
	"""The exception class and message of a Frappe error response."""
	kind = body.get("exc_type") or ""
	message = ""
	if body.get("_server_messages"):
		try:
			message = json.loads(json.loads(body["_server_messages"])[0]).get("message", "")
		except (ValueError, TypeError, AttributeError, IndexError):
			message = str(body["_server_messages"])
	trace = body.get("exception") or body.get("exc") or ""
	if isinstance(trace, str) and trace:
		match = re.search(
			r"([A-Za-z_.]*(?:Error|Exception|Mismatch)[A-Za-z]*)(?::|\s*\(|\s*$)", trace.splitlines()[-1]
		)
		kind = kind or (match and match.group(1).split(".")[-1]) or ""
		message = message or trace.strip().splitlines()[-1]
	return kind or "?", re.sub(r"<[^>]+>", "", message or text[:200])[:300]


class LoadUser(threading.Thread):
	def __init__(self, index: int, users: list[dict], context: dict, args, until: float):
		super().__init__(name=f"load-{index}", daemon=True)
		self.index, self.users, self.context, self.args = index, users, context, args
		self.me = users[index]
		self.client = Client(args.base, args.site, until, args.think, random.Random(args.seed + index))
		self.rng = random.Random(args.seed * 1000 + index)
		self.rounds = 0

	def as_(self, persona: str) -> dict:
		"""The thread's own user when it has the persona, else a colleague's."""
		if self.me["persona"] == persona:
			return self.me
		colleagues = [u for u in self.users if u["persona"] == persona]
		return colleagues[self.index % len(colleagues)]

	def now(self) -> datetime:
		return datetime.now() + timedelta(seconds=self.context["offset"])

	def stamp(self, moment: datetime) -> str:
		return moment.strftime("%Y-%m-%d %H:%M:%S")

	def received(self) -> str:
		"""A third received days ago (at risk or breached already), the rest within the hour."""
		if self.rng.random() < 1 / 3:
			age = timedelta(days=self.rng.uniform(1, 10))
		else:
			age = timedelta(minutes=self.rng.uniform(2, 60))
		return self.stamp(self.now() - age)

	def run(self) -> None:
		while timer.time() < self.client.until:
			self.rounds += 1
			for flow in (self.todo, self.complaint_list, self.complaint):
				try:
					flow()
				except Abandon:
					pass

	def todo(self) -> None:
		self.client.insert(
			"todo.insert",
			self.me,
			{
				"doctype": "ToDo",
				"description": f"Call back the customer ({self.context['tag']})",
				"allocated_to": self.me["email"],
				"priority": "Medium",
			},
		)

	def complaint_list(self) -> None:
		self.client.call(
			"complaint.list",
			self.as_(CS),
			"GET",
			"/api/resource/Customer Complaint",
			params={
				"fields": json.dumps(
					["name", "title", "status", "customer", "due_by", "due_stage", "sla_state"]
				),
				"filters": json.dumps([["status", "not in", ["Closed", "Cancelled"]]]),
				"order_by": "due_by asc",
				"limit_page_length": 20,
			},
		)

	def complaint(self) -> None:
		c, q, rng = self.as_(CS), self.as_(QM), self.rng
		severity = rng.choices(["Minor", "Major", "Critical"], [90, 8, 2])[0]
		doc = self.client.insert(
			"complaint.file",
			c,
			{
				"doctype": "Customer Complaint",
				"company": self.context["company"],
				"customer": rng.choice(self.context["customers"]),
				"channel": "Phone",
				"received_on": self.received(),
				"urgency": "Urgent" if rng.random() < 0.2 else "Normal",
				"severity": severity,
				"item_code": ITEM,
				"description": f"Parts arrived scratched ({self.context['tag']})",
			},
		)
		name = doc["name"]
		doc = self.client.getdoc("complaint.read", c, "Customer Complaint", name)
		doc = self.client.savedocs(
			"complaint.assign",
			q,
			doc,
			investigation_owner=q["email"],
			arrangement_plan="Inspect the returned sample",
		)
		doc = self.client.workflow("complaint.start_investigation", q, doc, "Start Investigation")
		doc = self.client.workflow("complaint.wait_for_customer", c, doc, "Wait for Customer")
		doc = self.client.workflow("complaint.resume", c, doc, "Resume")
		doc = self.client.savedocs(
			"complaint.answer",
			c,
			doc,
			responsibility="Customer",
			answer_method="Phone",
			reply="Handled with care from now on",
			replied_on=self.stamp(self.now() - timedelta(seconds=5)),
		)
		doc = self.client.workflow("complaint.send_answer", c, doc, "Send Answer")
		doc = self.client.savedocs("complaint.confirm", c, doc, satisfaction="Satisfied")
		doc = self.client.workflow("complaint.close", c, doc, "Close")
		if (self.rounds + self.index) % self.args.compensation_every == 0:
			self.compensation(doc)
		if (self.rounds + self.index) % self.args.repair_every == 0:
			self.repair()

	def compensation(self, complaint: dict) -> None:
		c = self.as_(CS)
		doc = self.client.insert(
			"compensation.create",
			c,
			{
				"doctype": "Compensation",
				"customer_complaint": complaint["name"],
				"company": complaint["company"],
				"customer": complaint["customer"],
				"currency": "CNY",
				"posting_date": self.now().date().isoformat(),
				"goods_amount": 200,
				"freight_amount": 50,
				"settlement_method": "Journal Entry",
				"no_return_reason": "Scrapped at the customer's site",
				"description": f"Goodwill ({self.context['tag']})",
			},
		)
		ref = {"doctype": "Compensation", "name": doc["name"]}
		self.client.workflow("compensation.submit", c, ref, "Submit for Approval")
		self.client.workflow("compensation.approve_qm", self.as_(QM), ref, "Approve")
		self.client.workflow("compensation.approve_gm", self.as_(GM), ref, "Approve")
		self.client.workflow("compensation.settle", self.as_(ACC), ref, "Settle")

	def repair(self) -> None:
		c, t, rng = self.as_(CS), self.as_(TECH), self.rng
		doc = self.client.insert(
			"repair.file",
			c,
			{
				"doctype": "Repair Request",
				"company": self.context["company"],
				"customer": rng.choice(self.context["customers"]),
				"item_code": ITEM,
				"channel": "Phone",
				"reported_on": self.received(),
				"urgency": "Urgent" if rng.random() < 0.2 else "Normal",
				"fault_type": "Electrical",
				"fault_description": f"Does not power on ({self.context['tag']})",
				"remedy": "Repair",
			},
		)
		doc = self.client.savedocs(
			"repair.assign",
			c,
			doc,
			technician=t["email"],
			planned_visit_on=self.stamp(self.now() + timedelta(hours=3)),
		)
		today = self.now().date().isoformat()
		feedback = self.client.insert(
			"repair.feedback_insert",
			t,
			{
				"doctype": "Repair Feedback",
				"repair_request": doc["name"],
				"posting_date": today,
				"technician": t["email"],
				"visits": [{"visit_date": today, "technician": t["email"], "hours": 2}],
				"fault_found": "Blown fuse",
				"work_done": "Replaced the fuse and tested",
				"result": "Fixed",
				# the customer's verification on the form, which closing the request needs
				"quality_rating": 1,
				"attitude_rating": 0.8,
				"verifier_name": "Mr Li",
			},
		)
		self.client.savedocs("repair.feedback_submit", t, feedback, submit=True)
		self.client.call(
			"repair.close",
			c,
			"POST",
			"/api/method/run_doc_method",
			data={
				"dt": "Repair Request",
				"dn": doc["name"],
				"method": "change_status",
				"args": json.dumps({"status": "Closed", "reason": "Customer confirmed by phone"}),
			},
		)


# ------------------------------------------------------------------------------------------
# gunicorn and the InnoDB monitor


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def start_gunicorn(args, log_dir: Path) -> subprocess.Popen:
	port = args.port or free_port()
	args.base = f"http://127.0.0.1:{port}"
	gunicorn = Path(sys.executable).parent / "gunicorn"
	command = [
		str(gunicorn),
		"-b",
		f"127.0.0.1:{port}",
		"-w",
		str(args.workers),
		"--threads",
		"1",
		"-t",
		str(TIMEOUT),
		"--preload",
		"frappe.app:application",
	]
	log = open(log_dir / "gunicorn.log", "w")
	process = subprocess.Popen(
		command, cwd=args.sites_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
	)
	print(f"gunicorn: {' '.join(command)} (pid {process.pid}, log {log_dir / 'gunicorn.log'})")
	deadline = timer.time() + 90
	while timer.time() < deadline:
		if process.poll() is not None:
			raise SystemExit(f"gunicorn exited with {process.returncode}: see {log_dir / 'gunicorn.log'}")
		try:
			if requests.get(args.base + "/api/method/ping", headers={"Host": args.site}, timeout=5).ok:
				return process
		except requests.RequestException:
			pass
		timer.sleep(0.5)
	stop(process)
	raise SystemExit("gunicorn did not answer within 90 s")


def stop(process: subprocess.Popen, grace: float = 20) -> None:
	"""Stop a process this script started (and its children: its own session)."""
	if process.poll() is not None:
		return
	os.killpg(process.pid, signal.SIGTERM)
	try:
		process.wait(grace)
	except subprocess.TimeoutExpired:
		os.killpg(process.pid, signal.SIGKILL)
		process.wait(5)


class InnodbMonitor(threading.Thread):
	"""Polls ``show engine innodb status`` and keeps each distinct LATEST DETECTED DEADLOCK that
	touched ``db_name``."""

	def __init__(self, context: dict, user: str, password: str, every: float = 1.0):
		super().__init__(name="innodb-monitor", daemon=True)
		import pymysql

		self.db_name, self.every = context["db_name"], every
		self.connection = pymysql.connect(
			host=context["db_host"], port=context["db_port"], user=user, password=password, autocommit=True
		)
		self.sections: dict[str, str] = {}
		self.stopping = threading.Event()
		self.before = self.server_deadlocks()
		self.first = self.latest()  # one from before the run is not ours

	def server_deadlocks(self) -> int:
		with self.connection.cursor() as cursor:
			cursor.execute("show global status like 'Innodb_deadlocks'")
			row = cursor.fetchone()
		return int(row[1]) if row else 0

	def latest(self) -> str | None:
		with self.connection.cursor() as cursor:
			cursor.execute("show engine innodb status")
			status = cursor.fetchone()[2]
		match = re.search(r"LATEST DETECTED DEADLOCK\n-+\n(.*?)\n-+\nTRANSACTIONS\n", status, re.S)
		return match.group(1) if match else None

	def run(self) -> None:
		while not self.stopping.wait(self.every):
			self.poll()

	def poll(self) -> None:
		try:
			section = self.latest()
		except Exception:
			return
		if section and section != self.first and self.db_name in section:
			self.sections.setdefault(section.splitlines()[0], section)

	def finish(self) -> int:
		self.stopping.set()
		self.join(5)
		self.poll()
		after = self.server_deadlocks()
		self.connection.close()
		return after - self.before


def deadlock_kind(section: str) -> tuple[str, tuple[str, ...]]:
	"""The index waited on and each transaction's statement (its start), for counting alike."""
	index = re.search(
		r"WAITING FOR THIS LOCK TO BE GRANTED:\n.*?(index \S+ of table `[^`]+`\.`[^`]+`)", section
	)
	statements = []
	for part in re.split(r"\*\*\* \(\d\) TRANSACTION:", section)[1:]:
		lines = part.split("*** WAITING")[0].splitlines()
		start = next((i for i, line in enumerate(lines) if line.startswith("MariaDB thread id")), None)
		text = (
			" ".join(line.strip() for line in lines[start + 1 :] if line.strip()) if start is not None else ""
		)
		statements.append(re.sub(r"\([^)]*\)\s*VALUES \(.*", "(...) VALUES (...)", text)[:200])
	return (index.group(1) if index else "?"), tuple(sorted(statements))


# ------------------------------------------------------------------------------------------
# Figures


def percentile(values: list[float], share: float) -> float:
	ordered = sorted(values)
	return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(clients: list[Client], elapsed: float, sweep: dict | None, monitor, server_deadlocks) -> None:
	latency: dict[str, list[float]] = defaultdict(list)
	errors: Counter = Counter()
	samples: dict = {}
	for client in clients:
		for action, values in client.latency.items():
			latency[action].extend(values)
		errors.update(client.errors)
		for key, message in client.samples.items():
			samples.setdefault(key, message)
	ok = sum(len(v) for a, v in latency.items() if not a.endswith("(failed)"))
	failed = sum(errors.values())
	print(
		f"\nThroughput: {ok + failed} requests in {elapsed:.1f} s = {(ok + failed) / elapsed:.1f} req/s"
		f" ({ok / elapsed:.1f} req/s succeeded, {failed} failed)"
	)
	print("\nLatency per action (successful requests), ms")
	print(f"   {'action':<32} {'count':>6} {'p50':>8} {'p95':>8} {'max':>8} {'errors':>7}")
	failed_by_action = Counter()
	for (action, _status, _kind), number in errors.items():
		failed_by_action[action] += number
	for action in [*ACTIONS, *sorted(set(latency) - set(ACTIONS))]:
		values = latency.get(action)
		if action.endswith("(failed)") or not (values or failed_by_action[action]):
			continue
		if values:
			figures = (percentile(values, 0.5), percentile(values, 0.95), max(values))
			cells = " ".join(f"{v * 1000:>8.0f}" for v in figures)
		else:
			cells = f"{'-':>8} {'-':>8} {'-':>8}"
		print(f"   {action:<32} {len(values or []):>6} {cells} {failed_by_action[action]:>7}")
	print("\nErrors by action, HTTP status and exception")
	if not errors:
		print("   none")
	for (action, status, kind), number in sorted(errors.items(), key=lambda item: -item[1]):
		print(f"   {number:>5} x {action} -> {status} {kind}: {samples[(action, status, kind)][:160]}")
	by_kind = Counter()
	for (_action, _status, kind), number in errors.items():
		by_kind[kind] += number
	if by_kind:
		print(f"   by exception: {dict(by_kind.most_common())}")

	print("\nSLA sweep (separate process)")
	if sweep is None:
		print("   no result: the sweep process failed (its log is in the Logs folder below)")
	else:
		runs = sweep["runs"]
		if runs:
			print(
				f"   {len(runs)} runs, p50 {percentile(runs, 0.5) * 1000:.0f} ms, max {max(runs) * 1000:.0f} ms;"
				f" totals {dict(sweep['totals'])}"
			)
		deadlocks = sum(n for k, n in sweep["errors"].items() if "deadlock" in k)
		timeouts = sum(n for k, n in sweep["errors"].items() if "lock wait timeout" in k)
		print(f"   deadlocks hit by the sweep: {deadlocks}; lock wait timeouts: {timeouts}")
		for key, number in sweep["errors"].items():
			print(f"   {number:>5} x {key}: {sweep['samples'][key][:200]}")
		for label, done in sweep["daily"].items():
			print(f"   daily job {label}: {done or 'failed (see errors above)'}")

	print("\nInnoDB deadlocks")
	if monitor is None:
		print(
			"   not polled (pass --db-root-password: show engine innodb status needs the PROCESS privilege)"
		)
		return
	print(
		f"   server-wide Innodb_deadlocks during the run: {server_deadlocks} (every site of this server);"
		f" distinct deadlocks seen on this site's database: {len(monitor.sections)}"
		" (polled every second: two within a second show as one)"
	)
	kinds = Counter(deadlock_kind(section) for section in monitor.sections.values())
	for (index, statements), number in kinds.most_common():
		print(f"   {number:>5} x on {index}:")
		for statement in statements:
			print(f"            {statement}")
	for section in list(monitor.sections.values())[-2:]:
		print("   ---------------- LATEST DETECTED DEADLOCK ----------------")
		print("\n".join("   " + line for line in section.splitlines()))


# ------------------------------------------------------------------------------------------


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--users", type=int, default=12, help="simulated users (threads), at least 5")
	parser.add_argument("--seconds", type=float, default=120)
	parser.add_argument("--sweep-every", type=float, default=2)
	parser.add_argument(
		"--think",
		type=float,
		default=0,
		help="seconds a user pauses before each request (0: none, saturating)",
	)
	parser.add_argument("--compensation-every", type=int, default=5, help="rounds between compensations")
	parser.add_argument("--repair-every", type=int, default=3, help="rounds between repair requests")
	parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (one thread each)")
	parser.add_argument("--port", type=int, default=0, help="gunicorn port (default: a free one)")
	parser.add_argument("--url", help="use this running server (e.g. http://127.0.0.1:8000) instead")
	parser.add_argument("--db-root-user", default="root")
	parser.add_argument("--db-root-password", help="to read show engine innodb status (PROCESS privilege)")
	parser.add_argument("--seed", type=int, default=20261203)
	parser.add_argument("--sweeper", action="store_true", help=argparse.SUPPRESS)
	parser.add_argument("--until", type=float, help=argparse.SUPPRESS)
	parser.add_argument("--out", help=argparse.SUPPRESS)
	args = parser.parse_args()
	args.sites_path = os.path.abspath(args.sites_path)
	if args.sweeper:
		sweeper(args)
		return
	if args.users < len(PERSONAS):
		raise SystemExit(f"--users must be at least {len(PERSONAS)}: one user per persona")

	log_dir = Path(tempfile.mkdtemp(prefix="bench_load_"))
	print(f"Setup on {args.site} ({args.users} users)...", flush=True)
	context = setup(args.site, args.sites_path, args.users)
	context["tag"] = f"bench_load {datetime.now():%Y%m%d-%H%M%S}"
	print(
		f"   done in {context['setup_seconds']:.0f} s; users by persona"
		f" {dict(Counter(u['persona'] for u in context['users']))}; run tag '{context['tag']}'"
	)

	server = None
	if args.url:
		args.base = args.url.rstrip("/")
	else:
		server = start_gunicorn(args, log_dir)
	monitor = None
	if args.db_root_password:
		monitor = InnodbMonitor(context, args.db_root_user, args.db_root_password)
		monitor.start()
	server_deadlocks = None
	sweep_result = None
	try:
		started = datetime.now() + timedelta(seconds=context["offset"])
		begin = timer.time()
		until = begin + args.seconds
		out = log_dir / "sweep.json"
		sweep_log = open(log_dir / "sweep.log", "w")
		sweep = subprocess.Popen(
			[
				sys.executable,
				os.path.abspath(__file__),
				"--sweeper",
				"--site",
				args.site,
				"--sites-path",
				args.sites_path,
				"--sweep-every",
				str(args.sweep_every),
				"--until",
				str(until),
				"--out",
				str(out),
			],
			cwd=args.sites_path,
			stdout=sweep_log,
			stderr=subprocess.STDOUT,
			start_new_session=True,
		)
		threads = [LoadUser(i, context["users"], context, args, until) for i in range(args.users)]
		print(
			f"Load: {args.users} users for {args.seconds:.0f} s against {args.base}, think time"
			f" {args.think:g} s, sweep every {args.sweep_every:g} s (pid {sweep.pid}, log {log_dir / 'sweep.log'})",
			flush=True,
		)
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join(max(1, until + TIMEOUT + 10 - timer.time()))
		elapsed = timer.time() - begin
		try:
			sweep.wait(max(5, until + 60 - timer.time()))
		except subprocess.TimeoutExpired:
			stop(sweep)
		if out.exists():
			sweep_result = json.loads(out.read_text())
		ended = datetime.now() + timedelta(seconds=context["offset"])
	finally:
		if server:
			stop(server)
		if monitor:
			server_deadlocks = monitor.finish()

	clients = [t.client for t in threads]
	stuck = [t.name for t in threads if t.is_alive()]
	if stuck:
		print(f"warning: threads still waiting on a request: {stuck}")
	rounds = sum(t.rounds for t in threads)
	print(f"\nDone: {rounds} rounds by {args.users} users in {elapsed:.1f} s")
	report(clients, elapsed, sweep_result, monitor, server_deadlocks)
	made = {"tag": context["tag"]}
	for doctype in ("Customer Complaint", "Repair Request", "Compensation"):
		made[doctype] = [name for c in clients for name in c.made.get(doctype, [])]
	check(args.site, args.sites_path, made, started, ended, args.sweep_every)
	print(f"\nLogs: {log_dir}")


if __name__ == "__main__":
	main()
