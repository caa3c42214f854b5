"""SLA stage clocks for complaints and repairs.

A stage clock grants an ``allowance`` of clock time (working time on a ``WorkingCalendar`` or
plain elapsed time on a ``CalendarClock``) from ``start``. Pauses stop the clock; on resume it
continues with the time that was left. ``compute_clock`` turns that into the due instant, the
at-risk instant and the state at ``now``, with a handful of ``clock.add`` / ``clock.between``
calls per pause and no loops over time.
"""

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from service_control.core.errors import DomainError, _
from service_control.core.working_time import Clock

if sys.version_info >= (3, 11):
	from enum import StrEnum
else:  # pragma: no cover - Frappe v15 still allows Python 3.10
	from enum import Enum

	class StrEnum(str, Enum):
		def __str__(self) -> str:
			return str(self.value)


_ZERO = timedelta(0)


class SlaError(DomainError):
	"""Invalid input to an SLA clock computation."""


#: Clock stages of a case (complaint, repair request), in the order they fall due.
STAGES = ("First Reply", "Arrangement", "Resolution", "Closure")


class ClockState(StrEnum):
	ON_TRACK = "On Track"
	AT_RISK = "At Risk"
	BREACHED = "Breached"
	MET = "Met"
	MET_LATE = "Met Late"
	PAUSED = "Paused"
	#: The case was cancelled before the stage was met: the clock no longer runs or escalates.
	STOPPED = "Stopped"


#: States in which a clock still counts down (and a calendar change can move its deadline).
LIVE_STATES = (ClockState.ON_TRACK, ClockState.AT_RISK, ClockState.BREACHED, ClockState.PAUSED)


#: The states of a clock whose deadlines can be derived (see ``is_derived``).
DERIVED_STATES = (ClockState.ON_TRACK, ClockState.AT_RISK, ClockState.BREACHED)


def is_derived(state: str | None, pauses: Sequence["Pause"], cap: datetime | None) -> bool:
	"""Whether a clock's deadlines follow from its start alone: a running clock (On Track, At Risk
	or Breached) of a case that never paused, with no customer deadline. Such a clock stores no
	due or at-risk instant (forms derive them when they load), so a calendar change rewrites only
	its case's row (``core.sla_review``)."""
	return state in DERIVED_STATES and not pauses and cap is None


def derived_deadlines(
	clock: Clock, start: datetime, allowance: timedelta, at_risk_share: float = 0.75
) -> tuple[datetime, datetime]:
	"""``(due_on, at_risk_on)`` of a derived clock: what ``compute_clock`` gives a clock with no
	pause and no cap, in one ``add_each``. Forms show these; they are never stored."""
	_check_allowance(allowance)
	_check_share(at_risk_share)
	due_on, at_risk_on = clock.add_each(start, (allowance, allowance * at_risk_share))
	return due_on, at_risk_on


def stopped_state(state: str | None) -> ClockState:
	"""The state of a clock whose case is cancelled: a met stage keeps its result."""
	if state in (ClockState.MET, ClockState.MET_LATE):
		return ClockState(state)
	return ClockState.STOPPED


def ended_state(state: str | None) -> ClockState:
	"""The state of a clock of a record that ended before it came into the app (imported
	history): a met or breached stage keeps its result, one never met that had not breached stops."""
	if state == ClockState.BREACHED:
		return ClockState.BREACHED
	return stopped_state(state)


@dataclass(frozen=True, slots=True)
class Pause:
	"""The clock stands still from ``start`` to ``end``; ``end`` None means still paused."""

	start: datetime
	end: datetime | None = None


@dataclass(frozen=True, slots=True)
class ClockResult:
	#: When the allowance runs out (or the customer's cap, if earlier). None while an open pause
	#: holds the clock before the allowance ran out and no cap is set.
	due_on: datetime | None
	#: When ``at_risk_share`` of the allowance is used (see ``compute_clock``). None when met, and
	#: while an open pause holds the clock before that point (unless a cap gives one).
	at_risk_on: datetime | None
	met_on: datetime | None
	state: ClockState
	#: Clock time left at ``now`` (at ``met_on`` when met), pauses excluded; 0 once breached.
	remaining: timedelta
	#: Clock time used up to ``now`` (up to ``met_on`` when met), pauses excluded. It keeps
	#: growing after a breach, so ``elapsed - allowance`` is the overrun.
	elapsed: timedelta


def compute_clock(
	*,
	start: datetime,
	allowance: timedelta,
	clock: Clock,
	now: datetime,
	pauses: Sequence[Pause] = (),
	met_on: datetime | None = None,
	at_risk_share: float = 0.75,
	cap: datetime | None = None,
) -> ClockResult:
	"""Compute a stage clock at ``now``.

	Pauses must be sorted and must not overlap (touching is fine); only the last may be open.
	Parts of a pause before ``start`` are ignored, and so are pauses that begin at or after
	``met_on``. An open pause holds the clock for good: if the allowance had not run out when it
	began, there is no policy due date (``due_on`` None) and the clock reads Paused once ``now``
	reaches the pause.

	``cap`` is the customer's own deadline, an absolute calendar instant. It wins when it is
	earlier than the policy due date, and because it is absolute it stays in force during pauses:
	while paused with a cap, ``due_on`` is the cap and the state is computed normally against it
	(Paused until the cap passes, then Breached). When the cap wins, ``at_risk_on`` is the earlier
	of the policy at-risk instant and the instant ``at_risk_share`` of the clock time from
	``start`` to the cap is used, and ``remaining`` is at most the clock time left to the cap.

	``at_risk_on`` is reported while paused when the at-risk point was passed before the pause
	began (it is then a fixed past instant and the state is At Risk, which outranks Paused).
	"""
	_validate(allowance, at_risk_share, pauses)
	segments = _running_segments(start, pauses, met_on)
	runs = [clock.between(begin, end) for begin, end in segments if end is not None]

	policy_due = _deadline(clock, segments, runs, allowance)
	capped = cap is not None and (policy_due is None or cap < policy_due)
	due_on = cap if capped else policy_due

	horizon = now if met_on is None else met_on
	elapsed = _used(clock, segments, horizon)
	remaining = max(allowance - elapsed, _ZERO)
	if capped:
		remaining = min(remaining, clock.between(horizon, cap))

	if met_on is not None:
		at_risk_on = None
		late = due_on is not None and met_on > due_on
		state = ClockState.MET_LATE if late else ClockState.MET
	else:
		at_risk_on = _deadline(clock, segments, runs, allowance * at_risk_share)
		if capped:
			cap_risk = clock.add(start, clock.between(start, cap) * at_risk_share)
			at_risk_on = cap_risk if at_risk_on is None else min(at_risk_on, cap_risk)
		if at_risk_on is not None and due_on is not None and at_risk_on > due_on:
			at_risk_on = due_on

		state = _running_state(now, due_on, at_risk_on, pauses)

	return ClockResult(
		due_on=due_on,
		at_risk_on=at_risk_on,
		met_on=met_on,
		state=state,
		remaining=remaining,
		elapsed=elapsed,
	)


def _running_state(
	now: datetime, due_on: datetime | None, at_risk_on: datetime | None, pauses: Sequence[Pause]
) -> ClockState:
	"""The state at ``now`` of a clock not met yet: Breached and At Risk outrank Paused."""
	if due_on is not None and now >= due_on:
		return ClockState.BREACHED
	if at_risk_on is not None and now >= at_risk_on:
		return ClockState.AT_RISK
	if _paused_at(pauses, now):
		return ClockState.PAUSED
	return ClockState.ON_TRACK


def _check_allowance(allowance: timedelta) -> None:
	if allowance <= _ZERO:
		raise SlaError(_("The SLA allowance must be positive, got {0}."), allowance)


def _check_share(at_risk_share: float) -> None:
	if not 0 < at_risk_share < 1:
		raise SlaError(_("The at-risk share must lie between 0 and 1, got {0}."), at_risk_share)


def _validate(allowance: timedelta, at_risk_share: float, pauses: Sequence[Pause]) -> None:
	_check_allowance(allowance)
	_check_share(at_risk_share)
	previous = None
	for pause in pauses:
		if pause.end is not None and pause.end < pause.start:
			raise SlaError(_("The pause from {0} ends before it starts ({1})."), pause.start, pause.end)
		if previous is not None:
			if previous.end is None:
				raise SlaError(
					_("Only the last pause may be open; the pause from {0} has no end."), previous.start
				)
			if pause.start < previous.end:
				raise SlaError(
					_("Pauses must be sorted and must not overlap: {0} starts before {1}."),
					pause.start,
					previous.end,
				)
		previous = pause


def _running_segments(
	start: datetime, pauses: Sequence[Pause], met_on: datetime | None
) -> list[tuple[datetime, datetime | None]]:
	"""The stretches in which the clock runs: [begin, end), the last one open (end None) unless
	an open pause stops the clock for good."""
	segments: list[tuple[datetime, datetime | None]] = []
	begin = start
	for pause in pauses:
		if met_on is not None and pause.start >= met_on:
			break
		if pause.end is not None and pause.end <= begin:
			continue
		if pause.start > begin:
			segments.append((begin, pause.start))
		if pause.end is None:
			return segments
		begin = pause.end
	segments.append((begin, None))
	return segments


def _deadline(
	clock: Clock,
	segments: list[tuple[datetime, datetime | None]],
	runs: list[timedelta],
	amount: timedelta,
) -> datetime | None:
	"""When ``amount`` of running clock time is used; None if an open pause comes first."""
	left = amount
	for (begin, end), run in zip(segments, [*runs, None], strict=False):
		if end is None or run >= left:
			return clock.add(begin, left)
		left -= run
	return None


def _used(clock: Clock, segments: list[tuple[datetime, datetime | None]], until: datetime) -> timedelta:
	used = _ZERO
	for begin, end in segments:
		if begin >= until:
			break
		used += clock.between(begin, until if end is None or end > until else end)
	return used


def _paused_at(pauses: Sequence[Pause], now: datetime) -> bool:
	for pause in reversed(pauses):
		if pause.start <= now:
			return pause.end is None or now < pause.end
	return False


def pause_change(waiting: bool, has_open_pause: bool) -> str | None:
	"""How a case's pauses change on save: "open" a pause when it starts waiting for the customer,
	"close" the open one when it stops, else None."""
	if waiting and not has_open_pause:
		return "open"
	if not waiting and has_open_pause:
		return "close"
	return None
