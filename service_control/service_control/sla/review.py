"""Batch reviews of cases for the sweep and the recompute: load, call the core, write back.

A batch of cases is claimed with their rows locked, their clocks and pauses are read in three
statements, each case goes through ``core.sla_review.review_case`` (the function a save calls),
and what changed is written in one statement per table: clocks, escalation log rows, cases.

Isolation: run as a job, each batch is its own READ COMMITTED transaction. The cases are locked
first, in one statement, and a save locks its case before it touches the case's clocks (Frappe
loads the document ``for update``), so a batch and a save never wait on each other in opposite
orders; the batch's other writes go by primary key, which under READ COMMITTED takes no gap
lock a concurrent insert of another case could wait on. Inside a caller's transaction (a test, a
save) the batches run in that transaction instead and commit nothing.
"""

import hashlib
from datetime import datetime, timedelta
from typing import NamedTuple

import frappe
from frappe.utils import flt

from service_control.core.escalation import EscalationLevel
from service_control.core.sla import LIVE_STATES, ClockState, Pause
from service_control.core.sla_review import StageClock, review_case
from service_control.notifications import lost_deadlock, rowcount
from service_control.service_control.sla.clocks import (
	CLOCK_PARENTS,
	at_risk_share,
	case_columns,
	case_values,
	escalation_levels,
)
from service_control.utils import get_clock

#: Cases per batch: one transaction, a few statements.
BATCH_SIZE = 1_000
#: Tries of a batch that lost a deadlock.
BATCH_ATTEMPTS = 3

_LIVE = tuple(state.value for state in LIVE_STATES)
_MOVES = {ClockState.BREACHED.value: "breached", ClockState.AT_RISK.value: "at_risk"}


#: Between the clocks of a case read as text, and between their columns: the ASCII record and
#: unit separators, which no name holds.
_ROW_SEP, _SEP = "\x1e", "\x1f"


class _Clock(NamedTuple):
	"""A Service SLA Clock row as a batch reads it (``columns``, ``from_text``)."""

	name: str
	stage: str
	state: str
	start_on: datetime | None
	allowance_hours: float
	basis: str
	cap_on: datetime | None
	met_on: datetime | None
	due_on: datetime | None
	at_risk_on: datetime | None
	derived: int
	escalated_level: int

	@classmethod
	def columns(cls) -> str:
		"""The columns as text, a null as an empty string (no name or stage is empty)."""
		return ", ".join(f"ifnull(`{field}`, '')" for field in cls._fields)

	@classmethod
	def from_text(cls, text: str) -> "_Clock":
		name, stage, state, start, hours, basis, cap, met, due, at_risk, derived, level = text.split(_SEP)
		return cls(
			name,
			stage,
			state,
			_instant(start),
			float(hours),
			basis,
			_instant(cap),
			_instant(met),
			_instant(due),
			_instant(at_risk),
			int(derived),
			int(level),
		)


def _instant(text: str) -> datetime | None:
	return datetime.fromisoformat(text) if text else None


class ReviewJob:
	"""One run of batch reviews at ``now`` (see the module docstring for the transactions)."""

	def __init__(self, now: datetime):
		self.now = now
		self.inline = bool(frappe.db.transaction_writes)
		self.share = at_risk_share()
		self._levels: dict[str | None, list[EscalationLevel]] = {}
		self._allowances: dict[float, timedelta] = {}
		self._clocks: dict[tuple[str, str | None], object] = {}
		self._seen: set[tuple[str, str]] = set()

	def __enter__(self):
		if not self.inline:
			frappe.db.commit()
			frappe.db.sql("set session transaction isolation level read committed")
			frappe.db.commit()  # the next transaction starts under the new level
		return self

	def __exit__(self, exc_type, exc, tb):
		if self.inline:
			return False
		if exc_type:
			frappe.db.rollback()
		frappe.db.sql("set session transaction isolation level repeatable read")
		frappe.db.commit()
		return False

	def claim(self, query: str, params: dict, parenttype: str | None = None) -> list[str]:
		"""The names of the next batch, locked by ``query``; none once a batch holds only cases
		reviewed already in this run (a review always moves a case's next check past ``now``,
		this only guards the loop)."""
		names = [row[0] for row in frappe.db.sql(query, params)]
		if parenttype and all((parenttype, name) in self._seen for name in names):
			return []
		return names

	def next_batch(self, parenttype: str, query: str, params: dict) -> tuple[list[str], dict[str, int]]:
		"""Claim the next batch with ``query`` and review it: ``(names, stats)``, no names once
		there is none. A batch that loses a deadlock is rolled back whole by MariaDB; a review is
		idempotent, so the batch is claimed and reviewed again, up to ``BATCH_ATTEMPTS`` times."""
		for attempt in range(1, BATCH_ATTEMPTS + 1):
			names: list[str] = []
			try:
				names = self.claim(query, params, parenttype)
				return names, (self.review(parenttype, names) if names else {})
			except Exception as e:
				if self.inline or attempt == BATCH_ATTEMPTS or not lost_deadlock(e):
					raise
				frappe.db.rollback()
				self._seen.difference_update((parenttype, name) for name in names)
		raise AssertionError("unreachable")

	def review(self, parenttype: str, names: list[str]) -> dict[str, int]:
		"""Review the cases ``names`` (locked by ``claim``) and write what changed; commits the
		batch when run as a job."""
		stats = dict.fromkeys(("reviewed", "breached", "at_risk", "escalations"), 0)
		self._seen.update((parenttype, name) for name in names)
		meta = CLOCK_PARENTS[parenttype]
		severity = meta["severity_field"]
		cases = frappe.db.sql(
			f"""select name, company, {f"`{severity}` = 'Critical'" if severity else "0"},
				{", ".join(f"`{c}`" for c in case_columns(parenttype))}
			from `tab{parenttype}` where name in %(names)s""",
			{"names": names},
		)
		# a case's clocks travel as one text column: PyMySQL decodes rows and columns in pure
		# Python at a cost above the review itself, text splits and ``fromisoformat`` in C
		clocks: dict[str, list[_Clock]] = {
			parent: [_Clock.from_text(clock) for clock in packed.split(_ROW_SEP)]
			for parent, packed in frappe.db.sql(
				f"""select parent, group_concat(concat_ws(char(31), {_Clock.columns()})
					separator '{_ROW_SEP}')
				from `tabService SLA Clock`
				where parenttype = %(parenttype)s and parent in %(names)s
				group by parent""",
				{"parenttype": parenttype, "names": names},
			)
		}
		pauses: dict[str, list[Pause]] = {}
		for parent, paused_on, resumed_on in frappe.db.sql(
			"""select parent, paused_on, resumed_on from `tabService SLA Pause`
			where parenttype = %(parenttype)s and parent in %(names)s
			order by parent, paused_on""",
			{"parenttype": parenttype, "names": names},
		):
			pauses.setdefault(parent, []).append(Pause(paused_on, resumed_on))

		clock_rows, case_rows, log_rows = [], [], []
		for name, company, critical, *stored in cases:
			rows = clocks.get(name, [])
			live = [row for row in rows if row.state in _LIVE and row.met_on is None and row.start_on]
			review = review_case(
				[self._stage_clock(row, company) for row in live],
				now=self.now,
				pauses=pauses.get(name, ()),
				levels=self._levels_of(company),
				critical=bool(critical),
				at_risk_share=self.share,
				other_states=[row.state for row in rows if row not in live],
			)
			states = {row.stage: row.state for row in rows}
			for row, stage in zip(live, review.stages, strict=True):
				states[row.stage] = stage.state.value
				new = (
					stage.state.value,
					None if stage.derived else stage.due_on,
					None if stage.derived else stage.at_risk_on,
					int(stage.derived),
					stage.escalated_level,
				)
				if new != (row.state, row.due_on, row.at_risk_on, row.derived, row.escalated_level):
					clock_rows.append((row.name, *new))
					if new[0] != row.state and new[0] in _MOVES:
						stats[_MOVES[new[0]]] += 1
				log_rows += [(name, stage.stage, level) for level in stage.escalations]
			new_case = case_values(
				parenttype,
				review.state,
				states,
				review.due_by,
				review.due_stage,
				review.next_on,
				review.last_due,
			)
			if new_case != tuple(stored):
				case_rows.append((name, *new_case))
		self._write_clocks(clock_rows)
		stats["escalations"] = self._log(parenttype, log_rows)
		self._write_cases(parenttype, case_rows)
		stats["reviewed"] = len(cases)
		if not self.inline:
			frappe.db.commit()
		return stats

	def _stage_clock(self, row: "_Clock", company: str | None) -> StageClock:
		hours = flt(row.allowance_hours)
		allowance = self._allowances.get(hours)
		if allowance is None:
			allowance = self._allowances[hours] = timedelta(hours=hours)
		clock = self._clocks.get((row.basis, company))
		if clock is None:
			clock = self._clocks[row.basis, company] = get_clock(row.basis, company)
		return StageClock(
			stage=row.stage,
			start=row.start_on,
			allowance=allowance,
			clock=clock,
			cap=row.cap_on,
			escalated_level=row.escalated_level,
		)

	def _levels_of(self, company: str | None) -> list[EscalationLevel]:
		if company not in self._levels:
			self._levels[company] = escalation_levels(company)
		return self._levels[company]

	def _write_clocks(self, rows: list[tuple]) -> None:
		if rows:
			_upsert(
				"Service SLA Clock",
				("name", "state", "due_on", "at_risk_on", "derived", "escalated_level"),
				rows,
			)

	def _write_cases(self, parenttype: str, rows: list[tuple]) -> None:
		if rows:
			_upsert(parenttype, ("name", *case_columns(parenttype)), rows)

	def _log(self, parenttype: str, rows: list[tuple[str, str, EscalationLevel]]) -> int:
		"""Insert one Service Escalation Log row per (case, stage, level), named by them, so a
		level already logged is skipped (``insert ignore``). Returns the rows inserted."""
		if not rows:
			return 0
		values = [
			(
				log_name(parenttype, name, stage, level.level),
				self.now,
				self.now,
				"Administrator",
				"Administrator",
				parenttype,
				name,
				stage,
				level.level,
				level.trigger,
				"Pending",
			)
			for name, stage, level in rows
		]
		frappe.db.sql(
			"""insert ignore into `tabService Escalation Log`
				(name, creation, modified, owner, modified_by, reference_doctype, reference_name,
				stage, level, `trigger`, status)
			values {}""".format(", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(values))),
			[value for row in values for value in row],
		)
		return rowcount()


def log_name(parenttype: str, name: str, stage: str, level: int) -> str:
	"""The name of a case's escalation log row for one stage and level: the same for every run."""
	return hashlib.md5(f"{parenttype}|{name}|{stage}|{level}".encode()).hexdigest()


def _upsert(doctype: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
	"""Set ``columns[1:]`` of existing rows by primary key, many rows in one statement: an
	``INSERT ... ON DUPLICATE KEY UPDATE`` of names that exist (the rows are locked by the batch),
	the cheapest multi-row update MariaDB parses."""
	placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
	frappe.db.sql(
		f"""insert into `tab{doctype}` ({", ".join(f"`{c}`" for c in columns)})
		values {", ".join([placeholders] * len(rows))}
		on duplicate key update {", ".join(f"`{c}` = values(`{c}`)" for c in columns[1:])}""",
		[value for row in rows for value in row],
	)
