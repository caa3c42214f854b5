"""Customer satisfaction programme (顾客满意度调查): templates, scores, index, NPS, periods, links.

Frappe-free. A survey template lists weighted criteria (weights add up to 100) scored on a
1-5 or 0-10 scale; a response's weighted score is normalised to 0-100 so templates with
different scales feed one satisfaction index. A plan sends its survey once per period
(half-yearly by default: ``2026-H1``, ``2026-H2``; quarterly ``2026-Q1``…; annual ``2026-Y``).
Each request carries a personal link: an HMAC-SHA256 signature over the request name and its
expiry, with a site secret, so it works without a desk login and cannot be altered.
"""

import base64
import calendar
import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from service_control.core.dates import add_months
from service_control.core.errors import DomainError, _
from service_control.core.history import check_chronology, require_end


class SurveyError(DomainError):
	pass


class SurveyTokenError(SurveyError):
	"""An altered, malformed, expired or already used survey link."""


# ------------------------------------------------------------------------------------------
# Templates and scores

#: scale option → (lowest, highest) score
SCALES = {"1-5": (1, 5), "0-10": (0, 10)}
NPS_RANGE = (0, 10)
PROMOTER_MIN = 9
DETRACTOR_MAX = 6
WEIGHT_TOTAL = 100.0
_WEIGHT_TOLERANCE = 0.01


@dataclass(frozen=True)
class Criterion:
	label: str
	weight: float


def scale_bounds(scale: str) -> tuple[int, int]:
	if scale not in SCALES:
		raise SurveyError(_("Unknown survey scale {0}: use 1-5 or 0-10."), scale)
	return SCALES[scale]


def validate_template(criteria: Sequence[Criterion], scale: str) -> None:
	"""At least one criterion, distinct labels, positive weights adding up to 100, a known scale."""
	scale_bounds(scale)
	if not criteria:
		raise SurveyError(_("Add at least one criterion to the survey template."))
	seen = set()
	for c in criteria:
		if not (c.label or "").strip():
			raise SurveyError(_("Every criterion needs a label."))
		key = c.label.strip().lower()
		if key in seen:
			raise SurveyError(_("Criterion {0} appears twice."), c.label)
		seen.add(key)
		if c.weight is None or c.weight <= 0:
			raise SurveyError(_("The weight of criterion {0} must be greater than zero."), c.label)
	total = sum(c.weight for c in criteria)
	if abs(total - WEIGHT_TOTAL) > _WEIGHT_TOLERANCE:
		raise SurveyError(_("The criteria weights add up to {0}, not 100."), _fmt(total))


def check_score(score: float | None, scale: str, label: str) -> None:
	low, high = scale_bounds(scale)
	if score is None:
		raise SurveyError(_("Give a score for {0}."), label)
	if score < low or score > high or score != int(score):
		raise SurveyError(
			_("The score {0} for {1} is outside the scale {2} to {3}."), score, label, low, high
		)


def normalise(score: float, scale: str) -> float:
	"""A score on the template's scale as a percentage: the lowest score is 0, the highest 100."""
	low, high = scale_bounds(scale)
	return (score - low) * 100.0 / (high - low)


def weighted_score(criteria: Sequence[Criterion], scores: Mapping[str, float | None], scale: str) -> float:
	"""Weighted mean of the normalised criterion scores, 0-100. Every criterion must be scored."""
	total_weight = sum(c.weight for c in criteria)
	if not criteria or total_weight <= 0:
		raise SurveyError(_("Add at least one criterion to the survey template."))
	unknown = set(scores) - {c.label for c in criteria}
	if unknown:
		raise SurveyError(_("Criterion {0} is not in the survey template."), sorted(unknown)[0])
	total = 0.0
	for c in criteria:
		score = scores.get(c.label)
		check_score(score, scale, c.label)
		total += normalise(score, scale) * c.weight
	return round(total / total_weight, 2)


def check_nps_score(score: int | None, required: bool) -> None:
	if score is None:
		if required:
			raise SurveyError(_("Answer the question whether you would recommend us (0 to 10)."))
		return
	if score < NPS_RANGE[0] or score > NPS_RANGE[1] or score != int(score):
		raise SurveyError(_("The recommendation score {0} is outside the scale 0 to 10."), score)


# ------------------------------------------------------------------------------------------
# Index, NPS, response rate


@dataclass
class NpsResult:
	promoters: int = 0
	passives: int = 0
	detractors: int = 0

	@property
	def count(self) -> int:
		return self.promoters + self.passives + self.detractors

	def add(self, score: int) -> None:
		"""Promoters score 9-10, detractors 0-6, passives 7-8."""
		if score >= PROMOTER_MIN:
			self.promoters += 1
		elif score <= DETRACTOR_MAX:
			self.detractors += 1
		else:
			self.passives += 1

	@property
	def nps(self) -> float | None:
		"""% promoters - % detractors, from -100 to 100; None without answers."""
		if not self.count:
			return None
		return round((self.promoters - self.detractors) * 100.0 / self.count, 1)


def nps(scores: Iterable[int | None]) -> NpsResult:
	"""Promoters score 9-10, detractors 0-6, passives 7-8; unanswered scores are skipped."""
	result = NpsResult()
	for score in scores:
		if score is None:
			continue
		check_nps_score(score, required=True)
		result.add(score)
	return result


@dataclass
class ScoredResponse:
	"""One answered survey (or a case confirmation) as the index sees it."""

	period: str
	customer_group: str | None
	weighted_score: float
	criteria: Mapping[str, float] = field(default_factory=dict)  # criterion → normalised 0-100
	nps_score: int | None = None
	source: str | None = None


@dataclass
class IndexCell:
	count: int = 0
	total: float = 0.0
	nps: NpsResult = field(default_factory=NpsResult)

	@property
	def index(self) -> float | None:
		return round(self.total / self.count, 2) if self.count else None

	def add(self, score: float, nps_score: int | None = None) -> None:
		self.count += 1
		self.total += score
		if nps_score is not None:
			self.nps.add(nps_score)


GROUP_BY = ("period", "customer_group", "criterion")


def satisfaction_index(responses: Iterable[ScoredResponse], by: str) -> dict[str, IndexCell]:
	"""Mean score per period, customer group or criterion (0-100), with the NPS of each group.

	By period or customer group the score is each response's weighted score; by criterion it is
	the mean of that criterion's normalised scores (case confirmations have no criteria and are
	left out of that view).
	"""
	if by not in GROUP_BY:
		raise SurveyError(_("Group the satisfaction index by period, customer group or criterion."))
	cells: dict[str, IndexCell] = defaultdict(IndexCell)
	for r in responses:
		if by == "criterion":
			for label, score in r.criteria.items():
				cells[label].add(score)
		else:
			cells[getattr(r, by) or ""].add(r.weighted_score, r.nps_score)
	return dict(sorted(cells.items()))


def overall_index(responses: Iterable[ScoredResponse]) -> IndexCell:
	cell = IndexCell()
	for r in responses:
		cell.add(r.weighted_score, r.nps_score)
	return cell


def response_rate(requested: int, answered: int) -> float | None:
	"""Answered requests as a percentage of requests; None when nothing was requested."""
	if requested < 0 or answered < 0:
		raise SurveyError(_("Counts cannot be negative."))
	if not requested:
		return None
	return round(min(answered, requested) * 100.0 / requested, 1)


def below_target(cells: Mapping[str, IndexCell], target: float | None) -> list[str]:
	"""The groups (e.g. criteria) whose index is below the target percentage."""
	if not target:
		return []
	return [key for key, cell in cells.items() if cell.index is not None and cell.index < target]


#: Per-case satisfaction (a complaint's confirmation on closure, 满意度确认) on the 0-100 index
#: scale. An unreachable customer gave no answer, so the case is not counted.
CASE_SATISFACTION_SCORES = {
	"Satisfied": 100.0,
	"Partly Satisfied": 50.0,
	"Not Satisfied": 0.0,
	"Unreachable": None,
}


def case_score(satisfaction: str | None) -> float | None:
	return CASE_SATISFACTION_SCORES.get((satisfaction or "").strip())


def rating_score(*ratings: float | None) -> float | None:
	"""A repair's star ratings (Frappe stores 0-1 fractions; 0 or empty = not rated) on the 0-100
	index scale: the mean of the given ratings; None when the customer gave none."""
	given = [float(r) for r in ratings if r]
	if not given:
		return None
	if any(r < 0 or r > 1 for r in given):
		raise SurveyError(_("A rating must lie between 0 and 1 (0 to 5 stars)."))
	return round(sum(given) * 100.0 / len(given), 2)


# ------------------------------------------------------------------------------------------
# Periods

HALF_YEARLY = "Half-yearly"
QUARTERLY = "Quarterly"
ANNUAL = "Annual"
#: frequency → (periods a year, key letter)
FREQUENCIES = {HALF_YEARLY: (2, "H"), QUARTERLY: (4, "Q"), ANNUAL: (1, "Y")}
DEFAULT_FREQUENCY = HALF_YEARLY


@dataclass(frozen=True, order=True)
class Period:
	start: date
	end: date
	key: str


def _frequency(frequency: str | None) -> tuple[int, str]:
	frequency = frequency or DEFAULT_FREQUENCY
	if frequency not in FREQUENCIES:
		raise SurveyError(_("Unknown survey frequency {0}."), frequency)
	return FREQUENCIES[frequency]


def _period(year: int, count: int, letter: str, index: int) -> Period:
	months = 12 // count
	start = date(year, (index - 1) * months + 1, 1)
	end_month = index * months
	end = date(year, end_month, calendar.monthrange(year, end_month)[1])
	key = f"{year}-Y" if letter == "Y" else f"{year}-{letter}{index}"
	return Period(start, end, key)


def plan_periods(year: int, frequency: str | None = None) -> list[Period]:
	"""The survey periods of a plan year, in order."""
	if not year or year < 1900 or year > 9999:
		raise SurveyError(_("Give the plan year, for example 2026."))
	count, letter = _frequency(frequency)
	return [_period(year, count, letter, i) for i in range(1, count + 1)]


def period_of(day: date, frequency: str | None = None) -> Period:
	"""The period of ``frequency`` that contains ``day``."""
	count, letter = _frequency(frequency)
	index = (day.month - 1) // (12 // count) + 1
	return _period(day.year, count, letter, index)


def parse_period(key: str) -> Period:
	"""``2026-H1`` / ``2026-Q3`` / ``2026-Y`` → its Period."""
	try:
		year_text, part = (key or "").split("-", 1)
		year = int(year_text)
		letter = part[:1]
		frequency = next(f for f, (_count, lt) in FREQUENCIES.items() if lt == letter)
		count = FREQUENCIES[frequency][0]
		index = 1 if letter == "Y" and part == "Y" else int(part[1:])
		if letter == "Y" and part != "Y":
			raise ValueError
		if not 1 <= index <= count:
			raise ValueError
	except (ValueError, StopIteration):
		raise SurveyError(_("{0} is not a survey period such as 2026-H1, 2026-Q2 or 2026-Y."), key) from None
	return _period(year, count, letter, index)


def due_periods(year: int, frequency: str | None, on: date) -> list[Period]:
	"""The periods of the plan whose survey is due on ``on``: the one running on that day.

	Past periods are not sent late (a plan saved in autumn starts with the second half-year);
	a period is never due twice because requests are unique per plan, period and customer.
	"""
	return [p for p in plan_periods(year, frequency) if p.start <= on <= p.end]


# ------------------------------------------------------------------------------------------
# Personal survey links


def _b64(data: bytes) -> str:
	return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
	return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


#: What survey-link keys are derived for: a key made for one purpose signs nothing else.
LINK_KEY_PURPOSE = b"service_control/satisfaction-survey-link/v1"


def link_key(site_secret: str) -> str:
	"""The key survey links are signed with, derived from the site's secret.

	The site secret (Frappe's ``encryption_key``) also encrypts stored passwords; signing links
	with a key derived for this one purpose keeps the two uses apart.
	"""
	if not site_secret:
		raise SurveyError(_("No secret to sign survey links with."))
	return hmac.new(site_secret.encode("utf-8"), LINK_KEY_PURPOSE, hashlib.sha256).hexdigest()


def _signature(payload: str, secret: str) -> str:
	return _b64(hmac.new(secret.encode("utf-8"), payload.encode("utf-8"), hashlib.sha256).digest())


def sign_token(name: str, expires_on: date, secret: str) -> str:
	"""A URL-safe token ``<payload>.<signature>``; the payload is the request name and expiry date."""
	if not secret:
		raise SurveyError(_("No secret to sign survey links with."))
	if not name or "|" in name:
		raise SurveyError(_("Cannot sign a survey link for {0}."), name)
	payload = f"{name}|{expires_on.isoformat()}"
	return f"{_b64(payload.encode('utf-8'))}.{_signature(payload, secret)}"


def verify_token(
	token: str, secret: str, today: date, earlier_secrets: Sequence[str] = ()
) -> tuple[str, date]:
	"""(request name, expiry) of a genuine, unexpired token; SurveyTokenError otherwise.

	``earlier_secrets``: keys that signed links before a key change, accepted until those links
	expire, so a customer's link sent before an upgrade still opens.
	"""
	try:
		encoded, signature = (token or "").strip().split(".")
		payload = _unb64(encoded).decode("utf-8")
		name, expiry_text = payload.rsplit("|", 1)
		expires_on = date.fromisoformat(expiry_text)
	except (ValueError, UnicodeDecodeError):
		raise SurveyTokenError(
			_("This survey link is not valid. Please use the link from your e-mail.")
		) from None
	genuine = [key for key in (secret, *earlier_secrets) if key]
	if not any(hmac.compare_digest(signature, _signature(payload, key)) for key in genuine):
		raise SurveyTokenError(_("This survey link is not valid. Please use the link from your e-mail."))
	if today > expires_on:
		raise SurveyTokenError(_("This survey link expired on {0}."), expires_on.isoformat())
	return name, expires_on


def token_hash(token: str) -> str:
	"""What the request stores: the link itself never sits in the database."""
	return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


def check_token_matches(token: str, stored_hash: str | None) -> None:
	"""The link is the latest one sent for this request (a re-sent link replaces the old one)."""
	if not stored_hash or not hmac.compare_digest(token_hash(token), stored_hash):
		raise SurveyTokenError(_("This survey link is not valid. Please use the link from your e-mail."))


# ------------------------------------------------------------------------------------------
# Requests and responses

PENDING = "Pending"
SENT = "Sent"
ANSWERED = "Answered"
EXPIRED = "Expired"
OPEN_STATUSES = (PENDING, SENT)

SOURCE_ONLINE = "Online"
SOURCE_CASE = "Case"


def check_can_answer(status: str | None, expires_on: date | None, today: date, online: bool) -> None:
	"""An online answer needs an open, unexpired request; staff may record a late answer."""
	if status == ANSWERED:
		raise SurveyTokenError(_("This survey has already been answered. Thank you."))
	if online:
		if status == EXPIRED or (expires_on and today > expires_on):
			raise SurveyTokenError(
				_("This survey link expired on {0}."), expires_on.isoformat() if expires_on else ""
			)


def check_answer_source(source: str | None, online: bool) -> None:
	"""Source Online is the customer's own answer (link or portal); staff say how they received one."""
	if not online and source == SOURCE_ONLINE:
		raise SurveyError(
			_(
				"Choose how the answer was received (Phone, Visit or Paper): "
				"source Online is for answers the customer gives through the link or the portal."
			)
		)


def check_response_history(
	answered: bool, survey_date: date | None, responded_on: datetime | None, now: datetime
) -> None:
	"""An answer of imported history comes answered (scores or the recommendation), with its real
	survey date and response time, in that order and not in the future; no link is sent for it."""
	if not answered:
		raise SurveyError(
			_("An imported survey response carries its answers (scores or the recommendation).")
		)
	require_end(True, survey_date, _("Survey Date"))
	require_end(True, responded_on, _("Responded On"))
	check_chronology([(_("Survey Date"), survey_date), (_("Responded On"), responded_on)])
	if responded_on > now:
		raise SurveyError(_("Responded On {0} is in the future."), responded_on)


def check_customer_enabled(customer: str, disabled: bool) -> None:
	if disabled:
		raise SurveyError(_("Customer {0} is disabled: no satisfaction survey for them."), customer)


def next_status(has_scores: bool, sent: bool, expires_on: date | None, today: date) -> str:
	if has_scores:
		return ANSWERED
	if expires_on and today > expires_on:
		return EXPIRED
	return SENT if sent else PENDING


def survey_key(
	customer: str, plan: str | None, period: str | None, reference: tuple[str, str] | None = None
) -> str:
	"""The unique key of a response: one per (customer, plan, period), or one per case."""
	if plan:
		if not period:
			raise SurveyError(_("Give the survey period of plan {0}."), plan)
		return f"{plan}|{period}|{customer}"
	if reference and all(reference):
		return f"{reference[0]}|{reference[1]}|{customer}"
	raise SurveyError(_("A survey response belongs to a survey plan, or to a closed case it rates."))


# ------------------------------------------------------------------------------------------
# Key customers


def visit_due(last_visit: date | None, today: date, months: int) -> bool:
	"""A key customer is due a visit when none was recorded in the last ``months`` months."""
	if months <= 0:
		return False
	return last_visit is None or add_months(last_visit, months) <= today


def planned_visit_date(last_visit: date | None, year: int, today: date, months: int) -> date:
	"""The day of a key customer's visit in the annual visit plan of ``year``.

	When the last completed visit falls due again (``months`` later) in that year, then; otherwise,
	or without a visit, as early as possible: 1 January, or today for the running year. Never
	before today and never after 31 December.
	"""
	if not year or year < today.year or year > 9999:
		raise SurveyError(_("Plan the visits of this year or a later one, not {0}."), year)
	first, last = max(date(year, 1, 1), today), date(year, 12, 31)
	due = add_months(last_visit, months) if last_visit and months > 0 else first
	return min(max(due, first), last)


def _fmt(value: float) -> str:
	return f"{value:g}"
