"""Repair service (维修服务): the three guarantees (三包), the repair request's life and statistics.

Three guarantees: 包修 repair, 包换 replace, 包退 refund. From the delivery date a customer may
ask for a refund within ``refund_days``, a replacement within ``replace_days`` (a refund window
also allows a replacement), and a repair at any time: free while the serial number is under
warranty or an AMC (maintenance contract), chargeable once both have run out. The warranty runs
to the Serial No's own warranty expiry date; without one, ``warranty_months`` from delivery.

Repair request status flow (报修登记表 → 维修反馈单 → 回访/结案): Open (registered) → Assigned
(a Service Technician takes it) → In Progress (a feedback form is being filled) → Resolved (a
feedback form was submitted with a result) → Closed (after-sales confirms). Awaiting Customer
pauses the SLA clocks; a result of Not Fixed sends the request back to In Progress for another
visit; Cancelled is for requests registered in error.

Statistics (维修统计表) work on plain ``RepairRecord`` rows: first-time-fix rate, mean time to
repair on any ``Clock`` (working time with ``WorkingCalendar``), satisfaction rate from the
customer's verification, repairs per 1,000 delivered units (R/1000), and monthly / annual
三包 summaries.
"""

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from service_control.core.dates import add_months
from service_control.core.errors import DomainError, TransitionError, _
from service_control.core.history import check_chronology, require_end
from service_control.core.record_lock import check_final_edit
from service_control.core.working_time import Clock


class RepairError(DomainError):
	"""A repair request or feedback form that breaks a rule."""


# ------------------------------------------------------------------------------------------
# Three guarantees (三包)

REPAIR = "Repair"
REPLACE = "Replace"
REFUND = "Refund"
REMEDIES = (REPAIR, REPLACE, REFUND)

UNDER_WARRANTY = "Under Warranty"
UNDER_AMC = "Under AMC"
OUT_OF_WARRANTY = "Out of Warranty"
UNKNOWN = "Unknown"


@dataclass(frozen=True)
class WarrantyPolicy:
	"""Service Control Settings: warranty_refund_days, warranty_replace_days, warranty_months."""

	refund_days: int = 7
	replace_days: int = 15
	warranty_months: int = 12

	def __post_init__(self) -> None:
		if self.refund_days < 0 or self.replace_days < 0 or self.warranty_months < 0:
			raise RepairError(_("Warranty days and months cannot be negative."))
		if self.refund_days > self.replace_days:
			raise RepairError(
				_("The refund period ({0} days) cannot be longer than the replacement period ({1} days)."),
				self.refund_days,
				self.replace_days,
			)


#: The law's periods (7 / 15 days, 12 months), when settings give none.
DEFAULT_POLICY = WarrantyPolicy()


@dataclass(frozen=True)
class WarrantyStatus:
	status: str  # Under Warranty / Under AMC / Out of Warranty / Unknown
	warranty_expiry: date | None
	amc_expiry: date | None
	days_since_delivery: int | None

	@property
	def covered(self) -> bool:
		return self.status in (UNDER_WARRANTY, UNDER_AMC)


@dataclass(frozen=True)
class WarrantyDecision:
	remedy: str
	chargeable: bool
	allowed: tuple[str, ...]
	status: WarrantyStatus


def warranty_status(
	today: date,
	*,
	delivery_date: date | None,
	warranty_expiry_date: date | None = None,
	amc_expiry_date: date | None = None,
	policy: WarrantyPolicy = DEFAULT_POLICY,
) -> WarrantyStatus:
	"""Warranty on ``today``: the serial's own expiry, else delivery + warranty_months; an AMC
	that runs longer keeps the serial covered."""
	if delivery_date and delivery_date > today:
		raise RepairError(
			_("The unit was delivered on {0}, after the repair was reported on {1}."), delivery_date, today
		)
	expiry = warranty_expiry_date
	if expiry is None and delivery_date is not None:
		expiry = add_months(delivery_date, policy.warranty_months)
	days = (today - delivery_date).days if delivery_date else None
	if expiry is not None and today <= expiry:
		status = UNDER_WARRANTY
	elif amc_expiry_date is not None and today <= amc_expiry_date:
		status = UNDER_AMC
	elif expiry is None and amc_expiry_date is None:
		status = UNKNOWN
	else:
		status = OUT_OF_WARRANTY
	return WarrantyStatus(status, expiry, amc_expiry_date, days)


def allowed_remedies(status: WarrantyStatus, policy: WarrantyPolicy = DEFAULT_POLICY) -> tuple[str, ...]:
	days = status.days_since_delivery
	allowed = [REPAIR]
	if days is not None and days <= policy.replace_days:
		allowed.append(REPLACE)
	if days is not None and days <= policy.refund_days:
		allowed.append(REFUND)
	return tuple(allowed)


def decide(
	requested: str,
	today: date,
	*,
	delivery_date: date | None,
	warranty_expiry_date: date | None = None,
	amc_expiry_date: date | None = None,
	policy: WarrantyPolicy = DEFAULT_POLICY,
) -> WarrantyDecision:
	"""The 三包 decision for the remedy asked for; a remedy the rules do not allow is refused.

	A repair is free while covered (warranty or AMC) and chargeable otherwise; with no delivery
	date and no expiry known the coverage is Unknown and the repair is chargeable. Replace and
	refund are free (that is the guarantee) and need a known delivery date.
	"""
	if requested not in REMEDIES:
		raise RepairError(_("Unknown remedy {0}: choose Repair, Replace or Refund."), requested)
	status = warranty_status(
		today,
		delivery_date=delivery_date,
		warranty_expiry_date=warranty_expiry_date,
		amc_expiry_date=amc_expiry_date,
		policy=policy,
	)
	allowed = allowed_remedies(status, policy)
	if requested not in allowed:
		if status.days_since_delivery is None:
			raise RepairError(
				_("{0} needs the delivery date: link the delivery note or serial no."), requested
			)
		limit = policy.refund_days if requested == REFUND else policy.replace_days
		raise RepairError(
			_("{0} is allowed only within {1} days of delivery; this unit was delivered {2} days ago."),
			requested,
			limit,
			status.days_since_delivery,
		)
	chargeable = requested == REPAIR and not status.covered
	return WarrantyDecision(requested, chargeable, allowed, status)


# ------------------------------------------------------------------------------------------
# Checks of linked records (the adapter loads the facts from the database)


TECHNICIAN_ROLE = "Service Technician"
#: Roles that see every repair request; a Service Technician without one of them sees only the
#: requests assigned to them (and their feedback forms).
MANAGING_ROLES = frozenset(
	{"System Manager", "Customer Service User", "Quality Manager", "General Manager", "Accounts User"}
)


def sees_only_assigned(roles: Iterable[str]) -> bool:
	roles = set(roles)
	return TECHNICIAN_ROLE in roles and not roles & MANAGING_ROLES


def check_technician(user: str | None, roles: Iterable[str], enabled: bool = True) -> None:
	if not user:
		return
	if not enabled:
		raise RepairError(_("User {0} is disabled."), user)
	if TECHNICIAN_ROLE not in set(roles):
		raise RepairError(_("{0} does not have the Service Technician role."), user)


@dataclass(frozen=True)
class WarehouseInfo:
	name: str
	company: str | None
	is_group: bool = False
	disabled: bool = False


def check_part(
	idx: int,
	item_code: str,
	qty: float,
	warehouse: WarehouseInfo | None,
	company: str,
	available_qty: float,
) -> None:
	"""A part row of a feedback form: a positive quantity from a usable warehouse that has it."""
	if not qty or qty <= 0:
		raise RepairError(_("Part row {0}: quantity must be greater than zero."), idx)
	if warehouse is None:
		raise RepairError(_("Part row {0}: choose the warehouse the part comes from."), idx)
	if warehouse.is_group:
		raise RepairError(_("Part row {0}: warehouse {1} is a group warehouse."), idx, warehouse.name)
	if warehouse.disabled:
		raise RepairError(_("Part row {0}: warehouse {1} is disabled."), idx, warehouse.name)
	if warehouse.company != company:
		raise RepairError(
			_("Part row {0}: warehouse {1} belongs to {2}, not {3}."),
			idx,
			warehouse.name,
			warehouse.company,
			company,
		)
	if available_qty < qty:
		raise RepairError(
			_("Part row {0}: only {1} of {2} in stock in {3}, {4} needed."),
			idx,
			available_qty,
			item_code,
			warehouse.name,
			qty,
		)


def check_refund(amount: float, refundable: float, invoice: str | None) -> None:
	"""A refund needs the original invoice and cannot exceed what is left to refund on it."""
	if not invoice:
		raise RepairError(_("A refund needs the original Sales Invoice."))
	if amount <= 0:
		raise RepairError(_("The refund amount must be greater than zero."))
	if amount > refundable + 0.005:
		raise RepairError(
			_("The refund of {0} is more than the {1} left to refund on invoice {2}."),
			amount,
			refundable,
			invoice,
		)


def check_replacement(item_code: str, warehouse: str | None, available_qty: float) -> None:
	if not warehouse:
		raise RepairError(_("Choose the warehouse the replacement comes from."))
	if available_qty < 1:
		raise RepairError(_("No replacement {0} in stock in {1}."), item_code, warehouse)


# ------------------------------------------------------------------------------------------
# Feedback form (维修反馈单)

FIXED = "Fixed"
NOT_FIXED = "Not Fixed"
REPLACED = "Replaced"
REFUNDED = "Refunded"
RESULTS = (FIXED, NOT_FIXED, REPLACED, REFUNDED)
RESULT_FOR_REMEDY = {REPAIR: (FIXED, NOT_FIXED), REPLACE: (REPLACED,), REFUND: (REFUNDED,)}


@dataclass
class VisitRow:
	visit_date: date | None
	technician: str | None
	hours: float | None


@dataclass
class FeedbackFacts:
	reported_on: datetime | None = None
	visits: list[VisitRow] = field(default_factory=list)
	fault_found: str | None = None
	work_done: str | None = None
	result: str | None = None
	remedy: str | None = None
	quality_rating: float | None = None
	attitude_rating: float | None = None
	verification_comment: str | None = None
	verifier_name: str | None = None
	signature: str | None = None
	#: when the customer verified the work (a form of imported history brings its real time)
	verified_on: datetime | None = None

	@property
	def verified(self) -> bool:
		return bool(
			self.quality_rating
			or self.attitude_rating
			or self.verifier_name
			or self.signature
			or self.verification_comment
		)

	@property
	def work_recorded(self) -> bool:
		return bool(self.visits and self.work_done and self.result)


def validate_feedback(facts: FeedbackFacts, today: date) -> None:
	"""Rules for every save of a feedback form."""
	for idx, visit in enumerate(facts.visits, start=1):
		if not visit.visit_date:
			raise RepairError(_("Visit row {0}: set the visit date."), idx)
		if visit.visit_date > today:
			raise RepairError(_("Visit row {0}: the visit date {1} is in the future."), idx, visit.visit_date)
		if facts.reported_on and visit.visit_date < facts.reported_on.date():
			raise RepairError(
				_("Visit row {0}: the visit on {1} is before the repair was reported."), idx, visit.visit_date
			)
		if not visit.technician:
			raise RepairError(_("Visit row {0}: name the technician."), idx)
		if visit.hours is None or visit.hours <= 0:
			raise RepairError(_("Visit row {0}: hours spent must be greater than zero."), idx)
		if visit.hours > 24:
			raise RepairError(_("Visit row {0}: more than 24 hours in one visit."), idx)
	if facts.result and facts.result not in RESULTS:
		raise RepairError(_("Unknown result {0}."), facts.result)
	if facts.result and facts.remedy and facts.result not in RESULT_FOR_REMEDY[facts.remedy]:
		raise RepairError(_("The result {0} does not match the remedy {1}."), facts.result, facts.remedy)
	if facts.verified and not facts.work_recorded:
		raise RepairError(
			_("Record the visit, the work done and the result before the customer verifies the work.")
		)
	for label, rating in (("Quality", facts.quality_rating), ("Attitude", facts.attitude_rating)):
		if rating is not None and not 0 <= rating <= 1:
			raise RepairError(_("{0} rating must lie between 0 and 1 (0 to 5 stars)."), label)


def default_labour(
	labour_item: str | None,
	labour_rate: float | None,
	company_item: str | None,
	company_rate: float | None,
) -> tuple[str | None, float]:
	"""The labour item and hourly rate of a feedback form: what the form says, else the company's
	defaults. The company's rate is the rate of the company's labour item, so it fills an empty
	rate only when the form charges that item."""
	item = labour_item or company_item
	rate = labour_rate or 0
	if not rate and item and item == company_item:
		rate = company_rate or 0
	return item, rate


@dataclass(frozen=True)
class PartRow:
	item_code: str
	qty: float
	rate: float
	chargeable: bool


def charge_lines(
	parts: Iterable[PartRow],
	chargeable: bool,
	labour_item: str | None,
	labour_rate: float,
	hours: float,
	history: bool = False,
) -> list[dict]:
	"""What a repair bills the customer: the parts marked chargeable at their rate, and the labour
	hours when the repair itself is chargeable (out of warranty) and a labour rate is set. A form
	of imported history was billed before the app, if at all: nothing is billed here."""
	if history:
		return []
	lines = [{"item_code": p.item_code, "qty": p.qty, "rate": p.rate} for p in parts if p.chargeable]
	if chargeable and labour_item and labour_rate and hours:
		lines.append({"item_code": labour_item, "qty": hours, "rate": labour_rate})
	return lines


def validate_feedback_submit(facts: FeedbackFacts) -> None:
	"""Submitting the form (the technician brings the company copy back) needs the whole record."""
	if not facts.visits:
		raise RepairError(_("Record at least one visit before submitting the feedback form."))
	if not facts.fault_found:
		raise RepairError(_("Record the fault found before submitting the feedback form."))
	if not facts.work_done:
		raise RepairError(_("Record the work done before submitting the feedback form."))
	if not facts.result:
		raise RepairError(_("Record the result before submitting the feedback form."))
	if facts.verified and not facts.verifier_name:
		raise RepairError(_("The customer's verification needs the verifier's name."))


def check_feedback_history(facts: FeedbackFacts, request_history: bool) -> None:
	"""A feedback form of imported history: the paper form of a past repair, imported submitted.

	It belongs to a repair request of imported history (a live request gets its forms here), holds
	the whole record a submitted form holds, and a verified one its real verification time, after
	the visits; the request takes its result as from a live form (``history_resolved_on``)."""
	if not request_history:
		raise RepairError(
			_("A feedback form of imported history belongs to a repair request of imported history.")
		)
	validate_feedback_submit(facts)
	if facts.verified and facts.verified_on is None:
		raise RepairError(_("An imported verified feedback form needs its real Verified On."))
	last_visit = max((v.visit_date for v in facts.visits if v.visit_date), default=None)
	check_chronology(
		[
			(_("Reported On"), facts.reported_on),
			(_("Visit Date"), last_visit),
			(_("Verified On"), facts.verified_on),
		]
	)


def fault_found(submitted_findings: Iterable[str | None]) -> bool:
	"""A repair request has a fault found once one of its submitted feedback forms names one,
	however many visits: one defect in the service indicators (TGW)."""
	return any((finding or "").strip() for finding in submitted_findings)


def history_resolved_on(facts: FeedbackFacts, now: datetime) -> datetime:
	"""When a form of imported history resolved its request: the customer's verification, else the
	end of its last visit day (never after now, never before the report)."""
	last_visit = max((v.visit_date for v in facts.visits if v.visit_date), default=None)
	if facts.verified_on is not None:
		when = facts.verified_on
	elif last_visit is not None:
		when = datetime.combine(last_visit, time(23, 59, 59))
	else:
		when = now
	if facts.reported_on is not None:
		when = max(when, facts.reported_on)
	return min(when, now)


# ------------------------------------------------------------------------------------------
# Repair request status machine

OPEN = "Open"
ASSIGNED = "Assigned"
IN_PROGRESS = "In Progress"
AWAITING_CUSTOMER = "Awaiting Customer"
RESOLVED = "Resolved"
CLOSED = "Closed"
CANCELLED = "Cancelled"
STATUSES = (OPEN, ASSIGNED, IN_PROGRESS, AWAITING_CUSTOMER, RESOLVED, CLOSED, CANCELLED)
FINAL_STATUSES = (CLOSED, CANCELLED)

TRANSITIONS = {
	(OPEN, ASSIGNED),
	(OPEN, CANCELLED),
	(ASSIGNED, IN_PROGRESS),
	(ASSIGNED, AWAITING_CUSTOMER),
	(ASSIGNED, RESOLVED),
	(ASSIGNED, CANCELLED),
	(IN_PROGRESS, AWAITING_CUSTOMER),
	(AWAITING_CUSTOMER, IN_PROGRESS),
	(AWAITING_CUSTOMER, ASSIGNED),
	(IN_PROGRESS, RESOLVED),
	(IN_PROGRESS, CANCELLED),
	(RESOLVED, IN_PROGRESS),
	(RESOLVED, CLOSED),
}


@dataclass
class RequestFacts:
	status: str = OPEN
	technician: str | None = None
	submitted_feedback: int = 0
	last_result: str | None = None
	verified: bool = False
	cancel_reason: str | None = None
	#: imported history (``check_request_history``): the result comes with the record, not from a
	#: feedback form submitted here
	history: bool = False
	reported_on: datetime | None = None
	first_response_on: datetime | None = None
	resolved_on: datetime | None = None
	closed_on: datetime | None = None

	@property
	def has_result(self) -> bool:
		"""A feedback form was submitted, or the imported record carries its result."""
		return bool(self.submitted_feedback or (self.history and self.last_result))


def check_request_transition(old: str | None, new: str, facts: RequestFacts) -> None:
	if old is None and facts.history:
		check_request_history(new, facts)
		return
	if old is None or old == new:
		if old is None and new not in (OPEN, ASSIGNED):
			raise TransitionError(_("A new repair request starts Open, not {0}."), new)
		if new == ASSIGNED and not facts.technician:
			raise TransitionError(_("Assign a Service Technician first."))
		return
	if (old, new) not in TRANSITIONS:
		raise TransitionError(_("A repair request cannot go from {0} to {1}."), old, new)
	_guard_request(new, facts)


def _guard_request(new: str, facts: RequestFacts) -> None:
	if new in (ASSIGNED, IN_PROGRESS) and not facts.technician:
		raise TransitionError(_("Assign a Service Technician first."))
	if new == RESOLVED:
		if not facts.has_result:
			raise TransitionError(_("Submit a repair feedback form before resolving the request."))
		if facts.last_result == NOT_FIXED:
			raise TransitionError(_("The last visit did not fix the fault: plan another visit."))
	if new == CLOSED and not facts.verified:
		raise TransitionError(_("The customer has not verified the repair yet: it cannot be closed."))
	if new == CANCELLED and not facts.cancel_reason:
		raise TransitionError(_("Give a reason for cancelling the repair request."))


def check_request_history(status: str, facts: RequestFacts) -> None:
	"""A repair request of imported history starts in the status it ended in: a resolved or closed
	one carries its result (not Not Fixed), a closed one the customer's verification and its
	closing time, a cancelled one its reason; its dates are in order."""
	if status == AWAITING_CUSTOMER:
		raise TransitionError(_("Import a repair request waiting for the customer as In Progress."))
	if status == CLOSED:
		_guard_request(RESOLVED, facts)  # closed without passing Resolved here: its result still counts
	_guard_request(status, facts)
	require_end(status == CLOSED, facts.closed_on, _("Closed On"))
	check_chronology(
		[
			(_("Reported On"), facts.reported_on),
			(_("First Response On"), facts.first_response_on),
			(_("Resolved On"), facts.resolved_on),
			(_("Closed On"), facts.closed_on),
		]
	)


def check_closed_edit(
	old_status: str | None, changed_fields: Iterable[str], roles: Iterable[str], reason: str | None
) -> None:
	"""A Closed or Cancelled repair request is read-only; a System Manager may correct it with a
	reason (kept in the document's version history)."""
	check_final_edit(
		old_status,
		changed_fields,
		roles,
		reason,
		final_statuses=FINAL_STATUSES,
		locked_message=_("Repair request is {0} and can no longer be edited."),
		reason_message=_("Give a reason for changing a {0} repair request."),
		error=RepairError,
	)


def next_status(facts: RequestFacts) -> str:
	"""Automatic moves: a technician assigns an Open request; a feedback result resolves it or,
	Not Fixed, sends it back to In Progress."""
	status = facts.status
	if status == OPEN and facts.technician:
		return ASSIGNED
	if status in (ASSIGNED, IN_PROGRESS) and facts.has_result and facts.last_result:
		return IN_PROGRESS if facts.last_result == NOT_FIXED else RESOLVED
	if status == RESOLVED and (not facts.has_result or facts.last_result in (None, NOT_FIXED)):
		return IN_PROGRESS  # the feedback form that resolved it was cancelled, or a revisit failed
	return status


# ------------------------------------------------------------------------------------------
# SLA targets for repair requests: respond, send a technician, repair, close. Calendar hours,
# like the complaint targets; an administrator may switch rows to working hours.

DEFAULT_REPAIR_TARGETS = (
	("Urgent", "First Reply", 4),
	("Urgent", "Arrangement", 24),
	("Urgent", "Resolution", 48),
	("Urgent", "Closure", 168),
	("Normal", "First Reply", 24),
	("Normal", "Arrangement", 48),
	("Normal", "Resolution", 168),
	("Normal", "Closure", 336),
)


# ------------------------------------------------------------------------------------------
# Statistics (维修统计表)

#: A rating counts as satisfied from 4 of 5 stars (Frappe stores ratings as 0-1 fractions).
SATISFIED_STARS = 4
RATING_STARS = 5
SATISFIED_RATING = SATISFIED_STARS / RATING_STARS


def satisfied_threshold(stars: float | None) -> float:
	"""Service Control Settings' repair_satisfied_rating (whole stars of 5) as the 0-1 fraction
	Frappe stores ratings in; empty means the default of 4 stars."""
	if stars in (None, "", 0):
		return SATISFIED_RATING
	if not 1 <= stars <= RATING_STARS:
		raise RepairError(_("A satisfied rating must be between 1 and {0} stars."), RATING_STARS)
	return stars / RATING_STARS


@dataclass(frozen=True)
class RepairRecord:
	name: str
	item_code: str | None
	reported_on: datetime
	resolved_on: datetime | None = None
	technician: str | None = None
	fault: str | None = None
	visits: int = 0
	result: str | None = None
	remedy: str = REPAIR
	chargeable: bool = False
	quality_rating: float | None = None
	attitude_rating: float | None = None


def first_time_fix_rate(records: Iterable[RepairRecord]) -> float | None:
	"""Share of completed repairs (remedy Repair, with a result) fixed at the first visit."""
	done = [r for r in records if r.remedy == REPAIR and r.result in (FIXED, NOT_FIXED)]
	if not done:
		return None
	return sum(1 for r in done if r.result == FIXED and r.visits == 1) / len(done)


def mean_time_to_repair(records: Iterable[RepairRecord], clock: Clock) -> timedelta | None:
	"""Mean clock time (working time on a WorkingCalendar) from report to resolution."""
	spans = [clock.between(r.reported_on, r.resolved_on) for r in records if r.resolved_on]
	if not spans:
		return None
	return sum(spans, timedelta(0)) / len(spans)


def is_satisfied(record: RepairRecord, threshold: float = SATISFIED_RATING) -> bool | None:
	ratings = [x for x in (record.quality_rating, record.attitude_rating) if x]
	if not ratings:
		return None
	return min(ratings) >= threshold - 1e-9


def satisfaction_rate(records: Iterable[RepairRecord], threshold: float = SATISFIED_RATING) -> float | None:
	"""Share of verified repairs whose every rating reaches ``threshold``."""
	verdicts = [v for v in (is_satisfied(r, threshold) for r in records) if v is not None]
	if not verdicts:
		return None
	return sum(verdicts) / len(verdicts)


def r_per_1000(repairs: float, delivered: float) -> float | None:
	"""Repairs per 1,000 delivered units; None when nothing was delivered."""
	if delivered <= 0:
		return None
	return repairs * 1000 / delivered


def r_per_1000_table(
	repairs: Mapping[Hashable, float], delivered: Mapping[Hashable, float]
) -> dict[Hashable, tuple[float, float, float | None]]:
	"""{key: (repairs, delivered, R/1000)} over the union of keys (e.g. (item, period))."""
	keys = sorted(set(repairs) | set(delivered), key=str)
	return {
		k: (repairs.get(k, 0), delivered.get(k, 0), r_per_1000(repairs.get(k, 0), delivered.get(k, 0)))
		for k in keys
	}


MONTHLY = "Monthly"
QUARTERLY = "Quarterly"
ANNUAL = "Annual"


def period_key(day: date | datetime, periodicity: str = MONTHLY) -> str:
	if periodicity == MONTHLY:
		return f"{day.year}-{day.month:02d}"
	if periodicity == QUARTERLY:
		return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
	if periodicity == ANNUAL:
		return str(day.year)
	raise RepairError(_("Unknown periodicity {0}: use Monthly, Quarterly or Annual."), periodicity)


@dataclass(frozen=True)
class RepairStats:
	repairs: int
	resolved: int
	first_time_fix_rate: float | None
	mttr: timedelta | None
	verified: int
	satisfaction_rate: float | None


def summarise(
	records: Iterable[RepairRecord], clock: Clock, threshold: float = SATISFIED_RATING
) -> RepairStats:
	"""``threshold``: the rating (0-1) from which a verification counts as satisfied."""
	records = list(records)
	return RepairStats(
		repairs=len(records),
		resolved=sum(1 for r in records if r.resolved_on),
		first_time_fix_rate=first_time_fix_rate(records),
		mttr=mean_time_to_repair(records, clock),
		verified=sum(1 for r in records if is_satisfied(r) is not None),
		satisfaction_rate=satisfaction_rate(records, threshold),
	)


def group_stats(
	records: Iterable[RepairRecord],
	key: Callable[[RepairRecord], Hashable],
	clock: Clock,
	threshold: float = SATISFIED_RATING,
) -> dict[Hashable, RepairStats]:
	groups: dict[Hashable, list[RepairRecord]] = {}
	for record in records:
		groups.setdefault(key(record), []).append(record)
	return {k: summarise(v, clock, threshold) for k, v in sorted(groups.items(), key=lambda kv: str(kv[0]))}


@dataclass
class GuaranteeCounts:
	"""One period of the 三包 summary."""

	repair_free: int = 0
	repair_chargeable: int = 0
	replace: int = 0
	refund: int = 0

	@property
	def total(self) -> int:
		return self.repair_free + self.repair_chargeable + self.replace + self.refund


def three_guarantees_summary(
	records: Iterable[RepairRecord], periodicity: str = MONTHLY
) -> dict[str, GuaranteeCounts]:
	"""三包 summary: per period, free and chargeable repairs, replacements and refunds."""
	out: dict[str, GuaranteeCounts] = {}
	for r in records:
		counts = out.setdefault(period_key(r.reported_on, periodicity), GuaranteeCounts())
		if r.remedy == REPLACE:
			counts.replace += 1
		elif r.remedy == REFUND:
			counts.refund += 1
		elif r.chargeable:
			counts.repair_chargeable += 1
		else:
			counts.repair_free += 1
	return dict(sorted(out.items()))


# ------------------------------------------------------------------------------------------
# When things happened on a request, and who sees which requests


@dataclass(frozen=True)
class RequestEvents:
	assigned_on: datetime | None = None
	first_response_on: datetime | None = None
	closed_on: datetime | None = None


def record_request_events(
	old_status: str | None,
	status: str,
	technician_changed: bool,
	events: RequestEvents,
	now: datetime,
	history: bool = False,
) -> RequestEvents:
	"""A (new) technician stamps the assignment; leaving Open is the first response; closing
	stamps the time and reopening clears it. A new record of imported history keeps the dates it
	came with (the first response defaults to the assignment)."""
	if history and not old_status:
		return RequestEvents(
			assigned_on=events.assigned_on,
			first_response_on=events.first_response_on or events.assigned_on,
			closed_on=events.closed_on if status == CLOSED else None,
		)
	closed_on = events.closed_on
	if status == CLOSED and old_status != CLOSED:
		closed_on = now
	elif status != CLOSED:
		closed_on = None
	return RequestEvents(
		assigned_on=now if technician_changed else events.assigned_on,
		first_response_on=events.first_response_on or (now if status != OPEN else None),
		closed_on=closed_on,
	)


def request_stage_events(
	events: RequestEvents, planned_visit_on: datetime | None, resolved_on: datetime | None
) -> dict[str, datetime | None]:
	"""When each SLA stage of a repair was met: arranged once assigned with a planned visit."""
	return {
		"First Reply": events.first_response_on,
		"Arrangement": events.assigned_on if planned_visit_on else None,
		"Resolution": resolved_on,
		"Closure": events.closed_on,
	}
