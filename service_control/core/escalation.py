"""Escalation planning for SLA clocks.

A level fires for a clock once its trigger (At Risk or Breached) has lasted ``delay_hours``;
a level marked ``immediate_for_critical`` fires as soon as the trigger is reached on a Critical
case. ``plan_escalations`` says which levels a clock logs now and when its next one fires; the
sweep logs each as a Service Escalation Log row keyed on (document, stage, level), so a level is
logged (and notified) exactly once per clock however often or concurrently the sweep runs.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import NamedTuple

from service_control.core.sla import ClockState

AT_RISK = ClockState.AT_RISK.value
BREACHED = ClockState.BREACHED.value
#: The clock states an escalation level can be triggered by.
TRIGGERS = (AT_RISK, BREACHED)

#: The clock states in which a trigger still holds (a breached clock has passed At Risk too).
TRIGGER_STATES = {AT_RISK: (AT_RISK, BREACHED), BREACHED: (BREACHED,)}


@dataclass(frozen=True)
class EscalationLevel:
	level: int
	trigger: str
	delay_hours: float = 0
	role: str | None = None
	notify_owner: bool = False
	immediate_for_critical: bool = False

	@cached_property
	def delay(self) -> timedelta:
		return timedelta(hours=self.delay_hours)

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


def fire_on(
	level: EscalationLevel, at_risk_on: datetime | None, due_on: datetime | None, critical: bool = False
) -> datetime | None:
	"""When ``level`` fires for a clock with these trigger instants: ``delay_hours`` after its
	trigger, at the trigger itself on a Critical case when the level is ``immediate_for_critical``.
	None while the trigger instant is unknown (an open pause holds the clock)."""
	trigger_on = at_risk_on if level.trigger == AT_RISK else due_on
	if trigger_on is None:
		return None
	if critical and level.immediate_for_critical:
		return trigger_on
	return trigger_on + level.delay


class EscalationPlan(NamedTuple):
	#: Levels to log now, lowest first.
	due: tuple[EscalationLevel, ...]
	#: The highest level logged once they are.
	level: int
	#: When the earliest of ``due`` fired (None when nothing is due).
	due_since: datetime | None
	#: When the next level fires, if none is due now.
	next_on: datetime | None


def plan_escalations(
	levels: Iterable[EscalationLevel],
	*,
	state: str,
	at_risk_on: datetime | None,
	due_on: datetime | None,
	escalated_level: int,
	now: datetime,
	critical: bool = False,
) -> EscalationPlan:
	"""The escalations of one clock whose state at ``now`` is ``state``; ``levels`` sorted by
	level.

	A level fires once its trigger still holds (``TRIGGER_STATES``) and ``fire_on`` has come; each
	is logged once per clock: ``escalated_level`` is the highest logged so far. A higher level
	that fires first (Critical, immediately) supersedes the lower ones not logged yet: they never
	fire, so they are not waited for either. One pass, no sorting: the review runs it for every
	clock of every open case after a calendar change.
	"""
	due, top, due_since, pending = [], escalated_level, None, []
	for level in levels:
		if level.level <= escalated_level:
			continue
		when = fire_on(level, at_risk_on, due_on, critical)
		if when is None:
			continue
		if when > now:
			pending.append((level.level, when))
		elif state in TRIGGER_STATES[level.trigger]:
			due.append(level)
			top = level.level
			if due_since is None or when < due_since:
				due_since = when
	next_on = min((when for number, when in pending if number > top), default=None)
	return EscalationPlan(tuple(due), top, due_since, next_on)


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
