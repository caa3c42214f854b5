"""The SQL selection of derived clocks (``core.sla.is_derived``) by their start.

A derived clock stores no due or at-risk instant; the sweep and the recompute select it by its
start against one threshold per calendar and allowance (``core.sla.start_thresholds``). Both
import ``DerivedClocks`` from here.
"""

from datetime import datetime, timedelta

import frappe
from frappe.utils import flt

from service_control.core.sla import DERIVED_STATES, ClockState, start_thresholds
from service_control.service_control.sla.clocks import at_risk_share
from service_control.utils import get_clock


class DerivedClocks:
	"""SQL conditions that pick the derived clocks due at an instant by their start.

	Each (basis, company, allowance) in use among derived clocks is one range of the index
	``(derived, state, basis, company, allowance_hours, start_on)``, bounded by
	``core.sla.start_thresholds``; the groups are read once, off that index.
	"""

	def __init__(self, basis: str | None = None, companies: list[str] | None = None):
		self.share = at_risk_share()
		self.groups = sorted(
			{
				(group_basis, company, hours)
				for state, group_basis, company, hours in _derived_groups()
				if state in DERIVED_STATES
				and (basis is None or group_basis == basis)
				and (companies is None or company in companies)
			},
			key=str,
		)
		self._thresholds: dict[tuple, tuple[datetime | None, datetime | None]] = {}

	def thresholds(self, group: tuple, at: datetime) -> tuple[datetime | None, datetime | None]:
		"""``core.sla.start_thresholds`` of a group at ``at``: (breached, at_risk)."""
		key = (group, at)
		if key not in self._thresholds:
			basis, company, hours = group
			self._thresholds[key] = start_thresholds(
				get_clock(basis, company), at, timedelta(hours=flt(hours)), self.share
			)
		return self._thresholds[key]

	def started_by(self, at: datetime, trigger: str, prefix: str = "dc") -> tuple[str, dict] | None:
		"""``(condition, params)`` for the derived clocks whose due instant (``trigger`` Breached)
		or at-risk instant (At Risk) is at or before ``at``; None when no clock can be."""
		parts, params = [], {}
		for i, group in enumerate(self.groups):
			breached, at_risk = self.thresholds(group, at)
			latest = breached if trigger == ClockState.BREACHED.value else at_risk
			if latest is None:
				continue
			key = f"{prefix}{i}"
			parts.append(f"({_same_group(key)} and k.start_on <= %({key}s)s)")
			params.update(_group_params(key, group), **{f"{key}s": latest})
		if not parts:
			return None
		return f"k.derived = 1 and ({' or '.join(parts)})", params


def _same_group(key: str) -> str:
	return f"k.basis = %({key}b)s and k.company <=> %({key}c)s and k.allowance_hours = %({key}h)s"


def _group_params(key: str, group: tuple) -> dict:
	basis, company, hours = group
	return {f"{key}b": basis, f"{key}c": company, f"{key}h": hours}


#: The columns of the derived clocks' index after ``derived``, up to the start.
_GROUP_COLUMNS = ("state", "basis", "company", "allowance_hours")


def _derived_groups() -> set[tuple]:
	"""The distinct (state, basis, company, allowance) of the derived clocks, one index seek per
	value found: a loose index scan, which MariaDB does not choose for a ``select distinct``
	here (it reads every derived clock instead, a second for 800,000)."""
	found: set[tuple] = set()

	def walk(prefix: tuple, depth: int) -> None:
		if depth == len(_GROUP_COLUMNS):
			found.add(prefix)
			return
		column = _GROUP_COLUMNS[depth]
		where = " and ".join(["derived = 1", *(f"`{c}` <=> %s" for c in _GROUP_COLUMNS[:depth])])
		after, args = "", ()  # nulls sort first: the first seek finds a null if there is one
		while row := frappe.db.sql(
			f"select `{column}` from `tabService SLA Clock` where {where}{after}"
			f" order by `{column}` limit 1",
			(*prefix, *args),
		):
			value = row[0][0]
			walk((*prefix, value), depth + 1)
			after, args = (
				(f" and `{column}` is not null", ()) if value is None else (f" and `{column}` > %s", (value,))
			)

	walk((), 0)
	return found
