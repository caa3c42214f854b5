"""Service indicators by months in service (MIS): CPU, TGW and R/1000, short- and long-term.

A unit is in service from the posting date of its Delivery Note. An event (a complaint, a repair,
a cost posted to the ledger) of a unit delivered on ``d`` and dated ``e`` happened in its
``months_in_service(d, e)``-th month: MIS 1 runs from ``d`` up to, not including,
``add_months(d, 1)``; MIS ``k`` from ``add_months(d, k - 1)`` up to ``add_months(d, k)``.

For a window of ``W`` months and a report date ``as_of``:

- a unit counts (is *mature*) when ``add_months(d, W) <= as_of``: its whole first ``W`` months
  lie on or before the report date, so every event that can count for it has been seen;
- an event counts when its unit is mature and ``1 <= MIS <= W``, i.e. ``d <= e < add_months(d, W)``;
- TGW = defects per 100 units, R/1000 = repairs per 1,000 units, CPU = cost per unit.

The report counts in the database: it asks for the units, defects, repairs and cost of each
group and window with ``GROUP BY`` and ``CASE`` sums, using ``maturity_cutoff`` (computed here)
for the units and the same formula as ``months_in_service`` for the events. These functions do
the arithmetic on the handful of groups that come back. Nothing here imports frappe.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from service_control.core.dates import add_months
from service_control.core.errors import DomainError, SettingsError, _

CPU = "CPU"
TGW = "TGW"
R1000 = "R/1000"
INDICATORS = (CPU, TGW, R1000)

SHORT_TERM = "Short-term"
LONG_TERM = "Long-term"
WINDOWS = (SHORT_TERM, LONG_TERM)
DEFAULT_SHORT_TERM_MONTHS = 3
DEFAULT_LONG_TERM_MONTHS = 12

#: The unit of measure a Quality Goal objective bound to an indicator must use.
INDICATOR_UOM = {
	CPU: "Cost per Unit",
	TGW: "Defects per 100 Units",
	R1000: "Repairs per 1000 Units",
}

ITEM = "Item"
ITEM_GROUP = "Item Group"
TERRITORY = "Territory"
CUSTOMER_GROUP = "Customer Group"
DELIVERY_MONTH = "Delivery Month"
GROUP_BY = (ITEM_GROUP, ITEM, TERRITORY, CUSTOMER_GROUP, DELIVERY_MONTH)

#: A survey answer names a defect when its score is at most this share of the scale
#: (1 on a 1-5 scale; 0, 1 or 2 on a 0-10 scale).
DEFECT_SCORE_PERCENT = 20.0

#: The longest window the report and the cohort view accept (ten years).
MAX_MONTHS = 120


class IndicatorError(DomainError):
	"""A window, indicator or binding that makes no sense."""


# ------------------------------------------------------------------------------------------
# Windows (Service Control Settings)


@dataclass(frozen=True)
class IndicatorWindows:
	short_term: int = DEFAULT_SHORT_TERM_MONTHS
	long_term: int = DEFAULT_LONG_TERM_MONTHS

	def months(self, window: str) -> int:
		if window == SHORT_TERM:
			return self.short_term
		if window == LONG_TERM:
			return self.long_term
		raise IndicatorError(_("Unknown indicator window {0}: use Short-term or Long-term."), window)


def validate_windows(short_term: int | None, long_term: int | None) -> IndicatorWindows:
	"""Both windows whole positive months, the short one not longer than the long one."""
	for label, months in ((_("short-term"), short_term), (_("long-term"), long_term)):
		if months is None or int(months) != months or months <= 0:
			raise SettingsError(
				_("The {0} indicator window must be a whole number of months greater than zero, not {1}."),
				label,
				months,
			)
		if months > MAX_MONTHS:
			raise SettingsError(
				_("The {0} indicator window of {1} months is longer than {2} months."),
				label,
				months,
				MAX_MONTHS,
			)
	if short_term > long_term:
		raise SettingsError(
			_(
				"The short-term indicator window ({0} months) cannot be longer than the long-term one ({1} months)."
			),
			short_term,
			long_term,
		)
	return IndicatorWindows(int(short_term), int(long_term))


# ------------------------------------------------------------------------------------------
# Months in service


def months_in_service(delivered: date, on: date) -> int:
	"""The month in service ``on`` falls in for a unit delivered on ``delivered``: 1 from the
	delivery day up to the same day a month later, 2 in the month after, ...; 0 or less before
	the delivery.

	The smallest ``k`` with ``on < add_months(delivered, k)``. Computed as the report's SQL does:
	``k0`` calendar months apart (``PERIOD_DIFF``), plus one when ``on`` has reached the
	delivery's day in its month (``on >= DATE_ADD(delivered, INTERVAL k0 MONTH)``, which clamps to
	the month's end as ``add_months`` does).
	"""
	k0 = (on.year - delivered.year) * 12 + on.month - delivered.month
	return k0 + (1 if on >= add_months(delivered, k0) else 0)


def in_window(delivered: date, on: date, months: int) -> bool:
	"""The event ``on`` is within the first ``months`` months in service of the unit."""
	return 1 <= months_in_service(delivered, on) <= months


def is_mature(delivered: date, as_of: date, months: int) -> bool:
	"""Every day of the unit's first ``months`` months in service lies on or before ``as_of``."""
	return add_months(delivered, months) <= as_of


def maturity_cutoff(as_of: date, months: int) -> date:
	"""The last delivery date that is mature for ``months`` on ``as_of``.

	``add_months`` never decreases as the delivery date moves on, so the mature deliveries are
	exactly those on or before this date, and the report filters ``posting_date <= cutoff`` on
	its index. ``add_months(as_of, -months)`` is mature; the later days of its month may be too,
	when they clamp to the same month's end (31 Mar + 1 month = 30 Apr)."""
	candidate = add_months(as_of, -months)
	day = candidate
	while True:
		following = day + timedelta(days=1)
		if following.month != candidate.month or not is_mature(following, as_of, months):
			return day
		day = following


# ------------------------------------------------------------------------------------------
# The unit an event belongs to


def event_region(
	note_territory: str | None,
	note_customer_group: str | None,
	customer_territory: str | None,
	customer_group: str | None,
) -> tuple[str | None, str | None]:
	"""The territory and customer group an event counts under: its delivery note's, each one
	else its customer's. A complaint or repair request stores them on each save (the report then
	reads no delivery note or customer per event): a customer's later move counts from the case's
	next save."""
	return note_territory or customer_territory, note_customer_group or customer_group


# ------------------------------------------------------------------------------------------
# Figures per group and window


@dataclass
class WindowFigures:
	"""What the database counted for one group and window: mature units, the defects, repairs
	and cost of those units within the window."""

	units: float = 0.0
	defects: int = 0
	repairs: int = 0
	cost: float = 0.0

	def add(self, units: float = 0, defects: int = 0, repairs: int = 0, cost: float = 0) -> None:
		self.units += float(units or 0)
		self.defects += int(defects or 0)
		self.repairs += int(repairs or 0)
		self.cost += float(cost or 0)

	@property
	def tgw(self) -> float | None:
		"""Things gone wrong per 100 units."""
		return per(self.defects, self.units, 100)

	@property
	def r_per_1000(self) -> float | None:
		return per(self.repairs, self.units, 1000)

	@property
	def cpu(self) -> float | None:
		"""Cost per unit."""
		return per(self.cost, self.units, 1)

	def value(self, indicator: str) -> float | None:
		if indicator == CPU:
			return self.cpu
		if indicator == TGW:
			return self.tgw
		if indicator == R1000:
			return self.r_per_1000
		raise IndicatorError(_("Unknown indicator {0}: use CPU, TGW or R/1000."), indicator)


def per(part: float, units: float, scale: float) -> float | None:
	"""``part`` per ``scale`` units, rounded to 0.01; None without units in service (a group whose
	deliveries were all returned has none, and is not rated)."""
	if not units or units <= 0:
		return None
	return round(scale * float(part) / float(units), 2)


@dataclass
class GroupFigures:
	group: tuple
	windows: dict[int, WindowFigures] = field(default_factory=dict)

	def window(self, months: int) -> WindowFigures:
		if months not in self.windows:
			self.windows[months] = WindowFigures()
		return self.windows[months]


#: The measures the database returns per group and window, in the order of a row's values.
MEASURES = ("units", "defects", "repairs", "cost")


def merge(sources: Iterable[tuple[str, Iterable[Sequence]]], windows: Sequence[int], keys: int) -> dict:
	"""Figures per group from the database's grouped rows.

	``sources`` are ``(measure, rows)``: each row holds ``keys`` group values, then one sum per
	window in ``windows`` order (the units query, the complaints query, ... each return their
	own rows; the same group may come from several). Returns ``{group: GroupFigures}``.
	"""
	if len(set(windows)) != len(windows):
		raise IndicatorError(_("Each window may be asked for once."))
	out: dict[tuple, GroupFigures] = {}
	for measure, rows in sources:
		if measure not in MEASURES:
			raise IndicatorError(_("Unknown measure {0}."), measure)
		for row in rows:
			group = tuple(row[:keys])
			values = row[keys:]
			if len(values) != len(windows):
				raise IndicatorError(
					_("A grouped row has {0} values for {1} windows."), len(values), len(windows)
				)
			figures = out.setdefault(group, GroupFigures(group))
			for months, value in zip(windows, values, strict=True):
				figures.window(months).add(**{measure: value})
	return out


def sort_groups(groups: dict) -> list[GroupFigures]:
	"""Groups by name, the empty group (events whose item or territory is unknown) last."""
	return sorted(groups.values(), key=lambda g: tuple((v is None or v == "", str(v or "")) for v in g.group))


def total(groups: Iterable[GroupFigures], windows: Sequence[int]) -> GroupFigures:
	out = GroupFigures(())
	for g in groups:
		for months in windows:
			w = g.windows.get(months)
			if w:
				out.window(months).add(w.units, w.defects, w.repairs, w.cost)
	return out


def cohort_windows(months: int) -> list[int]:
	"""MIS 1..``months`` for the cohort view."""
	if months < 1 or months > MAX_MONTHS:
		raise IndicatorError(_("The cohort view shows 1 to {0} months in service."), MAX_MONTHS)
	return list(range(1, months + 1))


# ------------------------------------------------------------------------------------------
# Quality Goal objectives bound to an indicator


def check_binding(
	indicator: str | None, window: str | None, uom: str | None, target, company: str | None = None
) -> float | None:
	"""An objective bound to an indicator names a known indicator, window and company, uses the
	indicator's unit of measure and a numeric target. Returns the target as a number."""
	if not indicator:
		return None
	if indicator not in INDICATORS:
		raise IndicatorError(_("Unknown indicator {0}: use CPU, TGW or R/1000."), indicator)
	if window not in WINDOWS:
		raise IndicatorError(_("Choose the Short-term or Long-term window for indicator {0}."), indicator)
	if not company:
		raise IndicatorError(_("Choose the company whose {0} the objective reviews."), indicator)
	expected = INDICATOR_UOM[indicator]
	if uom != expected:
		raise IndicatorError(
			_("An objective bound to {0} is measured in {1}, not {2}."), indicator, expected, uom or "-"
		)
	try:
		return float(str(target).strip())
	except (TypeError, ValueError):
		raise IndicatorError(
			_("The target of an objective bound to {0} must be a number, not {1}."), indicator, target
		) from None


PASSED = "Passed"
FAILED = "Failed"
OPEN = "Open"


def review_status(achieved: float | None, target: float) -> str:
	"""Lower is better for all three indicators: at or under the target passes; with no unit in
	service there is nothing to judge and the objective stays Open."""
	if achieved is None:
		return OPEN
	return PASSED if achieved <= target + 1e-9 else FAILED


def review_period(on: date, frequency: str | None) -> str:
	"""The period a review belongs to, for one CAPA per goal, objective and period: the quarter
	for quarterly goals, the month otherwise."""
	if frequency == "Quarterly":
		return f"{on.year:04d}-Q{(on.month - 1) // 3 + 1}"
	return f"{on.year:04d}-{on.month:02d}"


def capa_key(goal: str, objective_idx: int, indicator: str, window: str, period: str) -> str:
	"""What a CAPA offered for a failed objective records as its "where": one per goal, objective
	and period, so a daily review that fails again in the month finds the CAPA already there."""
	return f"Quality Goal {goal}, objective {objective_idx} ({indicator}, {window}), {period}"
