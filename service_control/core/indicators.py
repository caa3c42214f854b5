"""Service indicators: SLA on-time rates, Pareto shares and repeat complaints.

Reports run the counting in the database (``GROUP BY``) and hand the aggregated rows to these
functions, which only do the arithmetic on a handful of groups: rates, ordering, shares and
cumulative shares. Nothing here imports frappe.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from service_control.core.sla import STAGES, ClockState

MET = ClockState.MET.value
MET_LATE = ClockState.MET_LATE.value
BREACHED = ClockState.BREACHED.value
AT_RISK = ClockState.AT_RISK.value
ON_TRACK = ClockState.ON_TRACK.value
PAUSED = ClockState.PAUSED.value

#: Group-by choices of the SLA Performance report.
GROUP_BY = ("Month", "Urgency", "Category", "Owner")

#: Share of all complaints the "vital few" of a Pareto analysis account for.
PARETO_CUTOFF = 80.0


def rate(part: float, whole: float) -> float | None:
	"""``part`` as a percentage of ``whole``, rounded to 0.1; None when there is nothing to rate."""
	if not whole:
		return None
	return round(100.0 * part / whole, 1)


def month_label(year: int | None, month: int | None) -> str | None:
	"""``2026-03`` for the year and month the database grouped by."""
	if not year or not month:
		return None
	return f"{int(year):04d}-{int(month):02d}"


@dataclass
class StageOutcome:
	"""How the clocks of one stage in one group ended up (or stand, when still running)."""

	group: str | None
	stage: str
	met: int = 0
	met_late: int = 0
	breached: int = 0
	at_risk: int = 0
	on_track: int = 0
	paused: int = 0

	def add(self, state: str | None, count: int) -> None:
		attr = {
			MET: "met",
			MET_LATE: "met_late",
			BREACHED: "breached",
			AT_RISK: "at_risk",
			ON_TRACK: "on_track",
			PAUSED: "paused",
		}.get(state or "")
		if attr:
			setattr(self, attr, getattr(self, attr) + int(count or 0))

	@property
	def decided(self) -> int:
		"""Clocks whose outcome is known: met in time, met late, or already past due."""
		return self.met + self.met_late + self.breached

	@property
	def open(self) -> int:
		return self.at_risk + self.on_track + self.paused

	@property
	def total(self) -> int:
		return self.decided + self.open

	@property
	def on_time_rate(self) -> float | None:
		"""Met in time over all decided clocks; a clock still running counts for neither side."""
		return rate(self.met, self.decided)

	@property
	def late_rate(self) -> float | None:
		return rate(self.met_late + self.breached, self.decided)

	def as_dict(self) -> dict:
		return {
			"group": self.group,
			"stage": self.stage,
			"met": self.met,
			"met_late": self.met_late,
			"breached": self.breached,
			"at_risk": self.at_risk,
			"on_track": self.on_track + self.paused,
			"decided": self.decided,
			"total": self.total,
			"on_time_rate": self.on_time_rate,
			"late_rate": self.late_rate,
		}


def _stage_order(stage: str) -> int:
	return STAGES.index(stage) if stage in STAGES else len(STAGES)


def sla_performance(
	rows: Iterable[Sequence], stages: Sequence[str] = STAGES, group_order: Sequence | None = None
) -> list[StageOutcome]:
	"""One outcome per (group, stage) from ``(group, stage, state, count)`` rows.

	Groups come out in ``group_order`` when given (e.g. chronological months), else sorted by
	name with the empty group last; stages in their due order.
	"""
	outcomes: dict[tuple, StageOutcome] = {}
	for group, stage, state, count in rows:
		if stage not in stages:
			continue
		key = (group, stage)
		if key not in outcomes:
			outcomes[key] = StageOutcome(group, stage)
		outcomes[key].add(state, count)
	if group_order is not None:
		position = {g: i for i, g in enumerate(group_order)}

		def group_key(g):
			return (position.get(g, len(position)), str(g))
	else:

		def group_key(g):
			return (g is None, str(g or ""))

	return sorted(outcomes.values(), key=lambda o: (group_key(o.group), _stage_order(o.stage)))


def totals_by_stage(outcomes: Iterable[StageOutcome], stages: Sequence[str] = STAGES) -> list[StageOutcome]:
	"""The outcomes summed over all groups, one per stage that has any clock."""
	total = {stage: StageOutcome(None, stage) for stage in stages}
	for o in outcomes:
		if o.stage in total:
			t = total[o.stage]
			t.met += o.met
			t.met_late += o.met_late
			t.breached += o.breached
			t.at_risk += o.at_risk
			t.on_track += o.on_track
			t.paused += o.paused
	return [t for t in total.values() if t.total]


# ------------------------------------------------------------------------------------------
# Pareto


@dataclass
class ParetoRow:
	key: str | None
	count: int
	share: float
	cumulative_share: float
	vital_few: bool

	def as_dict(self) -> dict:
		return {
			"key": self.key,
			"count": self.count,
			"share": self.share,
			"cumulative_share": self.cumulative_share,
			"vital_few": self.vital_few,
		}


def pareto(counts: Iterable[tuple[str | None, int]], cutoff: float = PARETO_CUTOFF) -> list[ParetoRow]:
	"""Rows by falling count (ties by key, the empty key last) with share and cumulative share.

	Duplicate keys are added up. A row belongs to the "vital few" when the rows before it account
	for less than ``cutoff`` percent, so the row that crosses the cut-off is included. The last
	cumulative share is exactly 100.
	"""
	merged: dict = {}
	for key, count in counts:
		merged[key] = merged.get(key, 0) + int(count or 0)
	items = sorted(
		((k, c) for k, c in merged.items() if c > 0), key=lambda kc: (-kc[1], kc[0] is None, str(kc[0] or ""))
	)
	whole = sum(c for _k, c in items)
	out: list[ParetoRow] = []
	running = 0
	for key, count in items:
		before = rate(running, whole) or 0.0
		running += count
		out.append(ParetoRow(key, count, rate(count, whole), rate(running, whole), before < cutoff))
	return out


# ------------------------------------------------------------------------------------------
# Repeat complaints


@dataclass
class RepeatEpisode:
	"""Complaints on the same key (customer + item, or serial no) each within the window of the last."""

	key: tuple
	complaints: list[str] = field(default_factory=list)
	first_on: datetime | None = None
	last_on: datetime | None = None

	@property
	def count(self) -> int:
		return len(self.complaints)

	@property
	def span_days(self) -> float:
		return round((self.last_on - self.first_on).total_seconds() / 86400, 1)


def repeat_episodes(events: Iterable[tuple[tuple, str, datetime]], window_days: float) -> list[RepeatEpisode]:
	"""Chains of complaints on one key where each follows the previous within ``window_days``.

	``events`` are ``(key, complaint, received_on)``; the report passes only complaints that
	the database found to have a neighbour within the window, so this sorts a short list. Only
	chains of two or more complaints are returned, the longest first.
	"""
	if window_days <= 0:
		raise ValueError("window_days must be positive")
	window = timedelta(days=window_days)
	episodes: list[RepeatEpisode] = []
	current: RepeatEpisode | None = None
	for key, name, on in sorted(events, key=lambda e: (tuple(str(k) for k in e[0]), e[2], e[1])):
		if current is None or current.key != key or on - current.last_on > window:
			current = RepeatEpisode(key, [], on, on)
			episodes.append(current)
		current.complaints.append(name)
		current.last_on = on
	repeats = [e for e in episodes if e.count > 1]
	return sorted(repeats, key=lambda e: (-e.count, e.first_on, tuple(str(k) for k in e.key)))
