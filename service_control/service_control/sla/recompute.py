"""SLA clocks on Frappe documents: per-save computation, the scheduled sweep and escalation.

Clocks live in the child table Service SLA Clock, shared by every doctype with stages (customer
complaints, repair requests), so one set-based sweep covers them all. The arithmetic is the
core's (service_control.core.sla / working_time); this module only loads and stores.

Why not ERPNext's Service Level Agreement: it knows only response and resolution, snaps
allowances of 24 h or more to the end of a working day, and marks a breach only when someone
saves the document. Its Holiday List is reused (per company), its Issue Priority is not (the
procedures have two urgencies, kept as a Select).
"""

import queue
import threading
from datetime import date, datetime, timedelta

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, getdate, now_datetime

from service_control.core import settings as settings_rules
from service_control.core.escalation import STATE_SEVERITY, EscalationLevel, overall_state, sweep_rules
from service_control.core.sla import (
	DERIVED_STATES,
	LIVE_STATES,
	ClockState,
	Pause,
	compute_clock,
	derived_deadlines,
	derived_state,
	is_derived,
	next_check_on,
	recompute_running,
	start_thresholds,
	stopped_state,
)
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


def get_targets(document_type: str, urgency: str, company: str | None = None) -> dict[str, tuple[float, str]]:
	"""{stage: (hours, basis)} for one urgency, from Service Control Settings: the company's own
	targets for the document type when it has any, else the default ones
	(``core.settings.targets_for``)."""
	return settings_rules.targets_for(get_settings().sla_targets, company, document_type, urgency)


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

	A clock that ``core.sla.is_derived`` stores no due, at-risk or next-check instant: the sweep
	reads it by its start, and ``show_derived_deadlines`` gives the form its instants.
	"""
	if stopped:
		show_derived_deadlines(doc)  # a stopped clock keeps the deadline it had
		for row in doc.get("sla_clocks") or []:
			row.state = stopped_state(row.state).value
			row.at_risk_on = row.next_on = None
			row.derived = 0
		doc.sla_state = overall_state([row.state for row in doc.get("sla_clocks") or []])
		return
	now = now or now_datetime()
	caps = caps or {}
	pauses = get_pauses(doc)
	share = at_risk_share()
	rows = {row.stage: row for row in doc.get("sla_clocks") or []}
	for stage, (hours, basis) in get_targets(doc.doctype, urgency, doc.get("company")).items():
		cap = get_datetime(caps[stage]) if caps.get(stage) else None
		result = compute_clock(
			start=get_datetime(start),
			allowance=timedelta(hours=hours),
			clock=get_clock(basis, doc.get("company")),
			now=now,
			pauses=pauses,
			met_on=get_datetime(met.get(stage)) if met.get(stage) else None,
			at_risk_share=share,
			cap=cap,
		)
		derived = is_derived(result.state, pauses, cap)
		row = rows.get(stage) or doc.append("sla_clocks", {"stage": stage})
		row.update(
			{
				"start_on": start,
				"allowance_hours": hours,
				"basis": basis,
				"cap_on": caps.get(stage),
				"company": doc.get("company"),
				"due_on": None if derived else result.due_on,
				"at_risk_on": None if derived else result.at_risk_on,
				"next_on": None if derived else next_check_on(result.state, result.at_risk_on, result.due_on),
				"derived": int(derived),
				"met_on": result.met_on,
				"state": result.state.value,
			}
		)
	doc.sla_state = overall_state([row.state for row in doc.get("sla_clocks") or []])


def show_derived_deadlines(doc) -> None:
	"""Set the due and at-risk instants of the document's derived clocks, in memory only.

	They are never stored (see ``update_clocks``), so the controllers call this when a form loads
	(``onload``) and after a save (``on_change``, which runs after the version is recorded), on
	today's calendar (``core.sla.derived_deadlines``).
	"""
	rows = [row for row in doc.get("sla_clocks") or [] if row.get("derived") and row.start_on]
	if not rows:
		return
	share = at_risk_share()
	for row in rows:
		row.due_on, row.at_risk_on = derived_deadlines(
			get_clock(row.basis, row.company),
			get_datetime(row.start_on),
			timedelta(hours=flt(row.allowance_hours)),
			share,
		)


def at_risk_share() -> float:
	return (get_settings().at_risk_percent or 75) / 100


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


def _reset_parent_states(parents: set[tuple[str, str]]) -> list[tuple[str, list]]:
	"""Statements that set each parent's list-view state to the worst of its clocks, one per
	doctype.

	Unlike the sweep, which only ever raises the state, a recompute can lower it (a new holiday
	turns a Breached clock back On Track).
	"""
	by_type: dict[str, list[str]] = {}
	for parenttype, parent in parents:
		by_type.setdefault(parenttype, []).append(parent)
	states = ", ".join(["%s"] * len(STATE_SEVERITY))
	return [
		(
			f"""update `tab{parenttype}` p join (
				select parent, elt(min(nullif(field(state, {states}), 0)), {states}) as worst
				from `tabService SLA Clock`
				where parenttype = %s and parent in %s
				group by parent
			) w on w.parent = p.name
			set p.sla_state = w.worst""",
			[*STATE_SEVERITY, *STATE_SEVERITY, parenttype, tuple(names)],
		)
		for parenttype, names in by_type.items()
	]


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


def notify_pending(limit: int = 500) -> int:
	"""Notify the escalation log rows this run claims; each row is sent once, to the level of
	the case's company (its own levels when it has any, else the default ones)."""
	rows = get_settings().escalation_levels
	per_company = any(settings_rules.row_company(row) for row in rows)
	levels: dict[str | None, dict] = {}

	def level_of(row):
		company = (
			frappe.db.get_value(row.reference_doctype, row.reference_name, "company") if per_company else None
		)
		if company not in levels:
			levels[company] = {lv.level: lv for lv in settings_rules.rows_for_company(rows, company)}
		return levels[company].get(row.level)

	def send(row) -> list[str]:
		recipients = _recipients(row, level_of(row))
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
	batch_size: int = 2_500,
	now: datetime | None = None,
	companies: list[str] | None = None,
) -> int:
	"""Move the deadlines of running working-hour clocks after a calendar change.

	``holiday_list`` limits the job to the companies whose calendar uses that list,
	``companies`` to those named (a working-hours change passes the companies whose own working
	week changed, ``core.settings.companies_with_changed_hours``); neither: every company.

	``since`` / ``until`` bound the changed days (a Holiday List edit passes the first and the
	day after the last date it added or removed): a clock due before ``since`` or started on or
	after ``until`` cannot move, so it is not read. Reads the clocks of ``batch_size`` documents
	at a time (keyset on the parent, no OFFSET), computes them with the core's bulk path and
	writes back, in one statement per batch, only the clocks whose deadline or state changed,
	together with the list-view state of their parents; reports progress to the desk.
	Calendar-hour clocks do not move. Derived clocks (``core.sla.is_derived``) store no deadline,
	so only their states are set anew (``_reset_derived_states``). Returns the number of clocks
	written.

	Tuned for hundreds of thousands of clocks: a document's clocks travel as one text column
	(PyMySQL decodes rows and columns in pure Python, at a cost above the deadline arithmetic)
	and share one position lookup of their common start, pauses are fetched only for the
	documents that have any, and the writes overlap the reading when they can (``_BatchWriter``).
	"""
	now = now or now_datetime()
	share = at_risk_share()
	using = companies_using(holiday_list)
	companies = [c for c in using if c in companies] if companies is not None else using
	if not companies:
		return 0
	calendars = {company: get_clock("Working Hours", company) for company in companies}
	reset = _reset_derived_states(companies, now)
	conditions = [
		"k.derived = 0",
		"k.met_on is null",
		"k.start_on is not null",
		"k.basis = 'Working Hours'",
		"k.company in %(companies)s",
		"k.state in %(live)s",
	]
	if since:
		conditions.append("(k.due_on is null or k.due_on >= %(since)s)")
	if until:
		conditions.append("k.start_on < %(until)s")
	where = " and ".join(conditions)
	params = {
		"companies": companies,
		"live": [s.value for s in LIVE_STATES],
		"since": getdate(since) if since else None,
		"until": getdate(until) if until else None,
		"limit": batch_size,
		"last": "",
	}
	total = frappe.db.sql(f"select count(*) from `tabService SLA Clock` k where {where}", params)[0][0]
	if not total:
		# only derived states to reset, done already: the desk still hears that the job ended
		frappe.publish_progress(100, title=_("Recomputing SLA deadlines"), description=f"{reset}/{reset}")
		return reset
	# a document's clocks come as one group_concat: never cut short (1 MB is MariaDB's default)
	frappe.db.sql("set session group_concat_max_len = greatest(@@session.group_concat_max_len, 1048576)")
	allowances: dict[str, timedelta] = {}
	read = written = 0
	with _BatchWriter() as writer:
		while True:
			# one row per parent name, its clocks packed in one text column (see the docstring);
			# grouped by the name alone, the index on it gives the order with no sort
			rows = [
				(parent, paused, [clock.split(_SEP) for clock in packed.split(_ROW_SEP)])
				for parent, paused, packed in frappe.db.sql(
					f"""select k.parent,
						exists(select 1 from `tabService SLA Pause` p where p.parent = k.parent),
						group_concat(concat_ws(char(31), k.name, k.parenttype, k.company, k.start_on,
							k.allowance_hours, ifnull(k.cap_on, ''), ifnull(k.due_on, ''),
							ifnull(k.at_risk_on, ''), ifnull(k.next_on, ''), k.state)
							separator '{_ROW_SEP}')
					from `tabService SLA Clock` k
					where {where} and k.parent > %(last)s
					group by k.parent
					order by k.parent limit %(limit)s""",
					params,
				)
			]
			if not rows:
				break
			params["last"] = rows[-1][0]
			pauses = _pauses_by_parent(
				{(clock[1], parent) for parent, paused, clocks in rows if paused for clock in clocks}
			)
			changed, moved = [], set()
			for company, cases in _cases_by_company(rows, pauses, allowances).items():
				for (parent, clock), due_on, at_risk_on, state in recompute_running(
					cases, clock=calendars[company], now=now, at_risk_share=share
				):
					due = _as_text(due_on)
					at_risk = due if at_risk_on == due_on else _as_text(at_risk_on)
					# the text of whichever of the two the sweep looks at next
					next_on = next_check_on(state, at_risk, due) or ""
					new = (due, at_risk, next_on, state.value)
					if new != (clock[6], clock[7], clock[8], clock[9]):
						changed.append((clock[0], *new))
						if new[3] != clock[9]:  # the parent's list-view state follows clock states only
							moved.add((clock[1], parent))
					read += 1
			if changed:
				writer.submit([*_clock_batch_statements(changed), *_reset_parent_states(moved)])
			written += len(changed)
			frappe.publish_progress(
				read * 100 / total, title=_("Recomputing SLA deadlines"), description=f"{read}/{total}"
			)
	return reset + written


def _reset_derived_states(companies: list[str], now: datetime) -> int:
	"""Give each derived working-hour clock of ``companies`` the state its start gives at ``now``
	on the changed calendar (the sweep only ever raises states; a calendar change can lower them
	too). Per group, the clocks whose state moves are three ranges of the index: On Track ones
	started by the at-risk threshold, At Risk ones after it or by the breach threshold, Breached
	ones after that; only they are read and written, with their parents' list-view state. A clock
	met or paused since it was read is no longer derived and keeps what its save wrote. Returns
	the clocks written."""
	derived = DerivedClocks("Working Hours", companies)
	ranges, params = [], {}
	for i, group in enumerate(derived.groups):
		breached, at_risk = derived.thresholds(group, now)
		key = f"g{i}"
		params.update(_group_params(key, group), **{f"{key}b_s": breached, f"{key}r_s": at_risk})
		by_risk, after_risk = (
			(f"k.start_on <= %({key}r_s)s", f"k.start_on > %({key}r_s)s") if at_risk else ("false", "true")
		)
		by_breach, after_breach = (
			(f"k.start_on <= %({key}b_s)s", f"k.start_on > %({key}b_s)s") if breached else ("false", "true")
		)
		ranges.append(
			f"""({_same_group(key)} and (
				(k.state = '{ClockState.ON_TRACK.value}' and {by_risk})
				or (k.state = '{ClockState.AT_RISK.value}' and ({after_risk} or {by_breach}))
				or (k.state = '{ClockState.BREACHED.value}' and {after_breach})))"""
		)
	if not ranges:
		return 0
	by_state: dict[str, list[str]] = {}
	parents = set()
	for name, parenttype, parent, state, basis, company, hours, start in frappe.db.sql(
		f"""select k.name, k.parenttype, k.parent, k.state, k.basis, k.company, k.allowance_hours,
			k.start_on
		from `tabService SLA Clock` k
		where k.derived = 1 and ({" or ".join(ranges)})""",
		params,
	):
		new_state = derived_state(start, derived.thresholds((basis, company, hours), now)).value
		if new_state != state:
			by_state.setdefault(new_state, []).append(name)
			parents.add((parenttype, parent))
	live = [s.value for s in DERIVED_STATES]
	for new_state, names in by_state.items():
		for chunk in range(0, len(names), 10_000):
			frappe.db.sql(
				"""update `tabService SLA Clock` set state = %(new_state)s
				where name in %(names)s and derived = 1 and state in %(live)s""",
				{"new_state": new_state, "names": names[chunk : chunk + 10_000], "live": live},
			)
	for query, values in _reset_parent_states(parents):
		frappe.db.sql(query, values)
	return sum(len(names) for names in by_state.values())


def _cases_by_company(rows, pauses, allowances) -> dict[str, list[tuple]]:
	"""The core's ``(start, pauses, clocks)`` cases per company (one calendar each): the clocks of
	one document that start together. A clock's key is ``(parent, its text fields)``."""
	out: dict[str, list[tuple]] = {}
	for parent, _paused, clocks in rows:
		cases: dict[tuple[str, str, str], list] = {}
		for clock in clocks:
			hours = clock[4]
			allowance = allowances.get(hours)
			if allowance is None:
				allowance = allowances[hours] = timedelta(hours=float(hours))
			parenttype, company, start = clock[1], clock[2], clock[3]
			case = cases.get((parenttype, company, start))
			if case is None:
				case = cases[parenttype, company, start] = []
				out.setdefault(company, []).append(
					(datetime.fromisoformat(start), pauses.get((parenttype, parent), ()), case)
				)
			case.append(((parent, clock), allowance, datetime.fromisoformat(clock[5]) if clock[5] else None))
	return out


#: Between the clocks of a case read as text, and between their columns: the ASCII record and
#: unit separators, which no name holds.
_ROW_SEP, _SEP = "\x1e", "\x1f"


def _as_text(value: datetime | None) -> str:
	"""A Datetime(6) column as MariaDB spells it in text ('' for null, as the read gives it)."""
	return value.isoformat(" ", "microseconds") if value else ""


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


def _clock_batch_statements(changed: list[tuple[str, str, str, str, str]]) -> list[tuple]:
	"""The statements that write a batch of new deadlines, in one statement matched by primary key.

	An ``INSERT ... ON DUPLICATE KEY UPDATE`` of existing names is the cheapest multi-row update
	MariaDB parses (``CASE name WHEN ...`` is quadratic, a joined derived table slower to parse).
	The values are written as literals: the names are escaped, the rest are the job's own
	datetimes and states. A clock met or stopped since it was read (someone saved the case
	meanwhile) keeps what that save wrote; the state is assigned last, so the guards read the
	state as it was. A clock deleted since it was read would come back as a bare row; the second
	statement removes any such row in the same transaction.
	"""
	escape = frappe.db.escape
	values = ", ".join(
		f"({escape(name, percent=False)}, {_literal(due)}, {_literal(at_risk)}, {_literal(next_on)}, '{state}')"
		for name, due, at_risk, next_on, state in changed
	)
	live = ", ".join(f"'{s.value}'" for s in LIVE_STATES)
	running = f"met_on is null and state in ({live})"
	return [
		(
			f"""insert into `tabService SLA Clock` (name, due_on, at_risk_on, next_on, state)
			values {values}
			on duplicate key update
				due_on = if({running}, values(due_on), due_on),
				at_risk_on = if({running}, values(at_risk_on), at_risk_on),
				next_on = if({running}, values(next_on), next_on),
				state = if({running}, values(state), state)""",
			None,
		),
		("delete from `tabService SLA Clock` where parent is null", None),
	]


def _literal(value: str) -> str:
	return f"'{value}'" if value else "null"


#: Tries of one batch that lost a deadlock to a concurrent save of the same case.
_WRITE_ATTEMPTS = 3


class _BatchWriter:
	"""Runs the recompute's write statements, overlapping them with the reading when it can.

	A background job's connection has nothing uncommitted, so a second connection in a thread
	writes and commits batch n while this one reads and computes batch n + 1: MariaDB and Python
	each keep a core busy. Each batch is committed whole (its clocks with their parents' state),
	so a failure leaves earlier batches done and the rest as they were; a rerun finishes the job.
	Inside a transaction that has written already (a test, a caller's save), a second connection
	would not see those rows and would wait on their locks, so the statements run through
	``frappe.db`` in that transaction instead.
	"""

	def __init__(self):
		self._inline = bool(frappe.db.transaction_writes)
		self._error: BaseException | None = None
		if not self._inline:
			# frappe.db is local to this thread: the writer gets what it needs now
			self._is_deadlocked = frappe.db.is_deadlocked
			self._connection = frappe.db.get_connection()
			self._queue: queue.Queue = queue.Queue(maxsize=2)
			self._thread = threading.Thread(target=self._run, name="sla-recompute-writer", daemon=True)

	def __enter__(self):
		if not self._inline:
			self._thread.start()
		return self

	def submit(self, statements: list[tuple[str, object]]) -> None:
		if self._inline:
			for query, values in statements:
				frappe.db.sql(query, *([] if values is None else [values]))
			return
		if self._error:
			raise self._error
		self._queue.put(statements)

	def _run(self) -> None:
		cursor = self._connection.cursor()
		# writes by primary key only: record locks are enough, gap locks would only block saves
		cursor.execute("set session transaction isolation level read committed")
		while (statements := self._queue.get()) is not None:
			if self._error:
				continue  # drain what the reader still queues; __exit__ raises
			for attempt in range(1, _WRITE_ATTEMPTS + 1):
				try:
					for query, values in statements:
						cursor.execute(query, values)
					self._connection.commit()
					break
				except BaseException as e:
					self._connection.rollback()
					# a save of the same case can lock the parent first: retry a deadlock victim
					if attempt == _WRITE_ATTEMPTS or not (e.args and self._is_deadlocked(e)):
						self._error = e
						break

	def __exit__(self, exc_type, exc, tb):
		if self._inline:
			return False
		self._queue.put(None)
		self._thread.join()
		self._connection.close()
		if self._error and not exc:
			raise self._error
		return False
