"""SLA clocks on Frappe documents: the per-save computation of every stage clock.

Clocks live in the child table Service SLA Clock, shared by every doctype with stages (customer
complaints, repair requests), so one set-based sweep covers them all. The arithmetic is the
core's (service_control.core.sla / working_time); this module loads the policy and the pauses,
calls the core and sets the rows, which the controller then saves. It owns ``CLOCK_PARENTS``,
the list of doctypes with clocks that the sweep, the escalation and the notifications read.

Why not ERPNext's Service Level Agreement: it knows only response and resolution, snaps
allowances of 24 h or more to the end of a working day, and marks a breach only when someone
saves the document. Its Holiday List is reused (per company), its Issue Priority is not (the
procedures have two urgencies, kept as a Select).
"""

from datetime import datetime, timedelta

from frappe.utils import cint, flt, get_datetime, now_datetime

from service_control.core import settings as settings_rules
from service_control.core.escalation import EscalationLevel, overall_state
from service_control.core.sla import Pause, derived_deadlines, ended_state, stopped_state
from service_control.core.sla_review import StageClock, review_case
from service_control.utils import get_clock, get_settings

#: Parent doctypes with SLA clocks, and the field naming who owns the case (escalation level
#: "Notify Owner"), its severity field (or None), statuses in which clocks no longer run, and the
#: case's fields that repeat each stage's clock state (SLA Performance reads them).
CLOCK_PARENTS = {
	"Customer Complaint": {
		"owner_field": "investigation_owner",
		"severity_field": "severity",
		"final_statuses": ("Closed", "Cancelled"),
		"stage_fields": {
			"First Reply": "first_reply_sla",
			"Arrangement": "arrangement_sla",
			"Resolution": "resolution_sla",
			"Closure": "closure_sla",
		},
	},
	"Repair Request": {
		"owner_field": "technician",
		"severity_field": None,
		"final_statuses": ("Closed", "Cancelled"),
		"stage_fields": {},
	},
	# HR's internal-customer complaints: the handler owns them; a level with a role notifies
	# "escalation_role" instead (an internal complaint's escalations stay within HR, notify.py)
	"Internal Complaint": {
		"owner_field": "handler",
		"severity_field": None,
		"final_statuses": ("Closed", "Cancelled"),
		"stage_fields": {},
		"escalation_role": "HR Manager",
	},
	# the front desk: whoever took the contact owns its first answer
	"Customer Contact Log": {
		"owner_field": "received_by",
		"severity_field": None,
		"final_statuses": ("Answered", "Converted", "Cancelled"),
		"stage_fields": {},
	},
}


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


def escalation_levels(company: str | None) -> list[EscalationLevel]:
	"""The escalation levels of ``company``: its own when it has any, else the default ones."""
	return [
		EscalationLevel.from_row(row)
		for row in settings_rules.rows_for_company(get_settings().escalation_levels, company)
	]


def is_critical(doc) -> bool:
	field = CLOCK_PARENTS[doc.doctype]["severity_field"]
	return bool(field and doc.get(field) == "Critical")


def update_clocks(
	doc,
	*,
	start: datetime,
	urgency: str,
	met: dict[str, datetime | None],
	caps: dict[str, datetime | None] | None = None,
	now: datetime | None = None,
	stopped: bool = False,
	ended_on: datetime | None = None,
) -> None:
	"""Review every stage clock of ``doc`` with the core (``core.sla_review.review_case``) and set
	the rows and the case's deadline fields; the same code runs on each save.

	``stopped``: the case is cancelled, so stages not met yet stop for good (no deadline, no
	sweep, no escalation, no recompute).

	``ended_on``: a record of imported history that ended then (``core.history``): its clocks are
	reviewed at that instant and stay as they were (met, met late, breached; a stage never met
	that had not breached stops), and it has no deadline and no next check, so neither the sweep
	nor a recompute ever takes it.

	A clock that ``core.sla.is_derived`` stores no due or at-risk instant (a calendar change then
	rewrites the case's row only); ``show_derived_deadlines`` gives the form its instants. The
	escalations the review finds due are left to the sweep: the case's next check is then when
	the first of them fired.
	"""
	if stopped:
		show_derived_deadlines(doc)  # a stopped clock keeps the deadline it had
		for row in doc.get("sla_clocks") or []:
			row.state = stopped_state(row.state).value
			row.at_risk_on = None
			row.derived = 0
		set_case_fields(doc, overall_state([row.state for row in doc.get("sla_clocks") or []]))
		return
	now = ended_on or now or now_datetime()
	caps = caps or {}
	targets = get_targets(doc.doctype, urgency, doc.get("company"))
	start = get_datetime(start)
	clocks = [
		StageClock(
			stage=stage,
			start=start,
			allowance=timedelta(hours=hours),
			clock=get_clock(basis, doc.get("company")),
			met_on=get_datetime(met[stage]) if met.get(stage) else None,
			cap=get_datetime(caps[stage]) if caps.get(stage) else None,
			escalated_level=cint(row.escalated_level) if (row := _row(doc, stage)) else 0,
		)
		for stage, (hours, basis) in targets.items()
	]
	review = review_case(
		clocks,
		now=now,
		pauses=get_pauses(doc),
		levels=escalation_levels(doc.get("company")),
		critical=is_critical(doc),
		at_risk_share=at_risk_share(),
	)
	for stage_clock, stage in zip(clocks, review.stages, strict=True):
		hours, basis = targets[stage.stage]
		derived = stage.derived and not ended_on  # an ended record keeps the deadlines it had
		row = _row(doc, stage.stage) or doc.append("sla_clocks", {"stage": stage.stage})
		row.update(
			{
				"start_on": start,
				"allowance_hours": hours,
				"basis": basis,
				"cap_on": stage_clock.cap,
				"company": doc.get("company"),
				"due_on": None if derived else stage.due_on,
				"at_risk_on": None if derived else stage.at_risk_on,
				"derived": int(derived),
				"met_on": stage.met_on,
				"state": stage.state.value,
			}
		)
	if ended_on:
		for row in doc.get("sla_clocks") or []:
			row.state = ended_state(row.state).value
		set_case_fields(doc, overall_state([row.state for row in doc.get("sla_clocks") or []]))
		return
	set_case_fields(doc, review.state, review.due_by, review.due_stage, review.check_on, review.last_due)


def case_columns(doctype: str) -> tuple[str, ...]:
	"""The case's SLA columns, in the order of ``case_values``: its list-view state, its next
	deadline and stage, the sweep's next check, the latest deadline (the recompute's bound) and
	the state of each stage as its clocks hold it (``stage_fields``)."""
	stage_fields = CLOCK_PARENTS[doctype]["stage_fields"]
	return ("sla_state", "due_by", "due_stage", "sla_next_on", "sla_last_due", *stage_fields.values())


def case_values(
	doctype: str, state, states: dict[str, str], due_by=None, due_stage=None, next_on=None, last_due=None
) -> tuple:
	"""The values of ``case_columns``; ``states`` are the clocks' states by stage."""
	stage_fields = CLOCK_PARENTS[doctype]["stage_fields"]
	return (state, due_by, due_stage, next_on, last_due, *(states.get(stage) for stage in stage_fields))


def set_case_fields(doc, state, due_by=None, due_stage=None, next_on=None, last_due=None) -> None:
	"""Set the case's SLA columns (``case_columns``) on a save; the sweep writes the same."""
	states = {row.stage: row.state for row in doc.get("sla_clocks") or []}
	values = case_values(doc.doctype, state, states, due_by, due_stage, next_on, last_due)
	doc.update(dict(zip(case_columns(doc.doctype), values, strict=True)))


def _row(doc, stage: str):
	return next((row for row in doc.get("sla_clocks") or [] if row.stage == stage), None)


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
