"""Working-time arithmetic for SLA deadlines.

A ``Clock`` answers two questions: when has a given amount of time elapsed after an instant
(``add``), and how much time elapsed between two instants (``between``). ``CalendarClock``
counts every instant; ``WorkingCalendar`` counts only weekly working hours minus holidays.

``WorkingCalendar`` works on naive local datetimes in the site time zone (an aware datetime is
read by its wall-clock fields and keeps its tzinfo; there is no DST handling). Internally every
instant is an integer count of microseconds since 0001-01-01 00:00 (a Monday), so results are
exact to the microsecond. Both operations are closed-form: whole weeks are jumped with
per-weekday prefix sums and holidays are corrected with bisect over a sorted holiday list and
prefix sums of the working time each holiday removes. Nothing walks hour by hour or day by day,
so a deadline years ahead costs the same as one tomorrow.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from service_control.core.errors import DomainError, _

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: A time of day: ``time``, or ``timedelta`` since midnight (Frappe's Time fields; up to 24:00),
#: or an "HH:MM[:SS[.ffffff]]" string (up to "24:00:00").
TimeOfDay = time | timedelta | str

_ZERO = timedelta(0)
_ONE_US = timedelta(microseconds=1)
_DAY_US = 86_400_000_000
_EPOCH = datetime(1, 1, 1)  # a Monday: day index d has weekday d % 7
_WEEKDAY_BY_NAME = {name.lower(): index for index, name in enumerate(WEEKDAYS)}
_TIME_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*$")
# Fixed-point steps before add() switches to a binary search over the holiday list; only long
# runs of consecutive holidays need more than two or three steps.
_MAX_FIXED_POINT_STEPS = 6


class WorkingTimeError(DomainError):
	"""An invalid working calendar or an invalid argument to a clock."""


class Clock(Protocol):
	def add(self, start: datetime, duration: timedelta) -> datetime:
		"""The instant at which ``duration`` of clock time has elapsed after ``start``."""
		...

	def between(self, start: datetime, end: datetime) -> timedelta:
		"""Clock time in [start, end); zero if ``end <= start``."""
		...

	def add_each(self, start: datetime, durations: Sequence[timedelta]) -> list[datetime]:
		"""``[add(start, d) for d in durations]``, sharing the work that depends on ``start`` alone."""
		...


class CalendarClock:
	"""Plain elapsed time: every instant counts."""

	__slots__ = ()

	def add(self, start: datetime, duration: timedelta) -> datetime:
		if duration < _ZERO:
			raise WorkingTimeError(_("A duration must not be negative, got {0}."), duration)
		return start + duration

	def between(self, start: datetime, end: datetime) -> timedelta:
		return end - start if end > start else _ZERO

	def add_each(self, start: datetime, durations: Sequence[timedelta]) -> list[datetime]:
		return [self.add(start, duration) for duration in durations]

	def __repr__(self) -> str:
		return "CalendarClock()"


class WorkingCalendar:
	"""Weekly working hours (with breaks) minus holidays, naive local datetimes (site time zone).

	``weekly`` maps a weekday (0 = Monday … 6 = Sunday, or its English name) to the day's working
	intervals ``(start, end)``; several intervals per day model breaks. A bound is a ``time``, a
	``timedelta`` since midnight or an "HH:MM:SS" string. ``time`` cannot express the end of the
	day, so an interval running to midnight ends at ``timedelta(hours=24)`` or "24:00:00" (an end
	of ``time(0, 0)`` is rejected, not guessed). Intervals must not overlap; touching ones merge.
	Intervals cannot cross midnight: split them over two weekdays.

	Holidays are dates with no working time at all; a holiday on a day without working hours
	removes nothing.
	"""

	__slots__ = (
		"_day_us",
		"_hol_days",
		"_hol_prefix",
		"_intervals",
		"_runs",
		"_week_prefix",
		"_week_us",
		"holidays",
	)

	def __init__(
		self,
		weekly: Mapping[int | str, Sequence[tuple[TimeOfDay, TimeOfDay]]],
		holidays: Iterable[date | str] = (),
	) -> None:
		days: list[list[tuple[int, int]]] = [[] for _weekday in WEEKDAYS]
		for weekday, intervals in weekly.items():
			index = _weekday_index(weekday)
			for interval in intervals:
				try:
					raw_start, raw_end = interval
				except (TypeError, ValueError):
					raise WorkingTimeError(
						_("A working interval must be a (start, end) pair, got {0!r} on {1}."),
						interval,
						WEEKDAYS[index],
					) from None
				begin, end = _time_of_day_us(raw_start), _time_of_day_us(raw_end)
				if begin >= end:
					raise WorkingTimeError(
						_(
							"The working interval {0}-{1} on {2} must start before it ends; give the end "
							"of the day as 24:00."
						),
						_format_us(begin),
						_format_us(end),
						WEEKDAYS[index],
					)
				days[index].append((begin, end))

		merged_days = []
		for index, intervals in enumerate(days):
			merged: list[tuple[int, int]] = []
			for begin, end in sorted(intervals):
				if merged and begin < merged[-1][1]:
					raise WorkingTimeError(
						_("The working intervals {0}-{1} and {2}-{3} on {4} overlap."),
						_format_us(merged[-1][0]),
						_format_us(merged[-1][1]),
						_format_us(begin),
						_format_us(end),
						WEEKDAYS[index],
					)
				if merged and begin == merged[-1][1]:
					merged[-1] = (merged[-1][0], end)
				else:
					merged.append((begin, end))
			merged_days.append(tuple(merged))

		self._intervals: tuple[tuple[tuple[int, int], ...], ...] = tuple(merged_days)
		self._day_us = tuple(sum(end - begin for begin, end in day) for day in merged_days)
		prefix = [0]
		for day_us in self._day_us:
			prefix.append(prefix[-1] + day_us)
		self._week_prefix = prefix
		self._week_us = prefix[-1]
		if not self._week_us:
			raise WorkingTimeError(_("The working calendar has no working hours on any weekday."))

		self.holidays = frozenset(_as_date(day) for day in holidays)
		# Day indices of the holidays that actually remove working time, and prefix sums of what
		# they remove: the working time removed by holidays before day d is
		# _hol_prefix[bisect_left(_hol_days, d)].
		self._hol_days = sorted(
			index for index in (day.toordinal() - 1 for day in self.holidays) if self._day_us[index % 7]
		)
		hol_prefix = [0]
		for index in self._hol_days:
			hol_prefix.append(hol_prefix[-1] + self._day_us[index % 7])
		self._hol_prefix = hol_prefix
		self._runs: _Runs | None = None

	@classmethod
	def from_rows(
		cls,
		rows: Iterable[tuple[str | int, TimeOfDay, TimeOfDay]],
		holidays: Iterable[date | str] = (),
	) -> "WorkingCalendar":
		"""Build a calendar from child-table rows ``(weekday, from_time, to_time)``.

		The weekday is an English name ("Monday" … "Sunday", any case) or 0-6; the times come as
		Frappe returns Time fields: ``timedelta`` since midnight or "HH:MM:SS" strings, with
		``timedelta(hours=24)`` / "24:00:00" as the end of the day.
		"""
		weekly: dict[int, list[tuple[TimeOfDay, TimeOfDay]]] = {}
		for row in rows:
			try:
				weekday, from_time, to_time = row
			except (TypeError, ValueError):
				raise WorkingTimeError(
					_("A working-hours row must be (weekday, from time, to time), got {0!r}."), row
				) from None
			weekly.setdefault(_weekday_index(weekday), []).append((from_time, to_time))
		return cls(weekly, holidays)

	@property
	def weekly_seconds(self) -> float:
		"""Working seconds in a week without holidays."""
		return self._week_us / 1_000_000

	def intervals(self, weekday: int) -> tuple[tuple[timedelta, timedelta], ...]:
		"""The merged working intervals of a weekday as ``timedelta`` since midnight."""
		return tuple(
			(timedelta(microseconds=begin), timedelta(microseconds=end))
			for begin, end in self._intervals[_weekday_index(weekday)]
		)

	def add(self, start: datetime, duration: timedelta) -> datetime:
		"""The instant at which ``duration`` of working time has elapsed after ``start``.

		A start outside working time counts from the next working instant. A zero duration returns
		``start`` unchanged (it is not moved to working time). A duration that runs out exactly at
		the end of a working interval gives that end, not the start of the next interval.
		"""
		wanted = duration // _ONE_US
		if wanted <= 0:
			if wanted == 0:
				return start
			raise WorkingTimeError(_("A duration must not be negative, got {0}."), duration)
		at = _instant_us(start)
		position, index = self._start_position(at)
		return self._reach(start, at, position + wanted, index, duration)

	def add_each(self, start: datetime, durations: Sequence[timedelta]) -> list[datetime]:
		"""``[add(start, d) for d in durations]``, for the bulk recompute's every due and at-risk
		instant of a case's clocks: the start's position is found once, and each instant is one
		bisect over a table of the working runs around the deadlines asked so far (``_Runs``),
		built on the first miss and widened on later ones."""
		at = _instant_us(start)
		position, index = self._start_position(at)
		runs = self._runs
		low, high, positions, instants = (
			(runs.low, runs.high, runs.positions, runs.instants) if runs else (0, 0, [], [])
		)
		out = []
		for duration in durations:
			wanted = duration // _ONE_US
			if wanted > 0:
				target = position + wanted
				if low < target <= high:
					run = bisect_left(positions, target) - 1
					out.append(start + timedelta(microseconds=instants[run] + target - positions[run] - at))
					continue
				instant = self._reach(start, at, target, index, duration)
				runs = self._cover(at // _DAY_US, _instant_us(instant) // _DAY_US)
				if runs:
					low, high, positions, instants = runs.low, runs.high, runs.positions, runs.instants
				out.append(instant)
			elif wanted == 0:
				out.append(start)
			else:
				raise WorkingTimeError(_("A duration must not be negative, got {0}."), duration)
		return out

	def _cover(self, first_day: int, last_day: int) -> "_Runs | None":
		"""The run table, widened to hold the days ``first_day`` … ``last_day``: twice as wide as
		needed, so a job over many starts rebuilds it a handful of times, and never more than
		``_MAX_RUN_DAYS`` days (beyond, ``_reach`` answers alone)."""
		runs = self._runs
		if runs is not None:
			first_day, last_day = min(first_day, runs.first_day), max(last_day, runs.end_day - 1)
		span = last_day - first_day + 1
		if span * 2 > _MAX_RUN_DAYS:
			return runs
		first_day, end_day = max(first_day - span // 2, 0), min(last_day + 1 + span // 2, _END_DAY)
		positions, instants = [], []
		hol_days = self._hol_days
		holidays = set(hol_days[bisect_left(hol_days, first_day) : bisect_left(hol_days, end_day)])
		low = position = self._position(first_day * _DAY_US)
		for day in range(first_day, end_day):
			if day in holidays:
				continue
			midnight = day * _DAY_US
			for begin, end in self._intervals[day % 7]:
				positions.append(position)
				instants.append(midnight + begin)
				position += end - begin
		self._runs = _Runs(first_day, end_day, low, position, positions, instants)
		return self._runs

	def _start_position(self, at: int) -> tuple[int, int]:
		"""The working position of ``at`` where work counts from (see ``_position``), and the
		number of holidays before its day."""
		day, time_us = divmod(at, _DAY_US)
		hol_days = self._hol_days
		index = bisect_left(hol_days, day)
		position = (day // 7) * self._week_us + self._week_prefix[day % 7] - self._hol_prefix[index]
		if index == len(hol_days) or hol_days[index] != day:
			position += _worked_until(self._intervals[day % 7], time_us)
		return position, index

	def _reach(self, start: datetime, at: int, target: int, index: int, duration: timedelta) -> datetime:
		"""The instant at which the working position ``target`` is reached after ``start``
		(``at`` in microseconds), knowing ``index`` holidays lie before ``start``'s day."""
		# Find the day whose working time contains the target. Without holidays that is a divmod
		# by the weekly total; holidays before the answer shift the target by what they remove.
		# `index` only grows and never passes the true number of holidays up to the answer, so the
		# fixed point is exact; long runs of holidays fall back to a binary search.
		hol_days, hol_prefix = self._hol_days, self._hol_prefix
		week_us, week_prefix = self._week_us, self._week_prefix
		for _step in range(_MAX_FIXED_POINT_STEPS):
			week, rest = divmod(target + hol_prefix[index] - 1, week_us)
			weekday = bisect_right(week_prefix, rest) - 1
			found = week * 7 + weekday
			reached = bisect_right(hol_days, found, index)
			if reached == index:
				break
			index = reached
		else:
			week, rest, weekday = self._search_holidays(target, index)
			found = week * 7 + weekday

		offset = _offset_of(self._intervals[weekday], rest - week_prefix[weekday] + 1)
		try:
			return start + timedelta(microseconds=found * _DAY_US + offset - at)
		except OverflowError:
			raise WorkingTimeError(
				_("The deadline {0} after {1} lies beyond the year 9999."), duration, start
			) from None

	def between(self, start: datetime, end: datetime) -> timedelta:
		"""Working time in [start, end); zero if ``end <= start``."""
		if end <= start:
			return _ZERO
		return timedelta(microseconds=self._position(_instant_us(end)) - self._position(_instant_us(start)))

	def is_working(self, instant: datetime) -> bool:
		"""Whether ``instant`` lies inside working time (interval starts included, ends excluded)."""
		day, time_us = divmod(_instant_us(instant), _DAY_US)
		index = bisect_left(self._hol_days, day)
		if index < len(self._hol_days) and self._hol_days[index] == day:
			return False
		return any(begin <= time_us < end for begin, end in self._intervals[day % 7])

	def __repr__(self) -> str:
		return (
			f"WorkingCalendar(weekly_hours={self._week_us / 3_600_000_000:g}, holidays={len(self.holidays)})"
		)

	def _position(self, at: int) -> int:
		"""Working microseconds from the epoch up to the instant ``at`` (microseconds since epoch)."""
		day, time_us = divmod(at, _DAY_US)
		index = bisect_left(self._hol_days, day)
		position = (day // 7) * self._week_us + self._week_prefix[day % 7] - self._hol_prefix[index]
		if index < len(self._hol_days) and self._hol_days[index] == day:
			return position
		return position + _worked_until(self._intervals[day % 7], time_us)

	def _search_holidays(self, target: int, low: int) -> tuple[int, int, int]:
		"""Binary search for the number of holidays before the day that holds ``target``.

		With i holidays assumed before it, the day is found by a divmod of target + (time they
		remove); the assumption holds once holiday i lies after that day, and that predicate is
		monotonic in i.
		"""
		hol_days, hol_prefix, week_us, week_prefix = (
			self._hol_days,
			self._hol_prefix,
			self._week_us,
			self._week_prefix,
		)
		high = len(hol_days)
		while low < high:
			middle = (low + high) // 2
			week, rest = divmod(target + hol_prefix[middle] - 1, week_us)
			if hol_days[middle] > week * 7 + bisect_right(week_prefix, rest) - 1:
				high = middle
			else:
				low = middle + 1
		week, rest = divmod(target + hol_prefix[low] - 1, week_us)
		return week, rest, bisect_right(week_prefix, rest) - 1


#: The widest run table ``WorkingCalendar.add_each`` keeps (about 11 years).
_MAX_RUN_DAYS = 4096
_END_DAY = date.max.toordinal()  # one past the last day index (day indices count from 0)


@dataclass(frozen=True, slots=True)
class _Runs:
	"""The working runs (one per merged interval of a working day) of the days ``first_day`` up
	to ``end_day``: the working position and the instant, in microseconds, where each begins.
	A target position in (``low``, ``high``] is reached in the run just before its bisect."""

	first_day: int
	end_day: int
	low: int
	high: int
	positions: list[int]
	instants: list[int]


def _instant_us(instant: datetime) -> int:
	if instant.tzinfo is not None:
		instant = instant.replace(tzinfo=None)
	return (instant - _EPOCH) // _ONE_US


def _worked_until(intervals: tuple[tuple[int, int], ...], time_us: int) -> int:
	"""Working microseconds of one day's intervals before ``time_us``."""
	worked = 0
	for begin, end in intervals:
		if time_us <= begin:
			break
		worked += (end if time_us > end else time_us) - begin
	return worked


def _offset_of(intervals: tuple[tuple[int, int], ...], amount: int) -> int:
	"""The time of day at which ``amount`` (> 0, <= the day's total) of the day's work is done."""
	for begin, end in intervals:
		if amount <= end - begin:
			return begin + amount
		amount -= end - begin
	raise AssertionError("amount exceeds the working time of the day")


def _weekday_index(weekday: int | str) -> int:
	if isinstance(weekday, str):
		index = _WEEKDAY_BY_NAME.get(weekday.strip().lower())
		if index is not None:
			return index
	elif isinstance(weekday, int) and not isinstance(weekday, bool) and 0 <= weekday <= 6:
		return weekday
	raise WorkingTimeError(_("Unknown weekday {0!r}: use Monday … Sunday or 0 (Monday) … 6."), weekday)


def _time_of_day_us(value: TimeOfDay) -> int:
	"""Microseconds since midnight, 0 … 24 h inclusive."""
	if isinstance(value, time):
		return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond
	if isinstance(value, timedelta):
		us = value // _ONE_US
		if 0 <= us <= _DAY_US:
			return us
	elif isinstance(value, str):
		match = _TIME_RE.match(value)
		if match:
			hours, minutes, seconds, fraction = match.groups()
			us = ((int(hours) * 60 + int(minutes)) * 60 + int(seconds or 0)) * 1_000_000
			us += int((fraction or "").ljust(6, "0"))
			if int(minutes) < 60 and int(seconds or 0) < 60 and us <= _DAY_US:
				return us
	raise WorkingTimeError(_("Invalid time of day {0!r}: expected 00:00:00 … 24:00:00."), value)


def _format_us(us: int) -> str:
	minutes, microseconds = divmod(us, 60_000_000)
	text = f"{minutes // 60:02d}:{minutes % 60:02d}"
	if microseconds:
		text += f":{microseconds / 1_000_000:09.6f}".rstrip("0").rstrip(".")
	return text


def _as_date(value: date | str) -> date:
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	if isinstance(value, str):
		try:
			return date.fromisoformat(value.strip())
		except ValueError:
			pass
	raise WorkingTimeError(_("Invalid holiday {0!r}: expected a date."), value)
