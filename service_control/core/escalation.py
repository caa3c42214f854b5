"""Escalation planning for SLA clocks.

A level fires for a clock once its trigger (At Risk or Breached) has lasted ``delay_hours``;
a level marked ``immediate_for_critical`` fires as soon as the trigger is reached on a Critical
case. The scheduler turns each ``SweepRule`` into one set-based INSERT IGNORE keyed on
(document, stage, level), so a level is logged — and notified — exactly once per clock however
often or however concurrently the sweep runs. ``due_escalations`` applies the same rules in
Python for tests and for a single document.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from service_control.core.sla import ClockState

AT_RISK = ClockState.AT_RISK.value
BREACHED = ClockState.BREACHED.value
#: The clock states an escalation level can be triggered by.
TRIGGERS = (AT_RISK, BREACHED)

#: The clock states in which a trigger still holds (a breached clock has passed At Risk too).
TRIGGER_STATES = {AT_RISK: (AT_RISK, BREACHED), BREACHED: (BREACHED,)}
#: The clock column that records when the trigger was reached.
TRIGGER_COLUMNS = {AT_RISK: "at_risk_on", BREACHED: "due_on"}


@dataclass(frozen=True)
class EscalationLevel:
	level: int
	trigger: str
	delay_hours: float = 0
	role: str | None = None
	notify_owner: bool = False
	immediate_for_critical: bool = False

	@classmethod
	def from_row(cls, row) -> "EscalationLevel":
		get = row.get if isinstance(row, Mapping) else lambda k, d=None: getattr(row, k, d)
		return cls(
			level=int(get("level") or 0),
			trigger=get("trigger"),
			delay_hours=float(get("delay_hours") or 0),
			role=get("role") or None,
			notify_owner=bool(get("notify_owner")),
			immediate_for_critical=bool(get("immediate_for_critical")),
		)


@dataclass(frozen=True)
class SweepRule:
	"""One set-based selection: clocks in ``states`` whose ``column`` <= ``cutoff``."""

	level: EscalationLevel
	states: tuple[str, ...]
	column: str
	cutoff: datetime
	critical_only: bool


def sweep_rules(levels: Iterable[EscalationLevel], now: datetime) -> list[SweepRule]:
	rules = []
	for level in sorted(levels, key=lambda lv: lv.level):
		states, column = TRIGGER_STATES[level.trigger], TRIGGER_COLUMNS[level.trigger]
		rules.append(SweepRule(level, states, column, now - timedelta(hours=level.delay_hours), False))
		if level.immediate_for_critical and level.delay_hours:
			rules.append(SweepRule(level, states, column, now, True))
	return rules


@dataclass(frozen=True)
class ClockSnapshot:
	key: tuple[str, str, str]  # (reference doctype, reference name, stage)
	state: str
	at_risk_on: datetime | None
	due_on: datetime | None
	critical: bool = False


def rule_matches(rule: SweepRule, clock: ClockSnapshot) -> bool:
	when = getattr(clock, rule.column)
	return (
		clock.state in rule.states
		and when is not None
		and when <= rule.cutoff
		and (clock.critical or not rule.critical_only)
	)


def due_escalations(
	clocks: Iterable[ClockSnapshot],
	levels: Iterable[EscalationLevel],
	now: datetime,
	logged: Iterable[tuple[tuple[str, str, str], int]] = (),
) -> list[tuple[tuple[str, str, str], int]]:
	"""(clock key, level) pairs to notify now, never one already in ``logged``."""
	done = set(logged)
	rules = sweep_rules(levels, now)
	out = []
	for clock in clocks:
		for rule in rules:
			pair = (clock.key, rule.level.level)
			if pair not in done and rule_matches(rule, clock):
				done.add(pair)
				out.append(pair)
	return out


#: Worst first: the state a document shows in its list view is the worst of its clocks.
STATE_SEVERITY = tuple(
	s.value
	for s in (
		ClockState.BREACHED,
		ClockState.AT_RISK,
		ClockState.ON_TRACK,
		ClockState.PAUSED,
		ClockState.STOPPED,
		ClockState.MET_LATE,
		ClockState.MET,
	)
)


def overall_state(states: Iterable[str | None]) -> str | None:
	"""The document-level SLA state: Breached beats At Risk beats running, paused and met ones."""
	present = {s for s in states if s}
	return next((s for s in STATE_SEVERITY if s in present), None)
