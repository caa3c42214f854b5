"""Imported history: records of the registers kept before the app, brought in by Data Import.

A record marked as history (``is_history``) may be created in the status it ended in, with the
dates it really had. What the records share is here: the order its dates must keep, the instant
its SLA clocks are reviewed at (the record's real end, or now while it is still open) and where
its clocks start (the real receipt, or the go-live instant for a case still open at go-live).
The status guards of each record's history live next to its own guards (``core.complaint``,
``core.repair``, ``core.capa``, ``core.compensation``).
"""

from collections.abc import Sequence
from datetime import date, datetime

from service_control.core.errors import DomainError, _


class HistoryError(DomainError):
	"""An imported history record whose contents contradict each other."""


def check_chronology(steps: Sequence[tuple[str, date | datetime | None]]) -> None:
	"""Raise HistoryError when a dated step comes before an earlier step; empty steps are skipped.

	``steps`` are (label, instant) in the order they happen, e.g. received, replied, closed; the
	labels are marked for translation by the caller (the adapter translates them). Dates and
	datetimes compare by day when either is a date."""
	seen: list[tuple[str, date | datetime]] = []
	for label, when in steps:
		if when is None:
			continue
		for earlier_label, earlier in seen:
			if _before(when, earlier):
				raise HistoryError(
					_("{0} ({1}) is before {2} ({3})."), label, _day(when), earlier_label, _day(earlier)
				)
		seen.append((label, when))


def require_end(final: bool, end: date | datetime | None, label: str) -> None:
	"""A history record imported in a final status carries the date it ended."""
	if final and end is None:
		raise HistoryError(_("An imported record in its final status needs its real {0}."), label)


def clock_start(received: datetime, go_live: datetime | None, from_go_live: bool) -> datetime:
	"""Where a case's SLA clocks start: at its receipt, or for a case still open at go-live that
	is imported with "Start Clocks at Go-Live", at the go-live instant (never before receipt)."""
	if from_go_live:
		if go_live is None:
			raise HistoryError(_("Set the Go-Live time in Service Control Settings first."))
		return max(received, go_live)
	return received


def review_instant(end: datetime | None, now: datetime) -> datetime:
	"""The instant a history record's clocks are reviewed at: its real end (the clocks stay as
	they were then: met, met late or breached), or now while it is still open."""
	return end if end is not None and end <= now else now


def _before(a: date | datetime, b: date | datetime) -> bool:
	if isinstance(a, datetime) and isinstance(b, datetime):
		return a < b
	return _as_date(a) < _as_date(b)


def _as_date(value: date | datetime) -> date:
	return value.date() if isinstance(value, datetime) else value


def _day(value: date | datetime) -> str:
	return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, datetime) else value.isoformat()
