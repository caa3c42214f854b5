"""Tests for service_control.core.working_time against brute-force references."""

from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from service_control.core.working_time import CalendarClock, WorkingCalendar, WorkingTimeError

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
BASE = datetime(2024, 1, 1)  # a Monday
OFFICE = {
	weekday: [(time(8, 30), time(12, 0)), (time(13, 0), time(17, 30))] for weekday in range(5)
}  # Mon-Fri, 8 h a day


def office(*holidays: date) -> WorkingCalendar:
	return WorkingCalendar(OFFICE, holidays)


# --- brute-force references -------------------------------------------------------------------


class MinuteWalk:
	"""Reference calendar that looks at every single minute (whole-minute inputs only)."""

	def __init__(self, weekly: dict[int, list[tuple[int, int]]], holidays: set[date]) -> None:
		self.working = [False] * (7 * 1440)
		for weekday, intervals in weekly.items():
			for begin, end in intervals:
				for minute in range(begin, end):
					self.working[weekday * 1440 + minute] = True
		# minute indices are counted from BASE, a Monday
		self.holiday_days = {(day - BASE.date()).days for day in holidays}

	def _index(self, instant: datetime) -> int:
		assert instant.second == 0 and instant.microsecond == 0
		return (instant - BASE) // MINUTE

	def _works(self, minute: int) -> bool:
		return self.working[minute % 10080] and minute // 1440 not in self.holiday_days

	def add(self, start: datetime, duration: timedelta) -> datetime:
		left = duration // MINUTE
		minute = self._index(start)
		if left == 0:
			return start
		while True:
			if self._works(minute):
				left -= 1
				if left == 0:
					return BASE + (minute + 1) * MINUTE
			minute += 1

	def between(self, start: datetime, end: datetime) -> timedelta:
		first, last = self._index(start), self._index(end)
		return sum(self._works(minute) for minute in range(first, last)) * MINUTE


def day_walk_add(
	weekly: dict[int, list[tuple[time, time]]], holidays: set[date], start: datetime, duration: timedelta
):
	"""Reference add() that walks day by day (for long spans); weekly bounds as `time`."""

	def seconds(value: time) -> int:
		return value.hour * 3600 + value.minute * 60 + value.second

	left = duration
	day = start.date()
	from_time = start - datetime.combine(day, time())
	while True:
		if day not in holidays:
			for begin, end in weekly.get(day.weekday(), []):
				begin_s, end_s = timedelta(seconds=seconds(begin)), timedelta(seconds=seconds(end))
				begin_s = max(begin_s, from_time)
				if begin_s >= end_s:
					continue
				if end_s - begin_s >= left:
					return datetime.combine(day, time()) + begin_s + left
				left -= end_s - begin_s
		day += timedelta(days=1)
		from_time = timedelta(0)


# --- strategies -------------------------------------------------------------------------------


@st.composite
def weekly_minutes(draw) -> dict[int, list[tuple[int, int]]]:
	"""Random weekly intervals in minutes; touching intervals and empty days included."""
	weekly = {}
	for weekday in range(7):
		bounds = sorted(draw(st.lists(st.integers(0, 1440), max_size=6)))
		intervals = [(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=False) if a < b]
		if intervals:
			weekly[weekday] = intervals
	assume(weekly)
	return weekly


def as_bound(minutes: int, as_time: bool):
	if as_time and minutes < 1440:
		return time(minutes // 60, minutes % 60)
	return timedelta(minutes=minutes)


@st.composite
def calendars(draw):
	weekly = draw(weekly_minutes())
	as_time = draw(st.booleans())
	spec = {
		weekday: [(as_bound(a, as_time), as_bound(b, as_time)) for a, b in intervals]
		for weekday, intervals in weekly.items()
	}
	holidays = set(
		draw(st.lists(st.integers(0, 90).map(lambda n: BASE.date() + timedelta(days=n)), max_size=20))
	)
	for first, length in draw(st.lists(st.tuples(st.integers(0, 90), st.integers(1, 12)), max_size=2)):
		holidays.update(BASE.date() + timedelta(days=first + n) for n in range(length))
	return WorkingCalendar(spec, holidays), MinuteWalk(weekly, holidays), weekly


minute_starts = st.integers(0, 60 * 1440).map(lambda n: BASE + n * MINUTE)
any_instants = st.datetimes(min_value=datetime(2023, 1, 1), max_value=datetime(2030, 1, 1))


def week_minutes(weekly) -> int:
	return sum(b - a for intervals in weekly.values() for a, b in intervals)


SLOW = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- properties against the minute walk -----------------------------------------------------------


@SLOW
@given(calendars(), minute_starts, st.data())
def test_add_matches_minute_walk(calendar, start, data):
	clock, reference, weekly = calendar
	limit = min(3 * 7 * 1440, 4 * week_minutes(weekly))
	duration = data.draw(st.integers(0, limit)) * MINUTE
	assert clock.add(start, duration) == reference.add(start, duration)


@SLOW
@given(calendars(), minute_starts, st.data())
def test_add_each_matches_minute_walk(calendar, start, data):
	"""Several durations from one start (the bulk recompute's due and at-risk instants)."""
	clock, reference, weekly = calendar
	limit = min(3 * 7 * 1440, 4 * week_minutes(weekly))
	durations = [m * MINUTE for m in data.draw(st.lists(st.integers(0, limit), min_size=1, max_size=4))]
	assert clock.add_each(start, durations) == [reference.add(start, d) for d in durations]
	assert CalendarClock().add_each(start, durations) == [start + d for d in durations]


@settings(max_examples=200, deadline=None)
@given(
	calendars(),
	st.lists(
		st.tuples(any_instants, st.lists(st.integers(0, 10**14), min_size=1, max_size=8)),
		min_size=1,
		max_size=12,
	),
)
def test_add_each_on_one_calendar_matches_add(calendar, calls):
	"""One calendar over many starts and spans, as the recompute job uses it: the run table
	add_each builds on a miss, widens backwards and forwards and gives up beyond its width
	(10**14 µs of working time is years) must always answer what add does."""
	clock = calendar[0]
	for start, spans in calls:
		durations = [timedelta(microseconds=us) for us in spans]
		assert clock.add_each(start, durations) == [clock.add(start, d) for d in durations]


def test_add_each_answers_from_its_run_table():
	"""Once the table holds a span, add_each answers from it: an end of work that falls on the
	end of an interval is that end, and an aware start keeps its zone."""
	calendar = office(date(2024, 1, 3))
	calendar.add_each(datetime(2024, 1, 1, 9, 0), [40 * HOUR])  # builds the table
	assert calendar._runs is not None
	zone = timezone(timedelta(hours=2))
	assert calendar.add_each(datetime(2024, 1, 1, 8, 30), [3.5 * HOUR, 8 * HOUR, 24 * HOUR]) == [
		datetime(2024, 1, 1, 12, 0),
		datetime(2024, 1, 1, 17, 30),
		datetime(2024, 1, 4, 17, 30),  # 3 January is a holiday
	]
	assert calendar.add_each(datetime(2024, 1, 2, 18, 0, tzinfo=zone), [HOUR]) == [
		datetime(2024, 1, 4, 9, 30, tzinfo=zone)
	]
	with pytest.raises(WorkingTimeError, match="9999"):
		calendar.add_each(datetime(9999, 12, 30), [HOUR, 100 * HOUR])


@SLOW
@given(calendars(), minute_starts, st.integers(0, 4 * 7 * 1440))
def test_between_matches_minute_walk(calendar, start, span):
	clock, reference, _weekly = calendar
	end = start + span * MINUTE
	assert clock.between(start, end) == reference.between(start, end)
	assert clock.between(end, start) == timedelta(0)


@settings(max_examples=300, deadline=None)
@given(calendars(), any_instants, st.integers(0, 10**13))
def test_between_inverts_add(calendar, start, microseconds):
	clock = calendar[0]
	duration = timedelta(microseconds=microseconds)
	due = clock.add(start, duration)
	assert due >= start
	assert clock.between(start, due) == duration
	if duration:
		# due is the first instant at which the duration has elapsed
		assert clock.between(start, due - timedelta(microseconds=1)) < duration


@settings(max_examples=300, deadline=None)
@given(calendars(), any_instants, any_instants)
def test_add_of_between_reaches_end(calendar, start, end):
	clock = calendar[0]
	assume(start <= end)
	worked = clock.between(start, end)
	assert clock.add(start, worked) <= end
	assert clock.between(start, clock.add(start, worked)) == worked


@settings(max_examples=300, deadline=None)
@given(calendars(), any_instants, any_instants, st.integers(0, 10**12), st.integers(0, 10**12))
def test_monotonic(calendar, first, second, d1, d2):
	clock = calendar[0]
	early, late = sorted((first, second))
	short, long = sorted((timedelta(microseconds=d1), timedelta(microseconds=d2)))
	assert clock.add(early, short) <= clock.add(late, short)
	assert clock.add(early, short) <= clock.add(early, long)
	assert clock.between(early, late) <= clock.between(early, late + long)
	assert clock.between(early, late) >= clock.between(early + short, late)


def test_holidays():
	calendar = office(date(2024, 1, 8), date(2024, 1, 9))  # Monday and Tuesday
	assert calendar.add(datetime(2024, 1, 5, 17, 0), HOUR) == datetime(2024, 1, 10, 9, 0)
	# a start on a holiday counts from the next working day
	assert calendar.add(datetime(2024, 1, 8, 10, 0), 2 * HOUR) == datetime(2024, 1, 10, 10, 30)
	assert calendar.between(datetime(2024, 1, 5, 16, 0), datetime(2024, 1, 10, 10, 0)) == 3 * HOUR
	assert calendar.between(datetime(2024, 1, 8, 9, 0), datetime(2024, 1, 8, 17, 0)) == timedelta(0)


def test_holiday_on_a_non_working_day_removes_nothing():
	plain, with_saturday = office(), office(date(2024, 1, 6))
	start = datetime(2024, 1, 5, 10, 0)
	assert with_saturday.add(start, 20 * HOUR) == plain.add(start, 20 * HOUR)
	assert with_saturday.between(start, datetime(2024, 1, 9)) == plain.between(start, datetime(2024, 1, 9))


def test_between_examples():
	calendar = office()
	assert calendar.between(datetime(2024, 1, 5, 16, 0), datetime(2024, 1, 8, 10, 0)) == 3 * HOUR
	assert calendar.between(datetime(2024, 1, 1, 11, 0), datetime(2024, 1, 1, 14, 0)) == 2 * HOUR
	assert calendar.between(datetime(2024, 1, 1), datetime(2024, 1, 8)) == 40 * HOUR
	assert calendar.between(datetime(2024, 1, 6), datetime(2024, 1, 7, 23)) == timedelta(0)
	assert calendar.between(datetime(2024, 1, 2), datetime(2024, 1, 1)) == timedelta(0)
	assert calendar.between(datetime(2024, 1, 1, 9, 0, 0, 250), datetime(2024, 1, 1, 9, 0, 1)) == timedelta(
		microseconds=999_750
	)


def test_is_working():
	calendar = office(date(2024, 1, 2))
	assert calendar.is_working(datetime(2024, 1, 1, 8, 30))
	assert not calendar.is_working(datetime(2024, 1, 1, 12, 0))
	assert not calendar.is_working(datetime(2024, 1, 2, 10, 0))
	assert not calendar.is_working(datetime(2024, 1, 6, 10, 0))


def test_far_future_against_day_walk():
	holidays = set()
	for year in range(2024, 2031):
		holidays |= {
			date(year, month, day) for month, day in [(1, 1), (5, 1), (7, 14), (8, 15), (11, 1), (12, 25)]
		}
		holidays |= {date(year, 4, 1) + timedelta(days=n) for n in range(10)}  # a run of holidays
	calendar = WorkingCalendar(OFFICE, holidays)
	for start, duration in [
		(datetime(2024, 1, 1, 0, 0), 5 * 2000 * HOUR),
		(datetime(2024, 3, 29, 16, 45, 12, 345), 5 * 1900 * HOUR + timedelta(seconds=17)),
		(datetime(2024, 12, 25, 10, 0), 1234 * HOUR),
		(datetime(2025, 4, 3, 9, 0), 56 * HOUR),
	]:
		due = calendar.add(start, duration)
		assert due == day_walk_add(OFFICE, holidays, start, duration)
		assert calendar.between(start, due) == duration


def test_long_runs_of_holidays_terminate():
	# every day for three years is a holiday: add() must jump over them, not loop
	holidays = {date(2024, 1, 1) + timedelta(days=n) for n in range(3 * 365)}
	calendar = WorkingCalendar(OFFICE, holidays)
	start = datetime(2024, 1, 1, 9, 0)
	due = calendar.add(start, 100 * HOUR)
	assert due == day_walk_add(OFFICE, holidays, start, 100 * HOUR)
	assert due.date() > date(2026, 12, 30)
	# scattered holidays around a long run exercise the binary-search fallback too
	holidays |= {date(2027, 1, 1) + timedelta(days=2 * n) for n in range(200)}
	calendar = WorkingCalendar(OFFICE, holidays)
	for duration in (HOUR, 100 * HOUR, 900 * HOUR):
		assert calendar.add(start, duration) == day_walk_add(OFFICE, holidays, start, duration)


def test_single_day_calendar_and_end_of_day():
	calendar = WorkingCalendar({"Sunday": [(time(22, 0), timedelta(hours=24))]})
	assert calendar.weekly_seconds == 7200
	assert calendar.add(datetime(2024, 1, 1), 3 * HOUR) == datetime(2024, 1, 14, 23, 0)
	assert calendar.add(datetime(2024, 1, 7, 22, 0), 2 * HOUR) == datetime(2024, 1, 8, 0, 0)


def test_touching_intervals_merge():
	calendar = WorkingCalendar({0: [(time(13), time(17)), (time(9), time(13))]})
	assert calendar.intervals(0) == ((timedelta(hours=9), timedelta(hours=17)),)
	assert calendar.weekly_seconds == 8 * 3600


def test_from_rows():
	rows = [
		("Monday", timedelta(hours=8, minutes=30), timedelta(hours=12)),
		("monday", "13:00:00", "17:30:00"),
		(4, "08:00", "12:00:00.5"),
		("Saturday", "22:00:00", "24:00:00"),
		("Sunday", timedelta(0), timedelta(hours=24)),
	]
	calendar = WorkingCalendar.from_rows(rows, holidays=["2024-01-07", date(2024, 1, 8)])
	assert calendar.intervals("Monday") == (
		(timedelta(hours=8, minutes=30), timedelta(hours=12)),
		(timedelta(hours=13), timedelta(hours=17, minutes=30)),
	)
	assert calendar.weekly_seconds == 8 * 3600 + 4 * 3600 + 0.5 + 2 * 3600 + 24 * 3600
	assert calendar.holidays == {date(2024, 1, 7), date(2024, 1, 8)}
	# Saturday 22:00-24:00, Sunday and Monday are holidays, so Friday is next
	assert calendar.add(datetime(2024, 1, 6, 23, 0), 2 * HOUR) == datetime(2024, 1, 12, 9, 0)


@pytest.mark.parametrize(
	"weekly",
	[
		{},
		{0: []},
		{0: [(time(9), time(9))]},
		{0: [(time(17), time(9))]},
		{0: [(time(9), time(0))]},
		{0: [(time(9), time(13)), (time(12), time(17))]},
		{"Monday": [(time(9), time(13))], 0: [(time(10), time(11))]},
		{7: [(time(9), time(17))]},
		{"Mon": [(time(9), time(17))]},
		{True: [(time(9), time(17))]},
		{0: [(time(9),)]},
		{0: [(timedelta(hours=-1), time(9))]},
		{0: [(time(9), timedelta(hours=25))]},
		{0: [("9 am", "17:00")]},
		{0: [("09:00", "24:30")]},
		{0: [("09:61", "17:00")]},
	],
)
def test_invalid_calendars(weekly):
	with pytest.raises(WorkingTimeError):
		WorkingCalendar(weekly)


def test_invalid_calendar_messages():
	with pytest.raises(WorkingTimeError, match="overlap"):
		WorkingCalendar({0: [(time(9), time(13)), (time(12), time(17))]})
	with pytest.raises(WorkingTimeError, match="no working hours"):
		WorkingCalendar({0: []}, holidays=[date(2024, 1, 1)])
	with pytest.raises(WorkingTimeError, match="24:00"):
		WorkingCalendar({0: [(time(9), time(0))]})
	with pytest.raises(WorkingTimeError, match="holiday"):
		WorkingCalendar(OFFICE, holidays=["someday"])
	with pytest.raises(WorkingTimeError):
		WorkingCalendar.from_rows([("Monday", "09:00")])
	assert issubclass(WorkingTimeError, ValueError)


def test_negative_duration():
	with pytest.raises(WorkingTimeError):
		office().add(BASE, -MINUTE)
	with pytest.raises(WorkingTimeError):
		CalendarClock().add(BASE, -MINUTE)


def test_deadline_beyond_year_9999():
	with pytest.raises(WorkingTimeError, match="9999"):
		office().add(datetime(9999, 12, 30), 100 * HOUR)


def test_calendar_clock():
	clock = CalendarClock()
	assert clock.add(BASE, 30 * HOUR) == BASE + 30 * HOUR
	assert clock.between(BASE, BASE + 30 * HOUR) == 30 * HOUR
	assert clock.between(BASE + HOUR, BASE) == timedelta(0)


def test_aware_datetimes_keep_their_zone():
	zone = timezone(timedelta(hours=2))
	start = datetime(2024, 1, 5, 17, 0, tzinfo=zone)
	assert office().add(start, HOUR) == datetime(2024, 1, 8, 9, 0, tzinfo=zone)
	assert office().between(start, datetime(2024, 1, 8, 9, 0, tzinfo=zone)) == HOUR
