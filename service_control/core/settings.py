"""Rules for Service Control Settings: the policy every other capability reads.

The adapter hands in plain rows (dicts or objects with attributes) and, for the company
defaults, what the database says about each linked account and warehouse; these functions
raise a ``SettingsError`` on the first thing that makes no sense.

Working hours, SLA targets and escalation levels are *policy tables*: a row without a company
belongs to the default policy, a row with a company to that company's own policy. A company
that has rows of a table uses only its own rows of it (for SLA targets: of a document type);
every other company, and a record without a company, uses the default rows
(``rows_for_company``). Each company's rows are validated on their own (``validate_policies``).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time, timedelta
from itertools import pairwise

from service_control.core.errors import SettingsError, _
from service_control.core.escalation import TRIGGERS
from service_control.core.front_desk import CONTACT_TYPES, FIRST_ANSWER
from service_control.core.working_time import WEEKDAYS

#: The procedures' own deadlines: reply within 48 h; urgent arranged in 24 h, normal in 2 days;
#: handled in 2 days (urgent) or 7 days (normal). Calendar hours, as the procedures count them;
#: closure (customer confirmation) gets a week more. Admins may switch any row to working hours.
DEFAULT_COMPLAINT_TARGETS = (
	("Urgent", "First Reply", 48),
	("Urgent", "Arrangement", 24),
	("Urgent", "Resolution", 48),
	("Urgent", "Closure", 336),
	("Normal", "First Reply", 48),
	("Normal", "Arrangement", 48),
	("Normal", "Resolution", 168),
	("Normal", "Closure", 336),
)
DEFAULT_WORKING_HOURS = tuple(
	(day, start, end)
	for day in WEEKDAYS[:5]
	for start, end in ((time(8, 30), time(12, 0)), (time(13, 0), time(17, 30)))
)


def _get(row, key, default=None):
	if isinstance(row, Mapping):
		return row.get(key, default)
	return getattr(row, key, default)


def to_time(value) -> time | None:
	"""Frappe hands Time fields over as timedelta, str or time."""
	if value in (None, ""):
		return None
	if isinstance(value, time):
		return value
	if isinstance(value, timedelta):
		seconds = int(value.total_seconds())
		if seconds >= 24 * 3600:
			return time(23, 59, 59, 999999)
		return time(seconds // 3600, seconds // 60 % 60, seconds % 60)
	parts = [int(float(p)) for p in str(value).split(":")]
	parts += [0] * (3 - len(parts))
	if parts[0] >= 24:
		return time(23, 59, 59, 999999)
	return time(*parts[:3])


def validate_working_hours(rows: Iterable) -> list[tuple[str, time, time]]:
	"""Each row a weekday with from/to times; several rows a day make breaks; no overlaps."""
	intervals: list[tuple[str, time, time]] = []
	for position, row in enumerate(rows, start=1):
		idx = _get(row, "idx") or position
		day = _get(row, "weekday")
		start, end = to_time(_get(row, "from_time")), to_time(_get(row, "to_time"))
		if day not in WEEKDAYS:
			raise SettingsError(_("Working hours row {0}: {1} is not a weekday."), idx, day)
		if start is None or end is None:
			raise SettingsError(_("Working hours row {0}: set both From and To."), idx)
		if end <= start:
			raise SettingsError(
				_("Working hours row {0}: {1} must end after it starts ({2} to {3})."), idx, day, start, end
			)
		intervals.append((day, start, end))
	if not intervals:
		raise SettingsError(_("Set at least one working-hours row: SLA clocks need a working week."))
	for day in WEEKDAYS:
		day_rows = sorted((s, e) for d, s, e in intervals if d == day)
		for (_s1, e1), (s2, _e2) in pairwise(day_rows):
			if s2 < e1:
				raise SettingsError(_("Working hours on {0} overlap at {1}."), day, s2)
	return intervals


#: What an SLA target row's Urgency column and Stage mean for each document type. The cases
#: have urgencies and several stages; a contact in the front-desk register has a contact type in
#: that column and one stage, its first answer.
CASE_URGENCIES = ("Urgent", "Normal")
CASE_STAGES = ("First Reply", "Arrangement", "Resolution", "Closure")
TARGET_KEYS = {
	"Customer Complaint": (CASE_URGENCIES, CASE_STAGES),
	"Repair Request": (CASE_URGENCIES, CASE_STAGES),
	"Internal Complaint": (CASE_URGENCIES, CASE_STAGES),
	"Customer Contact Log": (CONTACT_TYPES, (FIRST_ANSWER,)),
}


def validate_sla_targets(rows: Iterable) -> None:
	seen = set()
	for position, row in enumerate(rows, start=1):
		idx = _get(row, "idx") or position
		key = (_get(row, "document_type"), _get(row, "urgency"), _get(row, "stage"))
		hours = _get(row, "hours") or 0
		if hours <= 0:
			raise SettingsError(_("SLA target row {0}: hours must be greater than zero."), idx)
		urgencies, stages = TARGET_KEYS.get(key[0], ((), ()))
		if key[1] not in urgencies:
			raise SettingsError(
				_("SLA target row {0}: {1} is not an urgency or contact type of {2}."), idx, key[1], key[0]
			)
		if key[2] not in stages:
			raise SettingsError(_("SLA target row {0}: {1} has no stage {2}."), idx, key[0], key[2])
		if key in seen:
			raise SettingsError(
				_("SLA target row {0}: {1} / {2} / {3} is set twice."), idx, key[0], key[1], key[2]
			)
		seen.add(key)


def validate_at_risk_percent(percent: float) -> None:
	if not 0 < (percent or 0) < 100:
		raise SettingsError(_("At Risk threshold must be between 1 and 99 percent of the allowance."))


def validate_escalation_levels(rows: Iterable) -> None:
	"""Levels climb: numbers unique, and a higher level never fires before a lower one."""
	by_trigger: dict[str, list[tuple[int, float]]] = {}
	seen = set()
	for position, row in enumerate(rows, start=1):
		idx = _get(row, "idx") or position
		level = _get(row, "level") or 0
		trigger = _get(row, "trigger")
		delay = _get(row, "delay_hours") or 0
		if level <= 0:
			raise SettingsError(_("Escalation row {0}: level must be 1 or more."), idx)
		if level in seen:
			raise SettingsError(_("Escalation level {0} is set twice."), level)
		seen.add(level)
		if trigger not in TRIGGERS:
			raise SettingsError(_("Escalation row {0}: trigger must be At Risk or Breached."), idx)
		if delay < 0:
			raise SettingsError(_("Escalation row {0}: delay cannot be negative."), idx)
		if not _get(row, "notify_owner") and not _get(row, "role"):
			raise SettingsError(_("Escalation row {0}: choose a role or Notify Owner."), idx)
		by_trigger.setdefault(trigger, []).append((level, delay))
	order = sorted((level, TRIGGERS.index(t), d) for t, rows_ in by_trigger.items() for level, d in rows_)
	for (l1, t1, d1), (l2, t2, d2) in pairwise(order):
		if (t2, d2) < (t1, d1):
			raise SettingsError(
				_("Escalation level {0} would fire before level {1}; order them by time."), l2, l1
			)


# ------------------------------------------------------------------------------------------
# Policy per company


#: The column of a policy row naming its company. Not ``company``: Frappe fills a Link field of
#: that name with the user's default company in every new row, which would turn a new default
#: row into one company's.
POLICY_COMPANY_FIELD = "for_company"


def row_company(row) -> str | None:
	"""The company a policy row belongs to; None for a row of the default policy."""
	return _get(row, POLICY_COMPANY_FIELD) or None


def policy_groups(rows: Iterable) -> dict[str | None, list]:
	"""A policy table's rows by company, in table order; None holds the default rows."""
	groups: dict[str | None, list] = {}
	for row in rows:
		groups.setdefault(row_company(row), []).append(row)
	return groups


def rows_for_company(rows: Iterable, company: str | None) -> list:
	"""The rows of one policy table that apply to ``company``: its own rows when it has any,
	else the default rows. A record without a company uses the default rows."""
	groups = policy_groups(rows)
	if company and company in groups:
		return groups[company]
	return groups.get(None, [])


def targets_for(
	rows: Iterable, company: str | None, document_type: str, urgency: str
) -> dict[str, tuple[float, str]]:
	"""``{stage: (hours, basis)}`` of one document type and urgency for ``company``.

	SLA targets are chosen per document type: a company with its own Customer Complaint targets
	and none for Repair Request keeps the default repair targets rather than losing its clocks."""
	of_type = [row for row in rows if _get(row, "document_type") == document_type]
	return {
		_get(row, "stage"): (_get(row, "hours"), _get(row, "basis"))
		for row in rows_for_company(of_type, company)
		if _get(row, "urgency") == urgency
	}


def since_midnight(value) -> timedelta | None:
	"""A Time field as the time since midnight, whichever way Frappe hands it over (timedelta,
	"HH:MM:SS[.ffffff]" or time); 24:00 stays the end of the day."""
	if value in (None, ""):
		return None
	if isinstance(value, timedelta):
		return value
	if isinstance(value, time):
		return timedelta(
			hours=value.hour, minutes=value.minute, seconds=value.second, microseconds=value.microsecond
		)
	hours, minutes, seconds = ([*str(value).split(":"), "0", "0"])[:3]
	return timedelta(hours=int(hours), minutes=int(minutes), seconds=float(seconds))


def working_week(rows: Iterable, company: str | None) -> tuple[tuple[str, timedelta, timedelta], ...]:
	"""The weekly working hours that apply to ``company`` as a sorted tuple of (weekday, from, to):
	the same week compares equal however its times were handed over (a calendar's cache key)."""
	return tuple(
		sorted(
			(
				_get(row, "weekday"),
				since_midnight(_get(row, "from_time")),
				since_midnight(_get(row, "to_time")),
			)
			for row in rows_for_company(rows, company)
		)
	)


def companies_with_changed_hours(before: Iterable, after: Iterable, companies: Iterable[str]) -> list[str]:
	"""The companies among ``companies`` whose effective working week differs between two
	versions of the working-hours table: only their running clocks can move."""
	before, after = list(before), list(after)
	return sorted(c for c in set(companies) if working_week(before, c) != working_week(after, c))


def escalation_scopes(rows: Iterable) -> list[tuple[list, str | None, tuple[str, ...]]]:
	"""Who each group of escalation levels applies to: ``(rows, company, exclude)``.

	A company's own levels apply to its cases alone (``company`` set); the default levels to the
	cases of every other company and to cases without one (``company`` None, ``exclude`` the
	companies that have their own levels)."""
	groups = policy_groups(rows)
	own = tuple(sorted(c for c in groups if c))
	return [(group, company, () if company else own) for company, group in groups.items()]


def _per_company(company: str | None, check, rows):
	"""Run a table check on one company's rows; its error names the company."""
	try:
		return check(rows)
	except SettingsError as e:
		if company is None:
			raise
		raise SettingsError(_("Company {0}: {1}"), company, e) from e


def validate_policies(working_hours: Iterable, sla_targets: Iterable, escalation_levels: Iterable) -> None:
	"""The three policy tables, each company's rows on their own: overlapping hours, a target set
	twice or levels out of order are errors within one company's rows only. The default working
	week is required (every company without rows of its own uses it)."""
	hours = policy_groups(working_hours)
	_per_company(None, validate_working_hours, hours.pop(None, []))
	for company, rows in hours.items():
		_per_company(company, validate_working_hours, rows)
	for company, rows in policy_groups(sla_targets).items():
		_per_company(company, validate_sla_targets, rows)
	for company, rows in policy_groups(escalation_levels).items():
		_per_company(company, validate_escalation_levels, rows)


@dataclass(frozen=True)
class LinkInfo:
	"""What the database says about a linked Account or Warehouse."""

	name: str
	company: str | None
	is_group: bool = False
	disabled: bool = False


@dataclass(frozen=True)
class ItemInfo:
	"""What the database says about a linked Item."""

	name: str
	is_stock_item: bool = False
	disabled: bool = False


COMPANY_ACCOUNT_FIELDS = ("compensation_expense_account", "scrap_loss_account")
COMPANY_WAREHOUSE_FIELDS = (
	"pending_warehouse",
	"scrap_warehouse",
	"rework_warehouse",
	"sellable_warehouse",
)


def validate_company_row(
	idx: int,
	row,
	accounts: Mapping[str, LinkInfo],
	warehouses: Mapping[str, LinkInfo],
	items: Mapping[str, ItemInfo] | None = None,
) -> None:
	"""One company's defaults: limits in order, accounts and warehouses of that company, usable;
	the repair labour item a service (non-stock) item, its rate not negative."""
	company = _get(row, "company")
	qm_limit = _get(row, "quality_manager_limit") or 0
	supplier_limit = _get(row, "supplier_claim_limit") or 0
	if qm_limit <= 0:
		raise SettingsError(_("{0}: the Quality Manager approval limit must be greater than zero."), company)
	if supplier_limit < 0 or supplier_limit > qm_limit:
		raise SettingsError(
			_(
				"{0}: the supplier-claim limit ({1}) must lie between zero and the Quality Manager limit ({2})."
			),
			company,
			supplier_limit,
			qm_limit,
		)
	for kind, fields, infos in (
		("Account", COMPANY_ACCOUNT_FIELDS, accounts),
		("Warehouse", COMPANY_WAREHOUSE_FIELDS, warehouses),
	):
		for field in fields:
			value = _get(row, field)
			if not value:
				continue
			info = infos.get(value)
			if info is None:
				raise SettingsError(_("{0} {1} does not exist."), kind, value)
			if info.company != company:
				raise SettingsError(
					_("{0} {1} belongs to {2}, not to {3}."), kind, value, info.company, company
				)
			if info.is_group:
				raise SettingsError(_("{0} {1} is a group; pick a ledger / leaf."), kind, value)
			if info.disabled:
				raise SettingsError(_("{0} {1} is disabled."), kind, value)
	validate_repair_labour(company, _get(row, "repair_labour_item"), _get(row, "repair_labour_rate"), items)
	used = [(f, _get(row, f)) for f in COMPANY_WAREHOUSE_FIELDS if _get(row, f)]
	values = [v for _f, v in used]
	for value in values:
		if values.count(value) > 1:
			raise SettingsError(
				_("{0}: warehouse {1} is used for more than one purpose; keep them apart."), company, value
			)


def validate_repair_labour(
	company: str | None,
	item_code: str | None,
	rate: float | None,
	items: Mapping[str, ItemInfo] | None,
) -> None:
	"""Labour is invoiced, never issued from stock: the labour item must be a non-stock item."""
	if (rate or 0) < 0:
		raise SettingsError(_("{0}: the repair labour rate cannot be negative."), company)
	if not item_code:
		return
	info = (items or {}).get(item_code)
	if info is None:
		raise SettingsError(_("{0} {1} does not exist."), "Item", item_code)
	if info.disabled:
		raise SettingsError(_("{0} {1} is disabled."), "Item", item_code)
	if info.is_stock_item:
		raise SettingsError(
			_("{0}: the repair labour item {1} is a stock item; choose a non-stock service item."),
			company,
			item_code,
		)


def validate_repair_satisfied_rating(stars: int | None) -> None:
	"""Whole stars of five from which a repair verification counts as satisfied."""
	if stars is None or not 1 <= stars <= 5:
		raise SettingsError(_("The satisfied repair rating must be between 1 and 5 stars."))


def validate_retention_years(years: int) -> None:
	if (years or 0) < 1:
		raise SettingsError(_("Records must be kept at least one year (the procedures ask for three)."))


def validate_unique_companies(rows: Iterable) -> None:
	seen = set()
	for row in rows:
		company = _get(row, "company")
		if company in seen:
			raise SettingsError(_("Company {0} has two rows of defaults."), company)
		seen.add(company)
