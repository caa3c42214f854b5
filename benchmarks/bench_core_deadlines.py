"""Throughput of the SLA deadline core (working-time arithmetic and stage clocks).

Run from the repository root: ``python benchmarks/bench_core_deadlines.py``.
"""

import random
import sys
import time as timer
from datetime import date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service_control.core.escalation import EscalationLevel
from service_control.core.sla import Pause, compute_clock
from service_control.core.sla_review import StageClock, review_case
from service_control.core.working_time import WorkingCalendar

SEED = 20240101
YEARS = 5
FIRST_DAY = date(2024, 1, 1)
HOLIDAYS_PER_YEAR = 15
CALLS = 200_000
BULK_ITEMS = 200_000


def office_calendar(rng: random.Random) -> WorkingCalendar:
	"""Mon-Fri 08:30-12:00 / 13:00-17:30 with ~15 holidays a year over five years."""
	weekly = {weekday: [(time(8, 30), time(12, 0)), (time(13, 0), time(17, 30))] for weekday in range(5)}
	holidays = set()
	for year in range(YEARS):
		first = FIRST_DAY.replace(year=FIRST_DAY.year + year)
		holidays.update(first + timedelta(days=rng.randrange(365)) for _ in range(HOLIDAYS_PER_YEAR))
	return WorkingCalendar(weekly, holidays)


def random_starts(rng: random.Random, count: int, days: int) -> list[datetime]:
	base = datetime.combine(FIRST_DAY, time())
	return [base + timedelta(seconds=rng.randrange(days * 86_400)) for _ in range(count)]


def rate(count: int, seconds: float) -> str:
	return f"{count / seconds:,.0f} /s"


def bench_add(calendar: WorkingCalendar, rng: random.Random) -> None:
	for hours in (24, 56, 2000):
		starts = random_starts(rng, CALLS, 4 * 365)
		duration = timedelta(hours=hours)
		add = calendar.add
		began = timer.perf_counter()
		for start in starts:
			add(start, duration)
		print(f"working_time.add {hours}h: {rate(CALLS, timer.perf_counter() - began)}")

	starts = random_starts(rng, CALLS, 4 * 365)
	ends = [start + timedelta(hours=rng.randrange(1, 2000)) for start in starts]
	between = calendar.between
	began = timer.perf_counter()
	for start, end in zip(starts, ends, strict=True):
		between(start, end)
	print(f"working_time.between: {rate(CALLS, timer.perf_counter() - began)}")


def clock_items(rng: random.Random, count: int, now: datetime) -> list[tuple]:
	"""A realistic mix: most clocks running, some paused (closed or open), met, or capped."""
	items = []
	for key, start in enumerate(random_starts(rng, count, 4 * 365)):
		allowance = timedelta(hours=rng.choice((4, 8, 24, 40, 56, 120)))
		pauses: list[Pause] = []
		if rng.random() < 0.3:
			pause_start = start + timedelta(hours=rng.randrange(1, 48))
			pause_end = pause_start + timedelta(hours=rng.randrange(1, 96))
			pauses.append(Pause(pause_start, pause_end))
			if rng.random() < 0.3:
				pauses.append(Pause(pause_end + timedelta(hours=rng.randrange(1, 48)), None))
		met_on = start + timedelta(hours=rng.randrange(1, 200)) if rng.random() < 0.3 else None
		cap = start + timedelta(hours=rng.randrange(24, 400)) if rng.random() < 0.2 else None
		items.append((f"DOC-{key:06d}", start, allowance, pauses, met_on, cap))
	return items


def bench_clocks(calendar: WorkingCalendar, rng: random.Random) -> None:
	now = datetime.combine(FIRST_DAY, time()) + timedelta(days=2 * 365)
	items = clock_items(rng, CALLS, now)
	began = timer.perf_counter()
	for _key, start, allowance, pauses, met_on, cap in items:
		compute_clock(
			start=start, allowance=allowance, clock=calendar, now=now, pauses=pauses, met_on=met_on, cap=cap
		)
	print(f"sla.compute_clock (mixed pauses/met/cap): {rate(CALLS, timer.perf_counter() - began)}")

	# the sweep and the recompute review cases: running clocks of the mix, one a case, then what
	# the site benchmark has (complaints of four stages from one start, no pause, no cap), with
	# the procedures' three escalation levels
	levels = (
		EscalationLevel(1, "At Risk", 0, notify_owner=True),
		EscalationLevel(2, "Breached", 0, role="Quality Manager"),
		EscalationLevel(3, "Breached", 24, role="General Manager", immediate_for_critical=True),
	)
	mixed = [
		([StageClock("Resolution", start, allowance, calendar, cap=cap)], pauses)
		for _key, start, allowance, pauses, met_on, cap in clock_items(rng, BULK_ITEMS, now)
		if met_on is None
	]
	stages = {"First Reply": 16, "Arrangement": 16, "Resolution": 56, "Closure": 64}
	plain = [
		([StageClock(stage, start, timedelta(hours=hours), calendar) for stage, hours in stages.items()], ())
		for start in random_starts(rng, BULK_ITEMS // 4, 4 * 365)
	]
	for label, cases in (
		("one running clock a case, mixed", mixed),
		("four stages a case, no pause or cap", plain),
	):
		began = timer.perf_counter()
		for clocks, pauses in cases:
			review_case(clocks, now=now, pauses=pauses, levels=levels)
		elapsed = timer.perf_counter() - began
		print(
			f"sla_review.review_case, {len(cases):,} cases ({label}): {elapsed:.2f} s ({rate(len(cases), elapsed)})"
		)


def main() -> None:
	rng = random.Random(SEED)
	calendar = office_calendar(rng)
	print(f"calendar: {calendar!r} over {YEARS} years, Python {sys.version.split()[0]}")
	bench_add(calendar, rng)
	bench_clocks(calendar, rng)


if __name__ == "__main__":
	main()
