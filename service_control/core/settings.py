"""Rules for Service Control Settings: the policy every other capability reads.

The adapter hands in plain rows (dicts or objects with attributes) and, for the company
defaults, what the database says about each linked account and warehouse; these functions
raise a ``SettingsError`` on the first thing that makes no sense.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time, timedelta
from itertools import pairwise

from service_control.core.errors import SettingsError, _
from service_control.core.working_time import WEEKDAYS

STAGES = ("First Reply", "Arrangement", "Resolution", "Closure")
URGENCIES = ("Urgent", "Normal")
ESCALATION_TRIGGERS = ("At Risk", "Breached")

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
	for idx, row in enumerate(rows, start=1):
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


def validate_sla_targets(rows: Iterable) -> None:
	seen = set()
	for idx, row in enumerate(rows, start=1):
		key = (_get(row, "document_type"), _get(row, "urgency"), _get(row, "stage"))
		hours = _get(row, "hours") or 0
		if hours <= 0:
			raise SettingsError(_("SLA target row {0}: hours must be greater than zero."), idx)
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
	for idx, row in enumerate(rows, start=1):
		level = _get(row, "level") or 0
		trigger = _get(row, "trigger")
		delay = _get(row, "delay_hours") or 0
		if level <= 0:
			raise SettingsError(_("Escalation row {0}: level must be 1 or more."), idx)
		if level in seen:
			raise SettingsError(_("Escalation level {0} is set twice."), level)
		seen.add(level)
		if trigger not in ESCALATION_TRIGGERS:
			raise SettingsError(_("Escalation row {0}: trigger must be At Risk or Breached."), idx)
		if delay < 0:
			raise SettingsError(_("Escalation row {0}: delay cannot be negative."), idx)
		if not _get(row, "notify_owner") and not _get(row, "role"):
			raise SettingsError(_("Escalation row {0}: choose a role or Notify Owner."), idx)
		by_trigger.setdefault(trigger, []).append((level, delay))
	order = sorted(
		(level, ESCALATION_TRIGGERS.index(t), d) for t, rows_ in by_trigger.items() for level, d in rows_
	)
	for (l1, t1, d1), (l2, t2, d2) in pairwise(order):
		if (t2, d2) < (t1, d1):
			raise SettingsError(
				_("Escalation level {0} would fire before level {1}; order them by time."), l2, l1
			)


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
