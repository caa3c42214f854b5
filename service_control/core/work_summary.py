"""The yearly service work summary (服务工作总结) per region, and the company's consolidation.

Each region (an ERPNext Territory) summarises its year: complaints by category and count, repeat
complaints, SLA on-time rates, the satisfaction index and its trend, the service indicators
against their targets, the top causes. The figures come from the rules that already exist
(``core.indicators`` for the Pareto, repeat chains and on-time rates, ``core.survey`` for the
satisfaction index, ``core.service_indicators`` for CPU / TGW / R/1000); this module holds what is
the summary's own: its year, when it may be submitted, the trend between two figures, and how
the regions add up to the company. Nothing here imports frappe.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from service_control.core.errors import DomainError, _
from service_control.core.indicators import ParetoRow, pareto
from service_control.core.survey import QUARTERLY, plan_periods

#: The earliest and latest year a summary may be made for.
MIN_YEAR = 2000
MAX_YEAR = 2100

#: How many causes (items, responsibilities) a summary keeps, at most, per dimension.
TOP_CAUSES = 5

IMPROVED = "Improved"
DECLINED = "Declined"
UNCHANGED = "Unchanged"

#: The narrative a region must write before it submits its summary (fieldname → label).
NARRATIVE_FIELDS = {
	"shortcomings": "Shortcomings",
	"customer_needs": "Customers' Needs and Complaints",
	"improvements": "Improvements",
}

PENDING_REVIEW = "Pending Review"
APPROVED = "Approved"
RETURNED = "Returned"


class WorkSummaryError(DomainError):
	"""A summary for a year that makes no sense, submitted too early, twice, or incomplete."""


@dataclass(frozen=True)
class SummaryYear:
	year: int
	start: date
	end: date

	@property
	def previous(self) -> "SummaryYear":
		return summary_year(self.year - 1)

	def has_ended(self, today: date) -> bool:
		return today > self.end

	def as_of(self, today: date) -> date:
		"""The date the year's figures are read at: its last day, or today while it runs."""
		return min(self.end, today)

	def quarters(self) -> list[str]:
		"""The satisfaction periods of the year by quarter (``2026-Q1`` … ``2026-Q4``)."""
		return [p.key for p in plan_periods(self.year, QUARTERLY)]


def summary_year(year) -> SummaryYear:
	"""The calendar year a summary covers; a whole number between ``MIN_YEAR`` and ``MAX_YEAR``."""
	try:
		value = int(year)
	except (TypeError, ValueError):
		raise WorkSummaryError(
			_("The year of a service work summary must be a number, not {0}."), year
		) from None
	if value != year and str(value) != str(year).strip():
		raise WorkSummaryError(_("The year of a service work summary must be a number, not {0}."), year)
	if not MIN_YEAR <= value <= MAX_YEAR:
		raise WorkSummaryError(
			_("The year of a service work summary must lie between {0} and {1}, not {2}."),
			MIN_YEAR,
			MAX_YEAR,
			value,
		)
	return SummaryYear(value, date(value, 1, 1), date(value, 12, 31))


def check_can_submit(year, today: date, narrative: dict | None = None) -> None:
	"""A summary is submitted once its year has ended, with its narrative written (a draft of a
	running year may be saved and refreshed as often as the region likes)."""
	span = summary_year(year)
	if not span.has_ended(today):
		raise WorkSummaryError(
			_("The service work summary of {0} can be submitted from {1}, once the year has ended."),
			span.year,
			date(span.year + 1, 1, 1).isoformat(),
		)
	missing = [label for field, label in NARRATIVE_FIELDS.items() if not _text(narrative, field)]
	if narrative is not None and missing:
		raise WorkSummaryError(_("Fill in before submitting: {0}."), ", ".join(missing))


def _text(narrative: dict | None, field: str) -> str:
	value = (narrative or {}).get(field) or ""
	# a Text Editor left empty stores "<div><br></div>" or "<p></p>"
	stripped = value
	for tag in ("<div>", "</div>", "<p>", "</p>", "<br>", "<br/>", "&nbsp;"):
		stripped = stripped.replace(tag, "")
	return stripped.strip()


def check_unique(year, region: str, others: Sequence[str]) -> None:
	"""One summary per company, region and year: ``others`` are the live (not cancelled)
	summaries already there for them."""
	if others:
		raise WorkSummaryError(
			_("The service work summary of {0} for {1} already exists: {2}."),
			region,
			summary_year(year).year,
			others[0],
		)


def check_reviewer(review_status: str | None, docstatus: int, comments: str | None, approve: bool) -> None:
	"""The sales head reviews a submitted summary once; sending it back needs a comment."""
	if docstatus != 1:
		raise WorkSummaryError(_("Only a submitted service work summary can be reviewed."))
	if review_status == APPROVED:
		raise WorkSummaryError(_("This service work summary has already been approved."))
	if not approve and not (comments or "").strip():
		raise WorkSummaryError(_("Say in the review comments why the summary is returned."))


# ------------------------------------------------------------------------------------------
# Trends


def change(current: float | None, previous: float | None) -> float | None:
	"""``current - previous`` rounded to 0.01; None when either is unknown."""
	if current is None or previous is None:
		return None
	return round(float(current) - float(previous), 2)


def trend(current: float | None, previous: float | None, higher_is_better: bool = True) -> str | None:
	"""Improved, Declined or Unchanged from the previous figure to the current one."""
	delta = change(current, previous)
	if delta is None:
		return None
	if abs(delta) < 0.005:
		return UNCHANGED
	return IMPROVED if (delta > 0) == higher_is_better else DECLINED


# ------------------------------------------------------------------------------------------
# Causes


def top_causes(rows: Iterable[ParetoRow], limit: int = TOP_CAUSES) -> list[ParetoRow]:
	"""The vital few of a Pareto (the causes that make up 80 % of the complaints), at most
	``limit``, the unknown cause left out."""
	return [r for r in rows if r.vital_few and r.key is not None][:limit]


# ------------------------------------------------------------------------------------------
# The company summary


@dataclass
class RegionFigures:
	"""What a submitted regional summary contributes to the company's."""

	region: str
	complaints: int = 0
	previous_complaints: int = 0
	repeat_complaints: int = 0
	responses: int = 0
	satisfaction: float | None = None
	previous_responses: int = 0
	previous_satisfaction: float | None = None


@dataclass
class CompanyFigures:
	complaints: int
	previous_complaints: int
	repeat_complaints: int
	responses: int
	satisfaction: float | None
	previous_satisfaction: float | None

	@property
	def satisfaction_change(self) -> float | None:
		return change(self.satisfaction, self.previous_satisfaction)

	@property
	def satisfaction_trend(self) -> str | None:
		return trend(self.satisfaction, self.previous_satisfaction)


def weighted_mean(pairs: Iterable[tuple[float | None, int]]) -> float | None:
	"""The mean of regional indices weighted by their responses: the index of all the responses
	together (to the regions' rounding of 0.01)."""
	total = count = 0.0
	for value, weight in pairs:
		if value is None or not weight:
			continue
		total += float(value) * weight
		count += weight
	return round(total / count, 2) if count else None


def consolidate(regions: Sequence[RegionFigures]) -> CompanyFigures:
	"""The company's figures from its regions' summaries."""
	names = [r.region for r in regions]
	if len(set(names)) != len(names):
		raise WorkSummaryError(_("Each region may be consolidated once."))
	return CompanyFigures(
		complaints=sum(r.complaints for r in regions),
		previous_complaints=sum(r.previous_complaints for r in regions),
		repeat_complaints=sum(r.repeat_complaints for r in regions),
		responses=sum(r.responses for r in regions),
		satisfaction=weighted_mean((r.satisfaction, r.responses) for r in regions),
		previous_satisfaction=weighted_mean((r.previous_satisfaction, r.previous_responses) for r in regions),
	)


def consolidate_counts(counts: Iterable[tuple[str | None, int]]) -> list[ParetoRow]:
	"""Complaints by category over all regions, as a Pareto (``core.indicators.pareto`` adds the
	duplicate keys up)."""
	return pareto(counts)


def check_company_can_submit(year, today: date, regions: Sequence[tuple[str, str | None]]) -> None:
	"""The company summary goes to management once the year has ended and the sales head has
	approved every regional summary it consolidates (``regions``: region, review status)."""
	check_can_submit(year, today)
	if not regions:
		raise WorkSummaryError(_("There is no submitted regional summary of {0} to consolidate."), year)
	pending = [region for region, status in regions if status != APPROVED]
	if pending:
		raise WorkSummaryError(
			_("The sales head has not yet approved the summaries of: {0}."), ", ".join(pending)
		)
