"""Closed records are read-only: only a System Manager may correct one, and must say why.

Shared by the customer complaint and the repair request (and any record with final statuses).
The adapter hands in the old status, the fields that changed (``changed_fields`` compares the
saved and the new values like with like, so a date typed as text is not a change), the user's
roles and the reason given; the record type supplies its own messages and error class.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

from service_control.core.errors import DomainError

SYSTEM_MANAGER = "System Manager"

#: Field types that hold no value of their own (layout) or live in child rows.
NON_VALUE_FIELDTYPES = frozenset(
	{
		"Section Break",
		"Column Break",
		"Tab Break",
		"HTML",
		"Button",
		"Heading",
		"Fold",
		"Table",
		"Table MultiSelect",
	}
)
#: Fields Frappe or the app's own jobs write on any record whatever its status.
BOOKKEEPING_FIELDS = frozenset(
	{"modified", "modified_by", "sla_state", "_assign", "_comments", "_liked_by", "_seen", "_user_tags"}
)
_INT_TYPES = frozenset({"Int", "Check"})
_FLOAT_TYPES = frozenset({"Float", "Currency", "Percent", "Rating", "Duration"})


def _get(record, key):
	if isinstance(record, Mapping) or callable(getattr(record, "get", None)):
		return record.get(key)  # a dict, or a Frappe document
	return getattr(record, key, None)


def normalise(fieldtype: str, value):
	"""The value as the database would hold it: empty text is None, empty numbers are 0, dates
	and times parsed from their ISO text."""
	if value == "":
		value = None
	try:
		if fieldtype in _INT_TYPES:
			return int(float(value or 0))
		if fieldtype in _FLOAT_TYPES:
			return round(float(value or 0), 9)
		if value is None:
			return None
		if fieldtype == "Date":
			if isinstance(value, datetime):
				return value.date()
			return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
		if fieldtype == "Datetime":
			return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
		if fieldtype == "Time":
			if isinstance(value, time):
				return timedelta(hours=value.hour, minutes=value.minute, seconds=value.second)
			if isinstance(value, timedelta):
				return value
			hours, minutes, seconds = ([*str(value).split(":"), "0", "0"])[:3]
			return timedelta(hours=int(hours), minutes=int(minutes), seconds=float(seconds))
	except (TypeError, ValueError):
		return str(value)
	return value


def changed_fields(fields: Iterable[tuple[str, str]], before, after, ignore: Iterable[str] = ()) -> list[str]:
	"""Names of the value fields (``(fieldname, fieldtype)`` pairs) whose value differs between
	``before`` and ``after`` (mappings or objects); layout, tables and bookkeeping are skipped."""
	if before is None:
		return []
	skip = BOOKKEEPING_FIELDS | set(ignore)
	return [
		name
		for name, fieldtype in fields
		if fieldtype not in NON_VALUE_FIELDTYPES
		and name not in skip
		and normalise(fieldtype, _get(after, name)) != normalise(fieldtype, _get(before, name))
	]


def check_final_edit(
	old_status: str | None,
	changed: Iterable[str],
	roles: Iterable[str],
	reason: str | None,
	*,
	final_statuses: Iterable[str],
	locked_message: str,
	reason_message: str,
	error: type[DomainError] = DomainError,
) -> None:
	"""A record saved in a final status is read-only; a System Manager may correct it with a
	reason. ``locked_message`` and ``reason_message`` take the status as ``{0}``."""
	if old_status not in set(final_statuses) or not set(changed):
		return
	if SYSTEM_MANAGER not in set(roles):
		raise error(locked_message, old_status)
	if not (reason or "").strip():
		raise error(reason_message, old_status)
