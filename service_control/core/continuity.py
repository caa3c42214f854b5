"""Service continuity (服务连续性管理程序): the rating scale, the approval rules and the review dates.

The procedure: identify the customer services that support key business processes, analyse the
impact of their outage over time (business impact analysis, maximum tolerable outage), assess the
risks that threaten them (风险评估报告), write and approve a continuity plan (持续性计划), test it
(持续性测试报告), maintain it after every change, and invoke it when a disruption happens.

Plain Python: the adapters (the Continuity * controllers) hand in facts and rows, the functions
raise a ``ContinuityError`` or return a value. The daily job
(service_control.service_control.continuity_sweep) runs ``review_is_due`` / ``is_test_overdue``
as SQL on indexed date columns; ``test_continuity_plan.test_daily_job_selects_what_the_core_selects``
proves on generated plans that the SQL selects exactly what these functions select.
"""

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from service_control.core.errors import DomainError, _

#: The threats the procedure names; "Other" takes a description.
THREATS = (
	"Fire",
	"Power Loss",
	"Hardware Failure",
	"Natural Disaster",
	"Theft",
	"Sabotage",
	"Staff Crisis",
	"Other",
)
OTHER_THREAT = "Other"

#: Likelihood and impact are each rated 1 (rare / negligible) to 5 (almost certain / severe).
SCALE_MIN, SCALE_MAX = 1, 5
#: Bands of likelihood x impact (1 to 25), highest first: (lowest score of the band, band).
RISK_BANDS = ((15, "Critical"), (10, "High"), (5, "Medium"), (1, "Low"))
#: A risk scoring this or more needs a treatment and its owner before the report is approved.
TREATMENT_THRESHOLD = 10

#: Impact of an outage on each dimension, 0 (none) to 5 (catastrophic), in the business impact analysis.
IMPACT_MIN, IMPACT_MAX = 0, 5
IMPACT_DIMENSIONS = ("financial", "contractual", "reputation", "legal")
#: An impact level from which the outage is no longer tolerable (suggests the MTO).
INTOLERABLE_IMPACT = 4

#: Months between reviews of an approved plan and between its tests, unless the plan says otherwise.
DEFAULT_REVIEW_MONTHS = 12
DEFAULT_TEST_MONTHS = 12

TEST_TYPES = ("Walkthrough", "Simulation", "Full")

CONTINUITY_MANAGER = "Continuity Manager"
SYSTEM_MANAGER = "System Manager"
#: Roles that approve plans and risk reports and pause SLA clocks for a declared disruption.
APPROVER_ROLES = frozenset({CONTINUITY_MANAGER})

#: Invocation statuses.
INVOKED = "Invoked"
RECOVERED = "Recovered"
CLOSED = "Closed"
INVOCATION_STATUSES = (INVOKED, RECOVERED, CLOSED)


class ContinuityError(DomainError):
	pass


# ------------------------------------------------------------------------------------------
# Risk rating


def risk_score(likelihood: int | None, impact: int | None) -> int:
	"""Likelihood x impact, each 1 to 5; 0 until both are rated."""
	if likelihood in (None, 0) or impact in (None, 0):
		return 0
	for label, value in ((_("Likelihood"), likelihood), (_("Impact"), impact)):
		if int(value) != value or not SCALE_MIN <= value <= SCALE_MAX:
			raise ContinuityError(
				_("{0} must be a whole number from {1} to {2}, not {3}."), label, SCALE_MIN, SCALE_MAX, value
			)
	return int(likelihood) * int(impact)


def risk_band(score: int) -> str | None:
	"""Critical from 15, High from 10, Medium from 5, Low below; None while not rated."""
	for threshold, band in RISK_BANDS:
		if score >= threshold:
			return band
	return None


def needs_treatment(score: int) -> bool:
	return score >= TREATMENT_THRESHOLD


@dataclass
class Risk:
	"""One row of a risk assessment report."""

	threat: str | None = None
	description: str | None = None
	likelihood: int | None = None
	impact: int | None = None
	treatment: str | None = None
	treatment_owner: str | None = None
	idx: int = 0

	@property
	def score(self) -> int:
		return risk_score(self.likelihood, self.impact)


def validate_risks(risks: Iterable[Risk]) -> None:
	"""Rules that hold while the report is drafted: known threats, "Other" described, ratings in scale."""
	for risk in risks:
		if risk.threat not in THREATS:
			raise ContinuityError(_("Risk row {0}: unknown threat {1}."), risk.idx, risk.threat)
		if risk.threat == OTHER_THREAT and not _text(risk.description):
			raise ContinuityError(_("Risk row {0}: describe the threat."), risk.idx)
		risk.score


def check_risks_approvable(risks: Sequence[Risk]) -> None:
	"""A report is approved with at least one risk, each rated, and every risk at or above the
	threshold carrying a treatment and its owner."""
	if not risks:
		raise ContinuityError(_("Add at least one risk before approving the risk assessment."))
	validate_risks(risks)
	unrated = [str(r.idx) for r in risks if not r.score]
	if unrated:
		raise ContinuityError(_("Rate likelihood and impact of risk rows {0}."), ", ".join(unrated))
	untreated = [
		str(r.idx)
		for r in risks
		if needs_treatment(r.score) and not (_text(r.treatment) and r.treatment_owner)
	]
	if untreated:
		raise ContinuityError(
			_("Risk rows {0} score {1} or more: give each a treatment and its owner before approving."),
			", ".join(untreated),
			TREATMENT_THRESHOLD,
		)


# ------------------------------------------------------------------------------------------
# Business impact analysis


@dataclass
class ImpactRow:
	"""Impact levels of an outage that has lasted ``hours``."""

	hours: float = 0
	financial: int = 0
	contractual: int = 0
	reputation: int = 0
	legal: int = 0
	idx: int = 0

	@property
	def worst(self) -> int:
		return max(self.financial, self.contractual, self.reputation, self.legal)


def validate_impacts(rows: Sequence[ImpactRow]) -> None:
	"""Hours after the outage positive and each once; levels 0 to 5; an impact never falls as the
	outage goes on (a longer outage cannot hurt less)."""
	seen: set[float] = set()
	for row in rows:
		if row.hours is None or row.hours <= 0:
			raise ContinuityError(
				_("Impact row {0}: the hours after the outage must be more than 0."), row.idx
			)
		if row.hours in seen:
			raise ContinuityError(_("Impact row {0}: {1} hours is given twice."), row.idx, row.hours)
		seen.add(row.hours)
		for dimension in IMPACT_DIMENSIONS:
			level = getattr(row, dimension)
			if not IMPACT_MIN <= (level or 0) <= IMPACT_MAX:
				raise ContinuityError(
					_("Impact row {0}: levels run from {1} to {2}, not {3}."),
					row.idx,
					IMPACT_MIN,
					IMPACT_MAX,
					level,
				)
	ordered = sorted(rows, key=lambda r: r.hours)
	for earlier, later in pairwise(ordered):
		for dimension in IMPACT_DIMENSIONS:
			if (getattr(later, dimension) or 0) < (getattr(earlier, dimension) or 0):
				raise ContinuityError(
					_("Impact row {0}: the {1} impact after {2} hours is lower than after {3} hours."),
					later.idx,
					_(dimension),
					later.hours,
					earlier.hours,
				)


def suggested_mto(rows: Sequence[ImpactRow]) -> float | None:
	"""The maximum tolerable outage the analysis suggests: the first time at which any impact
	reaches INTOLERABLE_IMPACT; None when none does."""
	hit = [r.hours for r in rows if r.worst >= INTOLERABLE_IMPACT]
	return min(hit) if hit else None


def check_service_times(rto_hours: float | None, rpo_hours: float | None, mto_hours: float | None) -> None:
	"""The agreed recovery time cannot exceed the maximum tolerable outage (the service would be
	promised back only after the business can no longer bear its loss)."""
	for label, value in ((_("RTO"), rto_hours), (_("RPO"), rpo_hours), (_("MTO"), mto_hours)):
		if value is not None and value < 0:
			raise ContinuityError(_("{0} cannot be negative."), label)
	if rto_hours and mto_hours and rto_hours > mto_hours:
		raise ContinuityError(
			_("The agreed recovery time ({0} h) is longer than the maximum tolerable outage ({1} h)."),
			rto_hours,
			mto_hours,
		)


# ------------------------------------------------------------------------------------------
# Continuity plan


@dataclass
class Step:
	"""A recovery step of a plan (and, with ``actual_hours``, of a test or an invocation)."""

	step: str | None = None
	owner: str | None = None
	target_hours: float | None = None
	actual_hours: float | None = None
	idx: int = 0

	@property
	def met(self) -> bool | None:
		if self.actual_hours is None or self.target_hours is None:
			return None
		return self.actual_hours <= self.target_hours


def validate_steps(steps: Sequence[Step]) -> None:
	for step in steps:
		if not _text(step.step):
			raise ContinuityError(_("Recovery step {0}: describe the step."), step.idx)
		if step.target_hours is not None and step.target_hours < 0:
			raise ContinuityError(_("Recovery step {0}: the target time cannot be negative."), step.idx)
		if step.actual_hours is not None and step.actual_hours < 0:
			raise ContinuityError(_("Recovery step {0}: the actual time cannot be negative."), step.idx)


def recovery_target(steps: Sequence[Step]) -> float:
	"""The plan's recovery target: the latest step target (targets count from the invocation)."""
	return max((s.target_hours or 0 for s in steps), default=0)


def steps_beyond_mto(steps: Sequence[Step], mto_hours: float | None) -> list[int]:
	"""Steps whose target lies beyond the service's maximum tolerable outage (their idx)."""
	if not mto_hours:
		return []
	return [s.idx for s in steps if (s.target_hours or 0) > mto_hours]


def check_targets_within_mto(steps: Sequence[Step], mto_hours: float | None) -> None:
	"""An error, not a warning: a plan that recovers after the outage has become intolerable does
	not do what it is for, and approving it would record a promise the company cannot keep."""
	beyond = steps_beyond_mto(steps, mto_hours)
	if beyond:
		raise ContinuityError(
			_(
				"Recovery steps {0} have a target longer than the maximum tolerable outage of the service ({1} h)."
			),
			", ".join(str(i) for i in beyond),
			mto_hours,
		)


def check_approval(author: str | None, approver: str, roles: Iterable[str], steps: Sequence[Step]) -> None:
	"""A plan is approved by a Continuity Manager who did not write it, and only with recovery steps,
	each with an owner and a target time."""
	if not APPROVER_ROLES & set(roles):
		raise ContinuityError(_("Only a {0} approves a continuity plan."), CONTINUITY_MANAGER)
	if author and approver == author:
		raise ContinuityError(_("The author of a continuity plan cannot approve it."))
	if not steps:
		raise ContinuityError(_("Add the recovery steps before approving the continuity plan."))
	validate_steps(steps)
	incomplete = [str(s.idx) for s in steps if not s.owner or not s.target_hours]
	if incomplete:
		raise ContinuityError(
			_("Recovery steps {0} need an owner and a target time before approval."), ", ".join(incomplete)
		)


def check_can_test(plan: str, plan_docstatus: int | None) -> None:
	"""Only an approved (submitted) plan is tested."""
	if plan_docstatus != 1:
		raise ContinuityError(
			_("Continuity plan {0} is not approved: only an approved plan is tested."), plan
		)


def check_can_invoke(plan: str | None, plan_docstatus: int | None) -> None:
	if not plan:
		raise ContinuityError(_("Choose the continuity plan that is invoked."))
	if plan_docstatus != 1:
		raise ContinuityError(_("Continuity plan {0} is not approved and cannot be invoked."), plan)


# ------------------------------------------------------------------------------------------
# Review and test dates


def add_months(day: date, months: int) -> date:
	"""``day`` plus whole months, clamped to the end of a shorter month (31 Jan + 1 = 28/29 Feb)."""
	month_index = day.month - 1 + months
	year, month = day.year + month_index // 12, month_index % 12 + 1
	return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review(approved_on: date | None, reviewed_on: date | None, months: int | None) -> date | None:
	"""The next review of a plan: its interval after the latest of approval and last review."""
	base = max(filter(None, (approved_on, reviewed_on)), default=None)
	if not base:
		return None
	return add_months(base, months or DEFAULT_REVIEW_MONTHS)


def next_test(approved_on: date | None, last_tested_on: date | None, months: int | None) -> date | None:
	"""When the plan must next be tested: its test interval after the last test, or after approval
	when it has never been tested."""
	base = last_tested_on or approved_on
	if not base:
		return None
	return add_months(base, months or DEFAULT_TEST_MONTHS)


def review_is_due(docstatus: int, next_review_date: date | None, today: date) -> bool:
	"""An approved plan past its review date (the daily job reminds its owners, once per date)."""
	return docstatus == 1 and bool(next_review_date) and next_review_date < today


def is_test_overdue(docstatus: int, next_test_due: date | None, today: date) -> bool:
	"""An approved plan not tested within its interval (reminded once per date, and counted on the
	workspace)."""
	return docstatus == 1 and bool(next_test_due) and next_test_due < today


# ------------------------------------------------------------------------------------------
# Invocation


def recovery_hours(invoked_on, recovered_on) -> float | None:
	"""Hours from invocation to recovery (datetimes), rounded to minutes."""
	if not invoked_on or not recovered_on:
		return None
	if recovered_on < invoked_on:
		raise ContinuityError(_("The service cannot be recovered before the plan was invoked."))
	return round((recovered_on - invoked_on).total_seconds() / 3600, 2)


def check_pause(roles: Iterable[str], reason: str | None, status: str) -> None:
	"""The continuity management owner pauses the SLA clocks of a declared disruption's
	complaints, with a reason, while the invocation is open."""
	if not APPROVER_ROLES & set(roles):
		raise ContinuityError(_("Only a {0} pauses SLA clocks for a disruption."), CONTINUITY_MANAGER)
	if not _text(reason):
		raise ContinuityError(_("Give the reason for pausing the SLA clocks."))
	if status == CLOSED:
		raise ContinuityError(_("The invocation is closed: its complaints' clocks run again."))


def check_status(old: str | None, new: str, recovered_on) -> None:
	if new not in INVOCATION_STATUSES:
		raise ContinuityError(_("Unknown status {0}."), new)
	if old == CLOSED and new != CLOSED:
		raise ContinuityError(_("A closed invocation cannot be reopened."))
	if new in (RECOVERED, CLOSED) and not recovered_on:
		raise ContinuityError(_("Record when the service was recovered."))


def _text(value: str | None) -> str:
	return (value or "").strip()
