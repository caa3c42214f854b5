"""SLA clocks on Frappe documents: per-save computation, the scheduled sweep and escalation.

Clocks live in the child table Service SLA Clock, shared by every doctype with stages (customer
complaints, repair requests), so one set-based sweep covers them all. The arithmetic is the
core's (service_control.core.sla / working_time); this module only loads and stores.

Why not ERPNext's Service Level Agreement: it knows only response and resolution, snaps
allowances of 24 h or more to the end of a working day, and marks a breach only when someone
saves the document. Its Holiday List is reused (per company), its Issue Priority is not (the
procedures have two urgencies, kept as a Select).
"""

from datetime import date, datetime, timedelta

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate, now_datetime

from service_control.core.escalation import STATE_SEVERITY, EscalationLevel, overall_state, sweep_rules
from service_control.core.sla import LIVE_STATES, ClockState, Pause, compute_clock, stopped_state
from service_control.notifications import (
	alert,
	assign,
	get_enabled_users_with_role,
	real_users,
	rowcount,
	send_pending,
)
from service_control.utils import get_clock, get_settings

#: Parent doctypes with SLA clocks, and the field naming who owns the case (escalation level
#: "Notify Owner"), its severity field (or None) and statuses in which clocks no longer run.
CLOCK_PARENTS = {
	"Customer Complaint": {
		"owner_field": "investigation_owner",
		"severity_field": "severity",
		"final_statuses": ("Closed", "Cancelled"),
	},
	"Repair Request": {
		"owner_field": "technician",
		"severity_field": None,
		"final_statuses": ("Closed", "Cancelled"),
	},
}
RUNNING_STATES = (ClockState.ON_TRACK.value, ClockState.AT_RISK.value)


def get_targets(document_type: str, urgency: str) -> dict[str, tuple[float, str]]:
	"""{stage: (hours, basis)} for one urgency, from Service Control Settings."""
	return {
		row.stage: (row.hours, row.basis)
		for row in get_settings().sla_targets
		if row.document_type == document_type and row.urgency == urgency
	}


def get_pauses(doc) -> list[Pause]:
	return [
		Pause(get_datetime(p.paused_on), get_datetime(p.resumed_on) if p.resumed_on else None)
		for p in sorted(doc.get("sla_pauses") or [], key=lambda p: get_datetime(p.paused_on))
	]


def update_clocks(
	doc,
	*,
	start: datetime,
	urgency: str,
	met: dict[str, datetime | None],
	caps: dict[str, datetime | None] | None = None,
	now: datetime | None = None,
	stopped: bool = False,
) -> None:
	"""Recompute every stage clock of ``doc`` with the core; the same code runs on each save.

	``stopped``: the case is cancelled, so stages not met yet stop for good (no sweep, no
	escalation, no recompute).
	"""
	if stopped:
		for row in doc.get("sla_clocks") or []:
			row.state = stopped_state(row.state).value
			row.at_risk_on = None
		doc.sla_state = overall_state([row.state for row in doc.get("sla_clocks") or []])
		return
	now = now or now_datetime()
	caps = caps or {}
	pauses = get_pauses(doc)
	share = (get_settings().at_risk_percent or 75) / 100
	rows = {row.stage: row for row in doc.get("sla_clocks") or []}
	for stage, (hours, basis) in get_targets(doc.doctype, urgency).items():
		result = compute_clock(
			start=get_datetime(start),
			allowance=timedelta(hours=hours),
			clock=get_clock(basis, doc.get("company")),
			now=now,
			pauses=pauses,
			met_on=get_datetime(met.get(stage)) if met.get(stage) else None,
			at_risk_share=share,
			cap=get_datetime(caps[stage]) if caps.get(stage) else None,
		)
		row = rows.get(stage) or doc.append("sla_clocks", {"stage": stage})
		row.update(
			{
				"start_on": start,
				"allowance_hours": hours,
				"basis": basis,
				"cap_on": caps.get(stage),
				"company": doc.get("company"),
				"due_on": result.due_on,
				"at_risk_on": result.at_risk_on,
				"met_on": result.met_on,
				"state": result.state.value,
			}
		)
	doc.sla_state = overall_state([row.state for row in doc.get("sla_clocks") or []])


# ------------------------------------------------------------------------------------------
# Scheduled sweep


def schedule_sweep() -> None:
	"""Cron entry point: run the sweep on the long queue, one job at a time."""
	frappe.enqueue(
		"service_control.service_control.sla.run_sweep",
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
	"""
	now = now or now_datetime()
	stats = {"breached": 0, "at_risk": 0, "escalations": 0, "notified": 0}
	for parenttype in CLOCK_PARENTS:
		stats["breached"] += _update_states(
			parenttype, ClockState.BREACHED.value, RUNNING_STATES, "due_on", now
		)
		stats["at_risk"] += _update_states(
			parenttype, ClockState.AT_RISK.value, (ClockState.ON_TRACK.value,), "at_risk_on", now
		)
	levels = [EscalationLevel.from_row(row) for row in get_settings().escalation_levels]
	for rule in sweep_rules(levels, now):
		for parenttype, meta in CLOCK_PARENTS.items():
			stats["escalations"] += _log_escalations(rule, parenttype, meta, now)
	stats["notified"] = notify_pending()
	return stats


def _update_states(
	parenttype: str, new_state: str, from_states: tuple[str, ...], column: str, now: datetime
) -> int:
	"""Move the clocks that fell due to ``new_state`` and raise their parent's list-view state in
	the same statement (Breached is never lowered to At Risk).

	Driven by the ``(state, column)`` index: a sweep with nothing due reads no row at all. Returns
	the rows changed, clocks and parents together.
	"""
	frappe.db.sql(
		f"""
		update `tabService SLA Clock` k
		join `tab{parenttype}` p on p.name = k.parent
		set k.state = %(new_state)s,
			p.sla_state = if(p.sla_state = %(breached)s, p.sla_state, %(new_state)s)
		where k.parenttype = %(parenttype)s
			and k.state in %(from_states)s
			and k.`{column}` <= %(now)s
		""",
		{
			"new_state": new_state,
			"breached": ClockState.BREACHED.value,
			"parenttype": parenttype,
			"from_states": from_states,
			"now": now,
		},
	)
	return rowcount()


def _reset_parent_states(parents: set[tuple[str, str]]) -> None:
	"""Set each parent's list-view state to the worst of its clocks, one UPDATE per doctype.

	Unlike the sweep, which only ever raises the state, a recompute can lower it (a new holiday
	turns a Breached clock back On Track).
	"""
	by_type: dict[str, list[str]] = {}
	for parenttype, parent in parents:
		by_type.setdefault(parenttype, []).append(parent)
	states = ", ".join(["%s"] * len(STATE_SEVERITY))
	for parenttype, names in by_type.items():
		frappe.db.sql(
			f"""update `tab{parenttype}` p join (
				select parent, elt(min(nullif(field(state, {states}), 0)), {states}) as worst
				from `tabService SLA Clock`
				where parenttype = %s and parent in %s
				group by parent
			) w on w.parent = p.name
			set p.sla_state = w.worst""",
			[*STATE_SEVERITY, *STATE_SEVERITY, parenttype, tuple(names)],
		)


def _log_escalations(rule, parenttype: str, meta: dict, now: datetime) -> int:
	severity = meta["severity_field"]
	if rule.critical_only and not severity:
		return 0
	critical = f"and p.`{severity}` = 'Critical'" if rule.critical_only else ""
	# The same selection feeds the log insert and the clock update below.
	due = f"""
		from `tabService SLA Clock` k
		join `tab{parenttype}` p on p.name = k.parent
		where k.parenttype = %(parenttype)s
			and k.state in %(states)s
			and k.`{rule.column}` <= %(cutoff)s
			and k.escalated_level < %(level)s
			and p.status not in %(final)s
			{critical}
	"""
	params = {
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


def notify_pending(limit: int = 500) -> int:
	"""Notify the escalation log rows this run claims; each row is sent once."""
	levels = {row.level: row for row in get_settings().escalation_levels}

	def send(row) -> list[str]:
		recipients = _recipients(row, levels.get(row.level))
		_notify(row, recipients)
		return recipients

	return send_pending(
		"Service Escalation Log",
		["reference_doctype", "reference_name", "stage", "level", "trigger"],
		send,
		error_title=_("SLA escalation failed"),
		reference=lambda row: (row.reference_doctype, row.reference_name),
		limit=limit,
	)


def _recipients(row, level) -> list[str]:
	users = []
	if level and level.notify_owner:
		meta = CLOCK_PARENTS.get(row.reference_doctype, {})
		owner, creator = frappe.db.get_value(
			row.reference_doctype, row.reference_name, [meta.get("owner_field") or "owner", "owner"]
		)
		users.append(owner or creator)
	if level and level.role:
		users += get_enabled_users_with_role(level.role)
	return real_users(users)


def _notify(row, recipients: list[str]) -> None:
	if not recipients:
		return
	subject = _("SLA {0}: {1} {2}, stage {3} (escalation level {4})").format(
		_(row.trigger), _(row.reference_doctype), row.reference_name, _(row.stage), row.level
	)
	assign(recipients, subject, row.reference_doctype, row.reference_name, notify=True)
	alert(recipients, subject, row.reference_doctype, row.reference_name)


# ------------------------------------------------------------------------------------------
# Recompute after a calendar change


def companies_using(holiday_list: str | None) -> list[str]:
	if not holiday_list:
		return frappe.get_all("Company", pluck="name")
	from service_control.utils import get_holiday_list

	return [c for c in frappe.get_all("Company", pluck="name") if get_holiday_list(c) == holiday_list]


def recompute_open_clocks(
	holiday_list: str | None = None,
	since: date | str | None = None,
	until: date | str | None = None,
	batch_size: int = 5000,
	now: datetime | None = None,
) -> int:
	"""Move the deadlines of running working-hour clocks after a calendar change.

	``since`` / ``until`` bound the changed days (a Holiday List edit passes the first and the
	day after the last date it added or removed): a clock due before ``since`` or started on or
	after ``until`` cannot move, so it is not read. Reads clocks in keyset batches (no OFFSET),
	computes with the core and writes back, in one UPDATE per batch, only the clocks whose
	deadline or state changed; reports progress to the desk. Calendar-hour clocks do not move.
	Returns the number of clocks written.
	"""
	now = now or now_datetime()
	share = (get_settings().at_risk_percent or 75) / 100
	companies = companies_using(holiday_list)
	if not companies:
		return 0
	calendars = {company: get_clock("Working Hours", company) for company in companies}
	conditions = [
		"met_on is null",
		"basis = 'Working Hours'",
		"company in %(companies)s",
		"state in %(live)s",
	]
	if since:
		conditions.append("(due_on is null or due_on >= %(since)s)")
	if until:
		conditions.append("start_on < %(until)s")
	where = " and ".join(conditions)
	params = {
		"companies": companies,
		"live": [s.value for s in LIVE_STATES],
		"since": getdate(since) if since else None,
		"until": getdate(until) if until else None,
		"limit": batch_size,
	}
	total = frappe.db.sql(f"select count(*) from `tabService SLA Clock` where {where}", params)[0][0]
	read = written = 0
	params["last"] = ""
	while True:
		rows = frappe.db.sql(
			f"""select name, parent, parenttype, company, start_on, allowance_hours, cap_on,
				due_on, at_risk_on, state
			from `tabService SLA Clock`
			where {where} and name > %(last)s
			order by name limit %(limit)s""",
			params,
		)
		if not rows:
			break
		params["last"] = rows[-1][0]
		pauses = _pauses_by_parent({(row[2], row[1]) for row in rows})
		updates, moved = {}, set()
		for name, parent, parenttype, company, start, hours, cap, due, at_risk, state in rows:
			result = compute_clock(
				start=start,
				allowance=timedelta(hours=hours),
				clock=calendars[company],
				now=now,
				pauses=pauses.get((parenttype, parent), ()),
				at_risk_share=share,
				cap=cap,
			)
			new = (result.due_on, result.at_risk_on, result.state.value)
			if new != (due, at_risk, state):
				updates[name] = new
				if new[2] != state:  # the parent's list-view state follows clock states only
					moved.add((parenttype, parent))
		_write_clock_batch(updates)
		_reset_parent_states(moved)
		read += len(rows)
		written += len(updates)
		frappe.publish_progress(
			read * 100 / (total or 1), title=_("Recomputing SLA deadlines"), description=f"{read}/{total}"
		)
	return written


def _pauses_by_parent(parents: set[tuple[str, str]]) -> dict[tuple[str, str], list[Pause]]:
	out: dict[tuple[str, str], list[Pause]] = {}
	by_type: dict[str, list[str]] = {}
	for parenttype, parent in parents:
		by_type.setdefault(parenttype, []).append(parent)
	for parenttype, names in by_type.items():
		for p in frappe.get_all(
			"Service SLA Pause",
			filters={"parenttype": parenttype, "parent": ("in", names)},
			fields=["parent", "paused_on", "resumed_on"],
			order_by="paused_on",
		):
			out.setdefault((parenttype, p.parent), []).append(Pause(p.paused_on, p.resumed_on))
	return out


def _write_clock_batch(updates: dict[str, tuple]) -> None:
	"""Write a batch of new deadlines in one statement, matched by primary key.

	An ``INSERT ... ON DUPLICATE KEY UPDATE`` of existing names is the cheapest multi-row update
	MariaDB parses (``CASE name WHEN ...`` is quadratic, a joined derived table slower to parse).
	A clock deleted since it was read would come back as a bare row; the second statement
	removes any such row in the same transaction.
	"""
	if not updates:
		return
	values = ", ".join(["(%s, %s, %s, %s)"] * len(updates))
	frappe.db.sql(
		f"""insert into `tabService SLA Clock` (name, due_on, at_risk_on, state) values {values}
		on duplicate key update
			due_on = values(due_on), at_risk_on = values(at_risk_on), state = values(state)""",
		[value for name, row in updates.items() for value in (name, *row)],
	)
	frappe.db.sql(
		"delete from `tabService SLA Clock` where parent is null and name in %(names)s",
		{"names": list(updates)},
	)
