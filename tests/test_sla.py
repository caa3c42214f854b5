"""Tests for service_control.core.sla (stage clocks)."""

import math
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service_control.core.sla import (
	ClockResult,
	ClockState,
	Pause,
	SlaError,
	compute_clock,
	derived_deadlines,
	is_derived,
	stopped_state,
)
from service_control.core.working_time import CalendarClock, WorkingCalendar

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
BASE = datetime(2024, 1, 1)  # a Monday
OFFICE = {weekday: [(time(8, 30), time(12, 0)), (time(13, 0), time(17, 30))] for weekday in range(5)}
HOLIDAY = date(2024, 1, 8)  # Monday
CALENDAR = WorkingCalendar(OFFICE, [HOLIDAY])


def at(day: int, hour: int, minute: int = 0) -> datetime:
	"""January 2024: at(1, 9) is Monday 1 January 09:00."""
	return datetime(2024, 1, day, hour, minute)


def clock(**kwargs) -> ClockResult:
	kwargs.setdefault("clock", CALENDAR)
	return compute_clock(**kwargs)


# --- nights, weekends, holidays ---------------------------------------------------------------


def test_deadline_over_night_weekend_and_holiday():
	# Friday 16:00: 1.5 h on Friday, Monday 8 January is a holiday, 6.5 h on Tuesday
	result = clock(start=at(5, 16), allowance=8 * HOUR, now=at(5, 16))
	assert result.due_on == at(9, 16)
	assert result.at_risk_on == at(9, 14)  # 6 h: 1.5 Friday + 3.5 + 1 Tuesday
	assert result.state is ClockState.ON_TRACK
	assert result.elapsed == timedelta(0)
	assert result.remaining == 8 * HOUR
	assert result.met_on is None

	weekend = clock(start=at(5, 16), allowance=8 * HOUR, now=at(8, 10))
	assert weekend.elapsed == 1.5 * HOUR
	assert weekend.remaining == 6.5 * HOUR
	assert weekend.state is ClockState.ON_TRACK


def test_calendar_clock_counts_every_hour():
	result = clock(start=at(5, 16), allowance=8 * HOUR, now=at(5, 22), clock=CalendarClock())
	assert result.due_on == at(6, 0)
	assert result.at_risk_on == at(5, 22)
	assert result.state is ClockState.AT_RISK
	assert result.elapsed == 6 * HOUR


# --- pauses ------------------------------------------------------------------------------------


def test_pause_in_the_middle_extends_by_paused_working_time():
	# without pause: Monday 09:00 + 8 h = Tuesday 09:00; the pause swallows 3 working hours
	plain = clock(start=at(1, 9), allowance=8 * HOUR, now=at(1, 9))
	assert plain.due_on == at(2, 9)
	paused = clock(start=at(1, 9), allowance=8 * HOUR, now=at(1, 15), pauses=[Pause(at(1, 10), at(1, 14))])
	assert paused.due_on == at(2, 12)
	assert paused.elapsed == 2 * HOUR  # 09:00-10:00 and 14:00-15:00
	assert paused.remaining == 6 * HOUR
	assert paused.state is ClockState.ON_TRACK


def test_closed_pause_spanning_now_reads_paused():
	result = clock(start=at(1, 9), allowance=8 * HOUR, now=at(1, 11), pauses=[Pause(at(1, 10), at(1, 14))])
	assert result.state is ClockState.PAUSED
	assert result.due_on == at(2, 12)
	assert result.elapsed == HOUR


def test_open_pause_gives_paused_and_no_due():
	result = clock(start=at(1, 9), allowance=8 * HOUR, now=at(3, 10), pauses=[Pause(at(1, 11), None)])
	assert result.state is ClockState.PAUSED
	assert result.due_on is None
	assert result.at_risk_on is None
	assert result.elapsed == 2 * HOUR
	assert result.remaining == 6 * HOUR


def test_open_pause_after_at_risk_keeps_at_risk():
	# at risk at 6 h (Monday 16:00), paused at 16:30: the at-risk instant is a fixed past instant
	result = clock(start=at(1, 9), allowance=8 * HOUR, now=at(2, 10), pauses=[Pause(at(1, 16, 30), None)])
	assert result.due_on is None
	assert result.at_risk_on == at(1, 16)
	assert result.state is ClockState.AT_RISK


def test_open_pause_after_breach_stays_breached():
	result = clock(start=at(1, 9), allowance=2 * HOUR, now=at(2, 10), pauses=[Pause(at(1, 14), None)])
	assert result.due_on == at(1, 11)
	assert result.state is ClockState.BREACHED
	assert result.remaining == timedelta(0)


def test_open_pause_in_the_future_is_not_paused_yet():
	result = clock(start=at(1, 9), allowance=8 * HOUR, now=at(1, 10), pauses=[Pause(at(1, 11), None)])
	assert result.due_on is None
	assert result.state is ClockState.ON_TRACK


def test_pause_before_start_is_ignored_and_overlap_is_clipped():
	base = clock(start=at(1, 9), allowance=8 * HOUR, now=at(1, 9))
	before = clock(start=at(1, 9), allowance=8 * HOUR, now=at(1, 9), pauses=[Pause(at(1, 6), at(1, 8))])
	assert before.due_on == base.due_on == at(2, 9)
	# pause 08:00-10:00 overlaps the start: only 09:00-10:00 counts
	overlap = clock(start=at(1, 9), allowance=8 * HOUR, now=at(1, 9), pauses=[Pause(at(1, 8), at(1, 10))])
	assert overlap.due_on == at(2, 10)
	assert overlap.state is ClockState.PAUSED


def test_pause_after_met_is_ignored():
	pauses = [Pause(at(1, 10), at(1, 11)), Pause(at(1, 15), None)]
	result = clock(start=at(1, 9), allowance=8 * HOUR, now=at(5, 9), pauses=pauses, met_on=at(1, 14))
	assert result.due_on == at(2, 10)  # only the first pause counts
	assert result.state is ClockState.MET
	assert result.at_risk_on is None
	assert result.elapsed == 3 * HOUR  # 09-10, 11-12, 13-14
	assert result.remaining == 5 * HOUR


def test_met_while_paused_without_due_is_met():
	result = clock(
		start=at(1, 9), allowance=8 * HOUR, now=at(5, 9), pauses=[Pause(at(1, 10), None)], met_on=at(3, 9)
	)
	assert result.due_on is None
	assert result.state is ClockState.MET
	assert result.elapsed == HOUR


# --- cap -----------------------------------------------------------------------------------------


def test_earlier_cap_wins_later_cap_is_ignored():
	early = clock(start=at(1, 9), allowance=8 * HOUR, now=at(1, 9), cap=at(1, 15))
	assert early.due_on == at(1, 15)
	# 75 % of the working time up to the cap (5 h) is 3.75 h: 09:00 + 3 h + 45 min after lunch
	assert early.at_risk_on == at(1, 13, 45)
	assert early.remaining == 5 * HOUR
	late = clock(start=at(1, 9), allowance=8 * HOUR, now=at(1, 9), cap=at(3, 9))
	assert late.due_on == at(2, 9)
	assert late.at_risk_on == at(1, 16)
	assert late.remaining == 8 * HOUR
	breached = clock(start=at(1, 9), allowance=8 * HOUR, now=at(1, 15), cap=at(1, 15))
	assert breached.state is ClockState.BREACHED
	assert breached.remaining == timedelta(0)


def test_cap_stays_in_force_during_a_pause():
	pauses = [Pause(at(1, 10), None)]
	waiting = clock(start=at(1, 9), allowance=8 * HOUR, now=at(2, 9), pauses=pauses, cap=at(3, 12))
	assert waiting.due_on == at(3, 12)
	assert waiting.state is ClockState.PAUSED
	after = clock(start=at(1, 9), allowance=8 * HOUR, now=at(3, 12), pauses=pauses, cap=at(3, 12))
	assert after.state is ClockState.BREACHED


def test_cap_and_met():
	assert clock(start=at(1, 9), allowance=8 * HOUR, now=at(5, 9), cap=at(1, 15), met_on=at(1, 15)).state is (
		ClockState.MET
	)
	assert clock(start=at(1, 9), allowance=8 * HOUR, now=at(5, 9), cap=at(1, 15), met_on=at(1, 16)).state is (
		ClockState.MET_LATE
	)


# --- states ----------------------------------------------------------------------------------------


def test_met_and_met_late():
	kwargs = {"start": at(1, 9), "allowance": 8 * HOUR, "now": at(5, 9)}
	assert clock(**kwargs, met_on=at(1, 17)).state is ClockState.MET
	assert clock(**kwargs, met_on=at(2, 9)).state is ClockState.MET  # exactly at due
	late = clock(**kwargs, met_on=at(2, 9, 1))
	assert late.state is ClockState.MET_LATE
	assert late.remaining == timedelta(0)
	assert late.elapsed == 8 * HOUR + MINUTE


@pytest.mark.parametrize(
	("now", "state"),
	[
		(at(1, 9), ClockState.ON_TRACK),
		(at(1, 15, 59), ClockState.ON_TRACK),
		(at(1, 16), ClockState.AT_RISK),  # 6 h of 8 used
		(at(2, 8, 59), ClockState.AT_RISK),
		(at(2, 9), ClockState.BREACHED),  # exactly at due
		(at(20, 9), ClockState.BREACHED),
	],
)
def test_states_over_time(now, state):
	result = clock(start=at(1, 9), allowance=8 * HOUR, now=now)
	assert result.state is state
	assert result.due_on == at(2, 9)
	assert result.at_risk_on == at(1, 16)


def test_at_risk_share():
	result = clock(start=at(1, 9), allowance=8 * HOUR, now=at(1, 10), at_risk_share=0.25)
	assert result.at_risk_on == at(1, 11)
	assert result.state is ClockState.ON_TRACK
	assert (
		clock(start=at(1, 9), allowance=8 * HOUR, now=at(1, 11), at_risk_share=0.25).state
		is ClockState.AT_RISK
	)


def test_elapsed_keeps_growing_after_breach():
	result = clock(start=at(1, 9), allowance=2 * HOUR, now=at(1, 14))
	assert result.state is ClockState.BREACHED
	assert result.elapsed == 4 * HOUR
	assert result.remaining == timedelta(0)


def test_state_values_are_the_stored_strings():
	assert ClockState.AT_RISK == "At Risk"
	assert str(ClockState.MET_LATE) == "Met Late"
	assert [state.value for state in ClockState] == [
		"On Track",
		"At Risk",
		"Breached",
		"Met",
		"Met Late",
		"Paused",
		"Stopped",
	]


@pytest.mark.parametrize(
	"state,expected",
	[
		("Met", "Met"),
		("Met Late", "Met Late"),
		("On Track", "Stopped"),
		("Breached", "Stopped"),
		(None, "Stopped"),
	],
)
def test_cancelled_case_stops_unmet_clocks(state, expected):
	assert stopped_state(state) == expected


# --- validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"kwargs",
	[
		{"allowance": timedelta(0)},
		{"allowance": -HOUR},
		{"at_risk_share": 0},
		{"at_risk_share": 1},
		{"at_risk_share": 1.5},
		{"at_risk_share": math.nan},
		{"pauses": [Pause(at(1, 12), at(1, 11))]},
		{"pauses": [Pause(at(1, 10), at(1, 12)), Pause(at(1, 11), at(1, 13))]},
		{"pauses": [Pause(at(1, 14), at(1, 15)), Pause(at(1, 10), at(1, 11))]},
		{"pauses": [Pause(at(1, 10), None), Pause(at(1, 14), at(1, 15))]},
	],
)
def test_invalid_input_raises(kwargs):
	arguments = {"start": at(1, 9), "allowance": 8 * HOUR, "now": at(1, 9)} | kwargs
	with pytest.raises(SlaError):
		clock(**arguments)
	assert issubclass(SlaError, ValueError)


def test_touching_and_empty_pauses_are_valid():
	pauses = [Pause(at(1, 10), at(1, 10)), Pause(at(1, 10), at(1, 11)), Pause(at(1, 11), at(1, 12))]
	assert clock(start=at(1, 9), allowance=8 * HOUR, now=at(1, 9), pauses=pauses).due_on == at(2, 11)


# --- property against a minute walk ---------------------------------------------------------------


def minute_reference(start: datetime, allowance_minutes: int, pauses: list[Pause]) -> datetime | None:
	"""Walk minute by minute, counting working minutes outside pauses."""

	def paused(instant: datetime) -> bool:
		return any(p.start <= instant and (p.end is None or instant < p.end) for p in pauses)

	last_pause_start = max((p.start for p in pauses if p.end is None), default=None)
	left, instant = allowance_minutes, start
	while True:
		if last_pause_start is not None and instant >= last_pause_start:
			return None
		if CALENDAR.is_working(instant) and not paused(instant):
			left -= 1
			if left == 0:
				return instant + MINUTE
		instant += MINUTE


minutes = st.integers(0, 14 * 1440).map(lambda n: BASE + n * MINUTE)


@st.composite
def pause_lists(draw) -> list[Pause]:
	bounds = sorted(draw(st.lists(minutes, max_size=6)))
	pauses = [Pause(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=False)]
	if draw(st.booleans()):
		open_from = draw(minutes)
		if not pauses or open_from >= pauses[-1].end:
			pauses.append(Pause(open_from, None))
	return pauses


@settings(max_examples=300, deadline=None)
@given(minutes, st.integers(1, 60).map(lambda n: 4 * n * 15), pause_lists(), minutes)
def test_due_on_matches_minute_walk_with_pauses(start, allowance_minutes, pauses, now):
	allowance = allowance_minutes * MINUTE
	result = clock(start=start, allowance=allowance, now=now, pauses=pauses)
	assert result.due_on == minute_reference(start, allowance_minutes, pauses)
	# allowance is a multiple of 4 minutes, so 75 % of it is whole minutes too
	expected_risk = minute_reference(start, allowance_minutes * 3 // 4, pauses)
	assert result.at_risk_on == expected_risk
	if result.due_on is not None and now < result.due_on:
		assert result.elapsed + result.remaining == allowance
	if result.state is ClockState.BREACHED:
		assert result.remaining == timedelta(0)


@settings(max_examples=400, deadline=None)
@given(
	minutes,
	st.integers(1, 10 * 1440),
	st.integers(-2 * 1440, 20 * 1440),
	st.sampled_from([0.5, 0.75, 0.9]),
	st.booleans(),
)
def test_derived_deadlines_are_compute_clocks(start, allowance_minutes, now_after, share, working):
	"""A clock with no pause and no cap: the deadlines a form derives are compute_clock's."""
	on = CALENDAR if working else CalendarClock()
	allowance = allowance_minutes * MINUTE
	now = start + now_after * MINUTE
	result = compute_clock(start=start, allowance=allowance, clock=on, now=now, at_risk_share=share)
	assert derived_deadlines(on, start, allowance, share) == (result.due_on, result.at_risk_on)


def test_only_running_clocks_without_pause_or_cap_are_derived():
	pause = [Pause(at(1, 9), at(1, 10))]
	for state in ("On Track", "At Risk", "Breached"):
		assert is_derived(state, (), None)
		assert not is_derived(state, pause, None)
		assert not is_derived(state, (), at(2, 9))
	for state in ("Met", "Met Late", "Paused", "Stopped", None):
		assert not is_derived(state, (), None)
