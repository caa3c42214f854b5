"""The scheduled SLA sweep: marks clocks At Risk / Breached and logs the escalations due.

Runs every ten minutes on the long queue (hooks: ``scheduler_events``). Set-based statements on
indexed columns move clock states together with their parents' list-view state; one INSERT
IGNORE per escalation rule writes Service Escalation Log rows named by document, stage and
level, so each level is logged once per clock. The log rows this run claims are then sent by
``notify.notify_pending``.
"""

from datetime import datetime

import frappe
from frappe.utils import now_datetime

from service_control.core import settings as settings_rules
from service_control.core.escalation import EscalationLevel, sweep_rules
from service_control.core.sla import ClockState
from service_control.notifications import rowcount
from service_control.service_control.sla.clocks import CLOCK_PARENTS
from service_control.service_control.sla.derived import DerivedClocks
from service_control.service_control.sla.notify import notify_pending
from service_control.utils import get_settings

RUNNING_STATES = (ClockState.ON_TRACK.value, ClockState.AT_RISK.value)


def schedule_sweep() -> None:
	"""Cron entry point: run the sweep on the long queue, one job at a time."""
	frappe.enqueue(
		"service_control.service_control.sla.sweep.run_sweep",
		queue="long",
		job_id="service_control:sla_sweep",
		deduplicate=True,
	)


def run_sweep(now: datetime | None = None) -> dict:
	"""Mark At Risk / Breached, then escalate: set-based statements on indexed columns.

	Never loads every open document: two UPDATEs per parent doctype move clock states and the
	parents' list-view state together, one INSERT IGNORE per escalation rule logs what is due (the
	log's name is derived from document, stage and level, so a second run or a concurrent worker
	inserts nothing), and only the log rows claimed by this run are notified. Each clock keeps
	the highest level logged (``escalated_level``) so later sweeps skip it cheaply; a higher
	level that fires first (Critical, immediately) supersedes lower ones not yet sent.

	Derived clocks (``core.sla.is_derived``) store no instants: they are selected by their start,
	against one threshold per calendar and allowance (``DerivedClocks``).
	"""
	now = now or now_datetime()
	stats = {"breached": 0, "at_risk": 0, "escalations": 0, "notified": 0}
	derived = DerivedClocks()
	breached, at_risk = ClockState.BREACHED.value, ClockState.AT_RISK.value
	for parenttype in CLOCK_PARENTS:
		# past due (whether On Track or At Risk so far): Breached, nothing more to look at
		stats["breached"] += _update_states(
			parenttype, breached, RUNNING_STATES, "k.next_on <= %(now)s and k.due_on <= %(now)s", now
		)
		# past the at-risk point only: At Risk, looked at again when due
		stats["at_risk"] += _update_states(
			parenttype, at_risk, (ClockState.ON_TRACK.value,), "k.next_on <= %(now)s", now, "k.due_on"
		)
		# derived clocks, the same two moves by their start; they keep no next check
		for key, new_state, from_states in (
			("breached", breached, RUNNING_STATES),
			("at_risk", at_risk, (ClockState.ON_TRACK.value,)),
		):
			if selection := derived.started_by(now, new_state):
				condition, params = selection
				stats[key] += _update_states(
					parenttype, new_state, from_states, condition, now, params=params
				)
	# each company with levels of its own escalates by them, every other case by the default ones
	for rows, company, exclude in settings_rules.escalation_scopes(get_settings().escalation_levels):
		levels = [EscalationLevel.from_row(row) for row in rows]
		scope = _company_scope(company, exclude)
		for rule in sweep_rules(levels, now):
			for parenttype, meta in CLOCK_PARENTS.items():
				stats["escalations"] += _log_escalations(rule, parenttype, meta, now, derived, scope)
	stats["notified"] = notify_pending()
	return stats


def _update_states(
	parenttype: str,
	new_state: str,
	from_states: tuple[str, ...],
	condition: str,
	now: datetime,
	next_on: str = "null",
	params: dict | None = None,
) -> int:
	"""Move the clocks that fell due to ``new_state``, set when to look at them next, and raise
	their parent's list-view state in the same statement (Breached is never lowered to At Risk).

	Driven by the ``(state, next_on)`` index, or for derived clocks by their start (``params``
	are then the condition's thresholds): a sweep with nothing due reads no row at all. Returns
	the rows changed, clocks and parents together.
	"""
	params = {
		**(params or {}),
		"new_state": new_state,
		"breached": ClockState.BREACHED.value,
		"parenttype": parenttype,
		"from_states": from_states,
		"now": now,
	}
	frappe.db.sql(
		f"""
		update `tabService SLA Clock` k
		join `tab{parenttype}` p on p.name = k.parent
		set k.state = %(new_state)s,
			k.next_on = {next_on},
			p.sla_state = if(p.sla_state = %(breached)s, p.sla_state, %(new_state)s)
		where k.parenttype = %(parenttype)s
			and k.state in %(from_states)s
			and {condition}
		""",
		params,
	)
	return rowcount()


def _company_scope(company: str | None, exclude: tuple[str, ...]) -> tuple[str, dict]:
	"""The SQL condition on a clock's company for one group of escalation levels
	(``core.settings.escalation_scopes``): the company's own clocks, or every clock but those of
	the companies with levels of their own (nothing at all on a site without such companies)."""
	if company:
		return "and k.company = %(scope_company)s", {"scope_company": company}
	if exclude:
		return "and (k.company is null or k.company not in %(scope_exclude)s)", {"scope_exclude": exclude}
	return "", {}


def _log_escalations(
	rule,
	parenttype: str,
	meta: dict,
	now: datetime,
	derived: "DerivedClocks | None" = None,
	scope: tuple[str, dict] = ("", {}),
) -> int:
	severity = meta["severity_field"]
	if rule.critical_only and not severity:
		return 0
	derived = derived or DerivedClocks()
	critical = f"and p.`{severity}` = 'Critical'" if rule.critical_only else ""
	# the clocks that reached the trigger by the cutoff: by the stored instant, or by the start
	reached, params = f"k.`{rule.column}` <= %(cutoff)s", dict(scope[1])
	if selection := derived.started_by(rule.cutoff, rule.level.trigger):
		reached = f"({reached} or ({selection[0]}))"
		params.update(selection[1])
	# The same selection feeds the log insert and the clock update below.
	due = f"""
		from `tabService SLA Clock` k
		join `tab{parenttype}` p on p.name = k.parent
		where k.parenttype = %(parenttype)s
			and k.state in %(states)s
			and {reached}
			and k.escalated_level < %(level)s
			and p.status not in %(final)s
			{scope[0]}
			{critical}
	"""
	params = {
		**params,
		"level": rule.level.level,
		"trigger": rule.level.trigger,
		"now": now,
		"parenttype": parenttype,
		"states": rule.states,
		"cutoff": rule.cutoff,
		"final": meta["final_statuses"],
	}
	frappe.db.sql(
		f"""
		insert ignore into `tabService Escalation Log`
			(name, creation, modified, owner, modified_by, docstatus,
			reference_doctype, reference_name, stage, level, `trigger`, status)
		select md5(concat_ws('|', k.parenttype, k.parent, k.stage, %(level)s)), %(now)s, %(now)s,
			'Administrator', 'Administrator', 0,
			k.parenttype, k.parent, k.stage, %(level)s, %(trigger)s, 'Pending'
		{due}
		""",
		params,
	)
	inserted = rowcount()
	# A higher level supersedes lower ones that have not fired yet (see run_sweep's docstring).
	frappe.db.sql(
		f"update `tabService SLA Clock` k join `tab{parenttype}` p on p.name = k.parent "
		f"set k.escalated_level = %(level)s where k.name in (select k.name {due})",
		params,
	)
	return inserted
