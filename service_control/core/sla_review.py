"""The SLA review of one case: its stage clocks at an instant, its next deadline, the escalations
due and when the case must be looked at again.

The same review runs when a case is saved, when the sweep takes a case whose next check has come,
and when a calendar change moves deadlines. A case stores its result (``due_by`` and
``due_stage``, the deadline an agent works to, and ``sla_next_on``, when the sweep must look
again), so the sweep reads one index of cases: with nothing new it reads no row at all, however
many cases are open, and a calendar change rewrites one row per case.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from service_control.core.escalation import EscalationLevel, overall_state, plan_escalations
from service_control.core.sla import (
	STAGES,
	ClockState,
	Pause,
	_check_allowance,
	_check_share,
	_running_state,
	compute_clock,
	is_derived,
)
from service_control.core.working_time import Clock


@dataclass(frozen=True, slots=True)
class StageClock:
	"""A stage clock as a case holds it: its start, allowance and calendar, when it was met, the
	customer's cap and the highest escalation level logged for it."""

	stage: str
	start: datetime
	allowance: timedelta
	clock: Clock
	met_on: datetime | None = None
	cap: datetime | None = None
	escalated_level: int = 0


class StageReview(NamedTuple):
	stage: str
	state: ClockState
	due_on: datetime | None
	at_risk_on: datetime | None
	met_on: datetime | None
	#: Deadlines follow from the start alone (``core.sla.is_derived``): the row need not store them.
	derived: bool
	#: Levels to log now, and the highest level logged once they are.
	escalations: tuple[EscalationLevel, ...]
	escalated_level: int


@dataclass(frozen=True, slots=True)
class CaseReview:
	stages: tuple[StageReview, ...]
	#: The worst state of the case's clocks (``core.escalation.overall_state``).
	state: str | None
	#: The next deadline of the running clocks and its stage: the earliest due instant among the
	#: clocks not met (a breached one is overdue and stays the case's deadline). None while every
	#: running clock is held by a pause.
	due_by: datetime | None
	due_stage: str | None
	#: The latest due instant of the clocks not met: a calendar change from a day after it moves
	#: nothing of the case (the recompute skips it).
	last_due: datetime | None
	#: When the sweep must look at the case again, once the escalations due now are logged: the
	#: earliest instant a clock turns At Risk or Breached or an escalation level fires.
	next_on: datetime | None

	#: When the sweep must look if nobody logs the escalations due now (a save does not log them):
	#: when the first of them fired, else ``next_on``.
	check_on: datetime | None


def review_case(
	clocks: Sequence[StageClock],
	*,
	now: datetime,
	pauses: Sequence[Pause] = (),
	levels: Iterable[EscalationLevel] = (),
	critical: bool = False,
	at_risk_share: float = 0.75,
	other_states: Iterable[str | None] = (),
) -> CaseReview:
	"""Review ``clocks`` (the stages of one case) at ``now``.

	``levels`` are the escalation levels of the case's company, ``critical`` whether the case is
	Critical (levels ``immediate_for_critical`` fire at their trigger). ``other_states`` are the
	states of the case's clocks not passed in (a sweep leaves met clocks as they are): they count
	in the case's state, not in its deadline.

	The answers are ``core.sla.compute_clock``'s. A case that never paused computes its clocks
	without a cap or a met instant in one ``clock.add_each`` per calendar, which finds the start's
	position once for all their due and at-risk instants (a calendar change reviews every open
	case).
	"""
	_check_share(at_risk_share)
	levels = sorted(levels, key=_level_number)
	results = _results(clocks, now, pauses, at_risk_share)
	stages, next_on, due_since = [], [], []
	for stage_clock, (state, due_on, at_risk_on) in zip(clocks, results, strict=True):
		met_on = stage_clock.met_on if state in (ClockState.MET, ClockState.MET_LATE) else None
		escalations, escalated_level = (), stage_clock.escalated_level
		if met_on is None:
			plan = plan_escalations(
				levels,
				state=state,
				at_risk_on=at_risk_on,
				due_on=due_on,
				escalated_level=stage_clock.escalated_level,
				now=now,
				critical=critical,
			)
			escalations, escalated_level = plan.due, plan.level
			if plan.due_since:
				due_since.append(plan.due_since)
			# the clock turns At Risk, then Breached, at the first of its instants still ahead
			next_on += [when for when in (at_risk_on, due_on, plan.next_on) if when and when > now]
		stages.append(
			StageReview(
				stage=stage_clock.stage,
				state=state,
				due_on=due_on,
				at_risk_on=at_risk_on,
				met_on=met_on,
				derived=is_derived(state, pauses, stage_clock.cap),
				escalations=escalations,
				escalated_level=escalated_level,
			)
		)
	due_by, due_stage = next_deadline(stages)
	first_next = min(next_on, default=None)
	return CaseReview(
		stages=tuple(stages),
		state=overall_state([*(s.state.value for s in stages), *other_states]),
		due_by=due_by,
		due_stage=due_stage,
		last_due=max(_running_dues(stages), default=None),
		next_on=first_next,
		check_on=min(due_since) if due_since else first_next,
	)


def _level_number(level: EscalationLevel) -> int:
	return level.level


def next_deadline(stages: Iterable[StageReview]) -> tuple[datetime | None, str | None]:
	"""The earliest due instant of the clocks not met, and its stage (the earlier stage on a tie)."""
	running = [(stage.due_on, _stage_order(stage.stage), stage.stage) for stage in stages if _running(stage)]
	if not running:
		return None, None
	due_on, _order, stage = min(running)
	return due_on, stage


def _running(stage: StageReview) -> bool:
	return stage.met_on is None and stage.due_on is not None and stage.state != ClockState.STOPPED


def _running_dues(stages: Iterable[StageReview]) -> Iterator[datetime]:
	return (stage.due_on for stage in stages if _running(stage))


def _stage_order(stage: str) -> int:
	return STAGES.index(stage) if stage in STAGES else len(STAGES)


def _results(
	clocks: Sequence[StageClock], now: datetime, pauses: Sequence[Pause], share: float
) -> list[tuple[ClockState, datetime | None, datetime | None]]:
	"""``(state, due_on, at_risk_on)`` of each clock: clocks with no pause, cap or met instant on
	one ``add_each`` per calendar and start, the others through ``compute_clock``."""
	out: list = [None] * len(clocks)
	plain: dict[tuple[int, datetime], list[int]] = {}
	for i, stage_clock in enumerate(clocks):
		if pauses or stage_clock.cap is not None or stage_clock.met_on is not None:
			result = compute_clock(
				start=stage_clock.start,
				allowance=stage_clock.allowance,
				clock=stage_clock.clock,
				now=now,
				pauses=pauses,
				met_on=stage_clock.met_on,
				at_risk_share=share,
				cap=stage_clock.cap,
			)
			out[i] = (result.state, result.due_on, result.at_risk_on)
		else:
			_check_allowance(stage_clock.allowance)
			plain.setdefault((id(stage_clock.clock), stage_clock.start), []).append(i)
	for indexes in plain.values():
		first = clocks[indexes[0]]
		durations = []
		for i in indexes:
			durations += (clocks[i].allowance, clocks[i].allowance * share)
		instants = first.clock.add_each(first.start, durations)
		for i, due_on, at_risk_on in zip(indexes, instants[::2], instants[1::2], strict=True):
			out[i] = (_running_state(now, due_on, at_risk_on, ()), due_on, at_risk_on)
	return out
