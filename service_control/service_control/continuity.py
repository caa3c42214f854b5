"""Service continuity on the site: what the Continuity * controllers share.

- ``steps``: a plan's, test's or invocation's step rows as the core's ``Step`` facts.
- ``mark_plans_for_review``: plan maintenance. A change to a service (its objectives, customers,
  impact analysis or dependencies), to a supplier or asset it depends on, or an approved risk
  assessment of it marks its approved plans ``review_required``, in one set-based UPDATE.
- ``hold_complaint`` / ``release_complaint``: a declared disruption pauses a complaint's SLA
  clocks through the complaint's own pause rows (Service SLA Pause, marked with the invocation),
  so the complaint's save recomputes its clocks and Due By with the one clock rule there is
  (sla.clocks.update_clocks); the pause row of the customer wait is closed and reopened around it
  so pauses never overlap.
"""

from collections.abc import Iterable

import frappe
from frappe import _
from frappe.utils import flt, now_datetime

from service_control.core import continuity as rules

PLAN = "Continuity Plan"
COMPLAINT = "Customer Complaint"


def steps(rows: Iterable, with_actual: bool = False) -> list[rules.Step]:
	return [
		rules.Step(
			step=row.get("step"),
			owner=row.get("step_owner"),
			target_hours=flt(row.get("target_hours")) if row.get("target_hours") not in (None, "") else None,
			actual_hours=flt(row.get("actual_hours"))
			if with_actual and row.get("actual_hours") not in (None, "")
			else None,
			idx=row.get("idx") or 0,
		)
		for row in rows or []
	]


def mark_plans_for_review(reason: str, service: str | None = None, sites: Iterable[str] = ()) -> int:
	"""Mark the approved plans of ``service`` (and the site plans of ``sites``) for review; returns
	how many were marked. Plans already marked keep their first reason."""
	sites = tuple(s for s in sites if s)
	if not service and not sites:
		return 0
	conditions, values = [], {"reason": reason[:500]}
	if service:
		conditions.append("(scope = 'Service' and service = %(service)s)")
		values["service"] = service
	if sites:
		conditions.append("(scope = 'Site' and site in %(sites)s)")
		values["sites"] = sites
	frappe.db.sql(
		f"""update `tabContinuity Plan`
		set review_required = 1, review_reason = %(reason)s
		where docstatus = 1 and review_required = 0 and ({" or ".join(conditions)})""",
		values,
	)
	from service_control.notifications import rowcount

	return rowcount()


def mark_dependants_for_review(dependency_field: str, value: str, label: str) -> int:
	"""A supplier or an asset changed: mark the plans of the services that depend on it."""
	services = frappe.get_all(
		"Continuity Dependency",
		filters={"parenttype": "Continuity Service", dependency_field: value},
		pluck="parent",
		distinct=True,
	)
	reason = _("{0} {1}, a dependency of the service, changed.").format(label, value)
	return sum(mark_plans_for_review(reason, service=service) for service in services)


# ------------------------------------------------------------------------------------------
# SLA pauses of the complaints a disruption caused


def hold_complaint(complaint: str, invocation: str, reason: str, now=None) -> bool:
	"""Pause the complaint's clocks for ``invocation``; False when it is closed, cancelled or
	already held by a disruption."""
	now = now or now_datetime()
	doc = frappe.get_doc(COMPLAINT, complaint)
	if doc.status in ("Closed", "Cancelled"):
		return False
	open_pause = next((p for p in doc.sla_pauses or [] if not p.resumed_on), None)
	if open_pause is not None:
		if open_pause.get("continuity_invocation"):
			return False  # already held by a disruption (this one or another)
		open_pause.resumed_on = now  # the customer wait gives way; release reopens it if still waiting
	doc.append(
		"sla_pauses",
		{
			"paused_on": now,
			"reason": _("Disruption {0}: {1}").format(invocation, reason)[:140],
			"continuity_invocation": invocation,
		},
	)
	_save(doc)
	return True


def release_complaint(complaint: str, invocation: str, now=None) -> bool:
	"""Resume the clocks the invocation paused; the complaint's save reopens the customer wait's
	pause when the complaint is still awaiting the customer."""
	now = now or now_datetime()
	doc = frappe.get_doc(COMPLAINT, complaint)
	held = next(
		(
			p
			for p in doc.sla_pauses or []
			if not p.resumed_on and p.get("continuity_invocation") == invocation
		),
		None,
	)
	if held is None:
		return False
	held.resumed_on = now
	_save(doc)
	return True


def _save(doc) -> None:
	# the continuity owner acts through the invocation, whose permission was checked; the
	# complaint's own rules (validate) still run and recompute its clocks
	doc.flags.ignore_permissions = True
	doc.save()
