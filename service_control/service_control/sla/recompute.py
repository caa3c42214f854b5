"""The recompute after a calendar change: moves the deadlines of running working-hour clocks.

Queued on the long queue when a Holiday List's dates or a company's working week change
(``overrides.holiday_list``, Service Control Settings). Reads the open clocks in keyset
batches, recomputes them with the core's bulk path (``core.sla.recompute_running``) and writes
back only what changed, with the list-view state of their parents; derived clocks only get
their states set anew.
"""

import queue
import threading
from datetime import date, datetime, timedelta

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from service_control.core.escalation import STATE_SEVERITY
from service_control.core.sla import (
	DERIVED_STATES,
	LIVE_STATES,
	ClockState,
	Pause,
	derived_state,
	next_check_on,
	recompute_running,
)
from service_control.service_control.sla.clocks import at_risk_share
from service_control.service_control.sla.derived import DerivedClocks, _group_params, _same_group
from service_control.utils import get_clock


def companies_using(holiday_list: str | None) -> list[str]:
	if not holiday_list:
		return frappe.get_all("Company", pluck="name")
	from service_control.utils import get_holiday_list

	return [c for c in frappe.get_all("Company", pluck="name") if get_holiday_list(c) == holiday_list]


def recompute_open_clocks(
	holiday_list: str | None = None,
	since: date | str | None = None,
	until: date | str | None = None,
	batch_size: int = 2_500,
	now: datetime | None = None,
	companies: list[str] | None = None,
) -> int:
	"""Move the deadlines of running working-hour clocks after a calendar change.

	``holiday_list`` limits the job to the companies whose calendar uses that list,
	``companies`` to those named (a working-hours change passes the companies whose own working
	week changed, ``core.settings.companies_with_changed_hours``); neither: every company.

	``since`` / ``until`` bound the changed days (a Holiday List edit passes the first and the
	day after the last date it added or removed): a clock due before ``since`` or started on or
	after ``until`` cannot move, so it is not read. Reads the clocks of ``batch_size`` documents
	at a time (keyset on the parent, no OFFSET), computes them with the core's bulk path and
	writes back, in one statement per batch, only the clocks whose deadline or state changed,
	together with the list-view state of their parents; reports progress to the desk.
	Calendar-hour clocks do not move. Derived clocks (``core.sla.is_derived``) store no deadline,
	so only their states are set anew (``_reset_derived_states``). Returns the number of clocks
	written.

	Tuned for hundreds of thousands of clocks: a document's clocks travel as one text column
	(PyMySQL decodes rows and columns in pure Python, at a cost above the deadline arithmetic)
	and share one position lookup of their common start, pauses are fetched only for the
	documents that have any, and the writes overlap the reading when they can (``_BatchWriter``).
	"""
	now = now or now_datetime()
	share = at_risk_share()
	using = companies_using(holiday_list)
	companies = [c for c in using if c in companies] if companies is not None else using
	if not companies:
		return 0
	calendars = {company: get_clock("Working Hours", company) for company in companies}
	reset = _reset_derived_states(companies, now)
	conditions = [
		"k.derived = 0",
		"k.met_on is null",
		"k.start_on is not null",
		"k.basis = 'Working Hours'",
		"k.company in %(companies)s",
		"k.state in %(live)s",
	]
	if since:
		conditions.append("(k.due_on is null or k.due_on >= %(since)s)")
	if until:
		conditions.append("k.start_on < %(until)s")
	where = " and ".join(conditions)
	params = {
		"companies": companies,
		"live": [s.value for s in LIVE_STATES],
		"since": getdate(since) if since else None,
		"until": getdate(until) if until else None,
		"limit": batch_size,
		"last": "",
	}
	total = frappe.db.sql(f"select count(*) from `tabService SLA Clock` k where {where}", params)[0][0]
	if not total:
		# only derived states to reset, done already: the desk still hears that the job ended
		frappe.publish_progress(100, title=_("Recomputing SLA deadlines"), description=f"{reset}/{reset}")
		return reset
	# a document's clocks come as one group_concat: never cut short (1 MB is MariaDB's default)
	frappe.db.sql("set session group_concat_max_len = greatest(@@session.group_concat_max_len, 1048576)")
	allowances: dict[str, timedelta] = {}
	read = written = 0
	with _BatchWriter() as writer:
		while True:
			# one row per parent name, its clocks packed in one text column (see the docstring);
			# grouped by the name alone, the index on it gives the order with no sort
			rows = [
				(parent, paused, [clock.split(_SEP) for clock in packed.split(_ROW_SEP)])
				for parent, paused, packed in frappe.db.sql(
					f"""select k.parent,
						exists(select 1 from `tabService SLA Pause` p where p.parent = k.parent),
						group_concat(concat_ws(char(31), k.name, k.parenttype, k.company, k.start_on,
							k.allowance_hours, ifnull(k.cap_on, ''), ifnull(k.due_on, ''),
							ifnull(k.at_risk_on, ''), ifnull(k.next_on, ''), k.state)
							separator '{_ROW_SEP}')
					from `tabService SLA Clock` k
					where {where} and k.parent > %(last)s
					group by k.parent
					order by k.parent limit %(limit)s""",
					params,
				)
			]
			if not rows:
				break
			params["last"] = rows[-1][0]
			pauses = _pauses_by_parent(
				{(clock[1], parent) for parent, paused, clocks in rows if paused for clock in clocks}
			)
			changed, moved = [], set()
			for company, cases in _cases_by_company(rows, pauses, allowances).items():
				for (parent, clock), due_on, at_risk_on, state in recompute_running(
					cases, clock=calendars[company], now=now, at_risk_share=share
				):
					due = _as_text(due_on)
					at_risk = due if at_risk_on == due_on else _as_text(at_risk_on)
					# the text of whichever of the two the sweep looks at next
					next_on = next_check_on(state, at_risk, due) or ""
					new = (due, at_risk, next_on, state.value)
					if new != (clock[6], clock[7], clock[8], clock[9]):
						changed.append((clock[0], *new))
						if new[3] != clock[9]:  # the parent's list-view state follows clock states only
							moved.add((clock[1], parent))
					read += 1
			if changed:
				writer.submit([*_clock_batch_statements(changed), *_reset_parent_states(moved)])
			written += len(changed)
			frappe.publish_progress(
				read * 100 / total, title=_("Recomputing SLA deadlines"), description=f"{read}/{total}"
			)
	return reset + written


def _reset_derived_states(companies: list[str], now: datetime) -> int:
	"""Give each derived working-hour clock of ``companies`` the state its start gives at ``now``
	on the changed calendar (the sweep only ever raises states; a calendar change can lower them
	too). Per group, the clocks whose state moves are three ranges of the index: On Track ones
	started by the at-risk threshold, At Risk ones after it or by the breach threshold, Breached
	ones after that; only they are read and written, with their parents' list-view state. A clock
	met or paused since it was read is no longer derived and keeps what its save wrote. Returns
	the clocks written."""
	derived = DerivedClocks("Working Hours", companies)
	ranges, params = [], {}
	for i, group in enumerate(derived.groups):
		breached, at_risk = derived.thresholds(group, now)
		key = f"g{i}"
		params.update(_group_params(key, group), **{f"{key}b_s": breached, f"{key}r_s": at_risk})
		by_risk, after_risk = (
			(f"k.start_on <= %({key}r_s)s", f"k.start_on > %({key}r_s)s") if at_risk else ("false", "true")
		)
		by_breach, after_breach = (
			(f"k.start_on <= %({key}b_s)s", f"k.start_on > %({key}b_s)s") if breached else ("false", "true")
		)
		ranges.append(
			f"""({_same_group(key)} and (
				(k.state = '{ClockState.ON_TRACK.value}' and {by_risk})
				or (k.state = '{ClockState.AT_RISK.value}' and ({after_risk} or {by_breach}))
				or (k.state = '{ClockState.BREACHED.value}' and {after_breach})))"""
		)
	if not ranges:
		return 0
	by_state: dict[str, list[str]] = {}
	parents = set()
	for name, parenttype, parent, state, basis, company, hours, start in frappe.db.sql(
		f"""select k.name, k.parenttype, k.parent, k.state, k.basis, k.company, k.allowance_hours,
			k.start_on
		from `tabService SLA Clock` k
		where k.derived = 1 and ({" or ".join(ranges)})""",
		params,
	):
		new_state = derived_state(start, derived.thresholds((basis, company, hours), now)).value
		if new_state != state:
			by_state.setdefault(new_state, []).append(name)
			parents.add((parenttype, parent))
	live = [s.value for s in DERIVED_STATES]
	for new_state, names in by_state.items():
		for chunk in range(0, len(names), 10_000):
			frappe.db.sql(
				"""update `tabService SLA Clock` set state = %(new_state)s
				where name in %(names)s and derived = 1 and state in %(live)s""",
				{"new_state": new_state, "names": names[chunk : chunk + 10_000], "live": live},
			)
	for query, values in _reset_parent_states(parents):
		frappe.db.sql(query, values)
	return sum(len(names) for names in by_state.values())


def _cases_by_company(rows, pauses, allowances) -> dict[str, list[tuple]]:
	"""The core's ``(start, pauses, clocks)`` cases per company (one calendar each): the clocks of
	one document that start together. A clock's key is ``(parent, its text fields)``."""
	out: dict[str, list[tuple]] = {}
	for parent, _paused, clocks in rows:
		cases: dict[tuple[str, str, str], list] = {}
		for clock in clocks:
			hours = clock[4]
			allowance = allowances.get(hours)
			if allowance is None:
				allowance = allowances[hours] = timedelta(hours=float(hours))
			parenttype, company, start = clock[1], clock[2], clock[3]
			case = cases.get((parenttype, company, start))
			if case is None:
				case = cases[parenttype, company, start] = []
				out.setdefault(company, []).append(
					(datetime.fromisoformat(start), pauses.get((parenttype, parent), ()), case)
				)
			case.append(((parent, clock), allowance, datetime.fromisoformat(clock[5]) if clock[5] else None))
	return out


#: Between the clocks of a case read as text, and between their columns: the ASCII record and
#: unit separators, which no name holds.
_ROW_SEP, _SEP = "\x1e", "\x1f"


def _as_text(value: datetime | None) -> str:
	"""A Datetime(6) column as MariaDB spells it in text ('' for null, as the read gives it)."""
	return value.isoformat(" ", "microseconds") if value else ""


def _pauses_by_parent(parents: set[tuple[str, str]]) -> dict[tuple[str, str], list[Pause]]:
	out: dict[tuple[str, str], list[Pause]] = {}
	by_type: dict[str, list[str]] = {}
	for parenttype, parent in parents:
		by_type.setdefault(parenttype, []).append(parent)
	for parenttype, names in by_type.items():
		for p in frappe.get_all(
			"Service SLA Pause",
			filters={"parenttype": parenttype, "parent": ("in", names)},
			fields=["parent", "paused_on", "resumed_on"],
			order_by="paused_on",
		):
			out.setdefault((parenttype, p.parent), []).append(Pause(p.paused_on, p.resumed_on))
	return out


def _clock_batch_statements(changed: list[tuple[str, str, str, str, str]]) -> list[tuple]:
	"""The statements that write a batch of new deadlines, in one statement matched by primary key.

	An ``INSERT ... ON DUPLICATE KEY UPDATE`` of existing names is the cheapest multi-row update
	MariaDB parses (``CASE name WHEN ...`` is quadratic, a joined derived table slower to parse).
	The values are written as literals: the names are escaped, the rest are the job's own
	datetimes and states. A clock met or stopped since it was read (someone saved the case
	meanwhile) keeps what that save wrote; the state is assigned last, so the guards read the
	state as it was. A clock deleted since it was read would come back as a bare row; the second
	statement removes any such row in the same transaction.
	"""
	escape = frappe.db.escape
	values = ", ".join(
		f"({escape(name, percent=False)}, {_literal(due)}, {_literal(at_risk)}, {_literal(next_on)}, '{state}')"
		for name, due, at_risk, next_on, state in changed
	)
	live = ", ".join(f"'{s.value}'" for s in LIVE_STATES)
	running = f"met_on is null and state in ({live})"
	return [
		(
			f"""insert into `tabService SLA Clock` (name, due_on, at_risk_on, next_on, state)
			values {values}
			on duplicate key update
				due_on = if({running}, values(due_on), due_on),
				at_risk_on = if({running}, values(at_risk_on), at_risk_on),
				next_on = if({running}, values(next_on), next_on),
				state = if({running}, values(state), state)""",
			None,
		),
		("delete from `tabService SLA Clock` where parent is null", None),
	]


def _literal(value: str) -> str:
	return f"'{value}'" if value else "null"


#: Tries of one batch that lost a deadlock to a concurrent save of the same case.
_WRITE_ATTEMPTS = 3


class _BatchWriter:
	"""Runs the recompute's write statements, overlapping them with the reading when it can.

	A background job's connection has nothing uncommitted, so a second connection in a thread
	writes and commits batch n while this one reads and computes batch n + 1: MariaDB and Python
	each keep a core busy. Each batch is committed whole (its clocks with their parents' state),
	so a failure leaves earlier batches done and the rest as they were; a rerun finishes the job.
	Inside a transaction that has written already (a test, a caller's save), a second connection
	would not see those rows and would wait on their locks, so the statements run through
	``frappe.db`` in that transaction instead.
	"""

	def __init__(self):
		self._inline = bool(frappe.db.transaction_writes)
		self._error: BaseException | None = None
		if not self._inline:
			# frappe.db is local to this thread: the writer gets what it needs now
			self._is_deadlocked = frappe.db.is_deadlocked
			self._connection = frappe.db.get_connection()
			self._queue: queue.Queue = queue.Queue(maxsize=2)
			self._thread = threading.Thread(target=self._run, name="sla-recompute-writer", daemon=True)

	def __enter__(self):
		if not self._inline:
			self._thread.start()
		return self

	def submit(self, statements: list[tuple[str, object]]) -> None:
		if self._inline:
			for query, values in statements:
				frappe.db.sql(query, *([] if values is None else [values]))
			return
		if self._error:
			raise self._error
		self._queue.put(statements)

	def _run(self) -> None:
		cursor = self._connection.cursor()
		# writes by primary key only: record locks are enough, gap locks would only block saves
		cursor.execute("set session transaction isolation level read committed")
		while (statements := self._queue.get()) is not None:
			if self._error:
				continue  # drain what the reader still queues; __exit__ raises
			for attempt in range(1, _WRITE_ATTEMPTS + 1):
				try:
					for query, values in statements:
						cursor.execute(query, values)
					self._connection.commit()
					break
				except BaseException as e:
					self._connection.rollback()
					# a save of the same case can lock the parent first: retry a deadlock victim
					if attempt == _WRITE_ATTEMPTS or not (e.args and self._is_deadlocked(e)):
						self._error = e
						break

	def __exit__(self, exc_type, exc, tb):
		if self._inline:
			return False
		self._queue.put(None)
		self._thread.join()
		self._connection.close()
		if self._error and not exc:
			raise self._error
		return False


def _reset_parent_states(parents: set[tuple[str, str]]) -> list[tuple[str, list]]:
	"""Statements that set each parent's list-view state to the worst of its clocks, one per
	doctype.

	Unlike the sweep, which only ever raises the state, a recompute can lower it (a new holiday
	turns a Breached clock back On Track).
	"""
	by_type: dict[str, list[str]] = {}
	for parenttype, parent in parents:
		by_type.setdefault(parenttype, []).append(parent)
	states = ", ".join(["%s"] * len(STATE_SEVERITY))
	return [
		(
			f"""update `tab{parenttype}` p join (
				select parent, elt(min(nullif(field(state, {states}), 0)), {states}) as worst
				from `tabService SLA Clock`
				where parenttype = %s and parent in %s
				group by parent
			) w on w.parent = p.name
			set p.sla_state = w.worst""",
			[*STATE_SEVERITY, *STATE_SEVERITY, parenttype, tuple(names)],
		)
		for parenttype, names in by_type.items()
	]
