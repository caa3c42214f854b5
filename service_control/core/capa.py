"""Corrective and preventive actions (纠正和预防措施, CAPA): the state machine, its gates and the plans.

Status flow (ISO 9001 clause 10.2, 8D): Draft → Containment (temporary / emergency measures)
→ Root Cause (5 Whys, fishbone or 8D; cause category) → Actions Planned (corrective and
preventive rows with owner and due date) → Approved (by quality) → Implemented (every action of
the round done) → Effectiveness Check (planned date = last completion + N days) → Closed.
A check found Not Effective reopens the CAPA at Actions Planned for a new round; the rows of
earlier rounds stay as they were. Cancelled is for CAPAs opened in error.

Everything here is plain Python: the adapter hands in facts and rows, the functions raise a
``CapaError`` / ``TransitionError`` or return a plan. The daily scheduler's selection (which
actions need a reminder, which are overdue, which checks fall due) is defined here too; the daily
job runs it as SQL (service_control.service_control.capa_sweep), and a site test
(``test_corrective_action_log``: ``test_daily_job_selects_what_the_core_selects``) proves on
generated rows that the SQL selects exactly the rows these functions select.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from service_control.core import access
from service_control.core.errors import DomainError, TransitionError, _
from service_control.core.history import check_chronology, require_end

DRAFT = "Draft"
CONTAINMENT = "Containment"
ROOT_CAUSE = "Root Cause"
ACTIONS_PLANNED = "Actions Planned"
APPROVED = "Approved"
IMPLEMENTED = "Implemented"
EFFECTIVENESS_CHECK = "Effectiveness Check"
CLOSED = "Closed"
CANCELLED = "Cancelled"
STATUSES = (
	DRAFT,
	CONTAINMENT,
	ROOT_CAUSE,
	ACTIONS_PLANNED,
	APPROVED,
	IMPLEMENTED,
	EFFECTIVENESS_CHECK,
	CLOSED,
	CANCELLED,
)
FINAL_STATUSES = (CLOSED, CANCELLED)

#: Where a CAPA may come from; no source type means an internal CAPA (audit, review, idea).
SOURCE_TYPES = (
	"Customer Complaint",
	"Repair Request",
	"Satisfaction Survey Response",
	"Non Conformance",
	"Internal Complaint",
	"Feedback Handling Form",
	"Quality Review",
	"Continuity Test Report",
)
SELF_TYPE = "Corrective Action"
METHODS = ("5 Whys", "Fishbone", "8D")
FIVE_WHYS = "5 Whys"
CAUSE_CATEGORIES = ("Man", "Machine", "Material", "Method", "Measurement", "Environment")

CORRECTIVE = "Corrective"
PREVENTIVE = "Preventive"
ACTION_TYPES = (CORRECTIVE, PREVENTIVE)
ACTION_OPEN = "Open"
ACTION_IN_PROGRESS = "In Progress"
ACTION_DONE = "Done"
ACTION_CANCELLED = "Cancelled"
OPEN_ACTION_STATUSES = (ACTION_OPEN, ACTION_IN_PROGRESS)

EFFECTIVE = "Effective"
NOT_EFFECTIVE = "Not Effective"
RESULTS = (EFFECTIVE, NOT_EFFECTIVE)

QUALITY_MANAGER = "Quality Manager"
SYSTEM_MANAGER = "System Manager"
#: Roles that edit a CAPA freely (the gates still hold); anyone else with write access (the
#: Service Technician) may only update the action rows they own.
EDITOR_ROLES = frozenset({SYSTEM_MANAGER, QUALITY_MANAGER, "Customer Service User"})
#: Fields of an action row its owner may update.
OWNER_EDITABLE = frozenset({"status", "completed_on", "evidence", "remarks"})
#: Roles that see every CAPA. A user with CAPA access but none of these (the Service Technician)
#: sees only the CAPAs they take part in: owner of an action, CAPA owner or verifier.
SEE_ALL_ROLES = EDITOR_ROLES | {"General Manager"}

#: Statuses in which action rows are live (reminded, escalated when overdue).
ACTION_LIVE_STATUSES = (ACTIONS_PLANNED, APPROVED)
#: Statuses in which the effectiveness check of the round falls due.
CHECK_LIVE_STATUSES = (IMPLEMENTED, EFFECTIVENESS_CHECK)

#: (from, to): allowed status changes; every open status may also be cancelled.
TRANSITIONS = {
	(DRAFT, CONTAINMENT),
	(CONTAINMENT, ROOT_CAUSE),
	(ROOT_CAUSE, ACTIONS_PLANNED),
	(ACTIONS_PLANNED, ROOT_CAUSE),
	(ACTIONS_PLANNED, APPROVED),
	(APPROVED, ACTIONS_PLANNED),
	(APPROVED, IMPLEMENTED),
	(IMPLEMENTED, EFFECTIVENESS_CHECK),
	(EFFECTIVENESS_CHECK, CLOSED),
	(EFFECTIVENESS_CHECK, ACTIONS_PLANNED),
} | {(s, CANCELLED) for s in STATUSES if s not in FINAL_STATUSES}

#: Risk bands of severity x occurrence x detection (1 to 1000), as FMEA practice reads them.
RISK_BANDS = ((200, "High"), (100, "Medium"), (1, "Low"))


class CapaError(DomainError):
	pass


# ------------------------------------------------------------------------------------------
# Facts


@dataclass
class ActionRow:
	"""One corrective / preventive action (a row of the CAPA's action table)."""

	round: int = 1
	action_type: str = CORRECTIVE
	action: str | None = None
	owner: str | None = None
	due_date: date | None = None
	status: str = ACTION_OPEN
	completed_on: date | None = None
	department: str | None = None
	key: str | None = None  # the row's name, when it has one
	idx: int = 0

	@property
	def is_open(self) -> bool:
		return self.status in OPEN_ACTION_STATUSES


@dataclass
class CheckRow:
	"""The effectiveness check of one round."""

	round: int = 1
	planned_date: date | None = None
	criteria: str | None = None
	result: str | None = None
	verified_by: str | None = None
	verified_on: date | None = None
	reason: str | None = None
	key: str | None = None
	idx: int = 0


@dataclass
class CapaFacts:
	"""The fields of a CAPA the rules look at, independent of Frappe."""

	status: str = DRAFT
	opened_on: date | None = None
	current_round: int = 1
	problem_what: str | None = None
	containment_actions: int = 0
	root_cause_method: str | None = None
	root_cause: str | None = None
	cause_category: str | None = None
	whys: int = 0
	actions: list[ActionRow] = field(default_factory=list)
	checks: list[CheckRow] = field(default_factory=list)
	approver: str | None = None
	cancel_reason: str | None = None
	#: imported history (``check_history``): the CAPA comes in with the dates it really had
	history: bool = False
	closed_on: date | None = None

	def round_actions(self, rnd: int | None = None) -> list[ActionRow]:
		rnd = self.current_round if rnd is None else rnd
		return [a for a in self.actions if a.round == rnd]

	def round_check(self, rnd: int | None = None) -> CheckRow | None:
		rnd = self.current_round if rnd is None else rnd
		return next((c for c in self.checks if c.round == rnd), None)


# ------------------------------------------------------------------------------------------
# Risk


def risk_score(severity: int | None, occurrence: int | None, detection: int | None) -> int:
	"""Severity x occurrence x detection, each rated 1 (best) to 10 (worst); 0 until all are rated."""
	ratings = {"Severity": severity, "Occurrence": occurrence, "Detection": detection}
	if any(v in (None, 0) for v in ratings.values()):
		return 0
	for label, value in ratings.items():
		if int(value) != value or not 1 <= value <= 10:
			raise CapaError(_("{0} must be a whole number from 1 to 10, not {1}."), label, value)
	return int(severity) * int(occurrence) * int(detection)


def risk_band(score: int) -> str | None:
	"""High from 200, Medium from 100, Low below; None while not rated."""
	for threshold, band in RISK_BANDS:
		if score >= threshold:
			return band
	return None


# ------------------------------------------------------------------------------------------
# Field rules


def check_source(
	source_type: str | None,
	source_name: str | None,
	own_name: str | None,
	source_cancelled: bool = False,
) -> None:
	"""A CAPA comes from one of SOURCE_TYPES, or from nowhere (internal); never from itself."""
	if not source_type:
		if source_name:
			raise CapaError(_("Choose the source type of {0}."), source_name)
		return
	if source_type == SELF_TYPE:
		if source_name and source_name == own_name:
			raise CapaError(_("A CAPA cannot be its own source."))
		raise CapaError(_("A CAPA cannot be the source of another CAPA; add the actions to it instead."))
	if source_type not in SOURCE_TYPES:
		raise CapaError(_("{0} cannot be the source of a CAPA."), source_type)
	if not source_name:
		raise CapaError(_("Choose the {0} this CAPA comes from."), source_type)
	if source_cancelled:
		raise CapaError(
			_("{0} {1} is cancelled and cannot be the source of a CAPA."), source_type, source_name
		)


def validate_fields(facts: CapaFacts, today: date, disabled_users: Iterable[str] = ()) -> None:
	"""Rules that hold in every status."""
	disabled = set(disabled_users)
	if facts.opened_on and facts.opened_on > today:
		raise CapaError(_("The CAPA date {0} is in the future."), facts.opened_on)
	if facts.root_cause_method and facts.root_cause_method not in METHODS:
		raise CapaError(_("Unknown root-cause method {0}."), facts.root_cause_method)
	if facts.cause_category and facts.cause_category not in CAUSE_CATEGORIES:
		raise CapaError(_("Unknown cause category {0}."), facts.cause_category)
	for row in facts.actions:
		_check_action(row, facts, today, disabled)
	rounds = [c.round for c in facts.checks]
	if len(rounds) != len(set(rounds)):
		raise CapaError(_("Each round has one effectiveness check."))
	for check in facts.checks:
		if check.round > facts.current_round or check.round < 1:
			raise CapaError(
				_("Effectiveness check row {0}: round {1} does not exist yet."), check.idx, check.round
			)
		if check.result and check.result not in RESULTS:
			raise CapaError(_("Unknown effectiveness result {0}."), check.result)


def _check_action(row: ActionRow, facts: CapaFacts, today: date, disabled: set[str]) -> None:
	if row.round < 1 or row.round > facts.current_round:
		raise CapaError(_("Action row {0}: round {1} does not exist yet."), row.idx, row.round)
	if row.action_type not in ACTION_TYPES:
		raise CapaError(_("Action row {0}: type must be Corrective or Preventive."), row.idx)
	if row.due_date and facts.opened_on and row.due_date < facts.opened_on:
		raise CapaError(
			_("Action row {0}: due date {1} is before the CAPA date {2}."),
			row.idx,
			row.due_date,
			facts.opened_on,
		)
	if row.owner and row.owner in disabled:
		raise CapaError(_("Action row {0}: owner {1} is a disabled user."), row.idx, row.owner)
	if row.status == ACTION_DONE and not row.completed_on:
		raise CapaError(_("Action row {0} is done: enter the completion date."), row.idx)
	if row.completed_on and row.status != ACTION_DONE:
		raise CapaError(_("Action row {0} has a completion date but is not done."), row.idx)
	if row.completed_on and row.completed_on > today:
		raise CapaError(_("Action row {0}: completion date {1} is in the future."), row.idx, row.completed_on)
	if row.completed_on and facts.opened_on and row.completed_on < facts.opened_on:
		raise CapaError(_("Action row {0}: completed before the CAPA was opened."), row.idx)


def check_verification(
	check: CheckRow, status: str, roles: Iterable[str], today: date, history: bool = False
) -> None:
	"""A result is recorded in the Effectiveness Check stage, not before the planned date.

	Only a Quality Manager may verify early, and must say why. A result of imported history
	(``history``) was recorded in its time: it needs only a verification date that has come.
	"""
	if not check.result:
		if check.verified_by or check.verified_on:
			raise CapaError(_("Effectiveness check of round {0}: record the result."), check.round)
		return
	if history:
		if check.verified_on and check.verified_on > today:
			raise CapaError(_("Verified On {0} is in the future."), check.verified_on)
		return
	if status != EFFECTIVENESS_CHECK:
		raise CapaError(_("Record the effectiveness result in the Effectiveness Check stage."))
	if not check.planned_date:
		raise CapaError(_("Effectiveness check of round {0} has no planned date."), check.round)
	verified_on = check.verified_on or today
	if verified_on > today:
		raise CapaError(_("Verified On {0} is in the future."), verified_on)
	if verified_on < check.planned_date:
		if QUALITY_MANAGER not in set(roles):
			raise CapaError(
				_("The effectiveness check is planned for {0}; only a Quality Manager may verify earlier."),
				check.planned_date,
			)
		if not check.reason:
			raise CapaError(_("Give a reason for verifying before the planned date {0}."), check.planned_date)


def check_earlier_rounds_kept(
	before: Mapping[str, Mapping], after: Mapping[str, Mapping], current_round: int
) -> None:
	"""Rows of closed rounds are the record of what was tried: never edited or removed.

	``before`` / ``after`` map row keys to the row's fields (``round`` among them).
	"""
	for key, old in before.items():
		if (old.get("round") or 1) >= current_round:
			continue
		new = after.get(key)
		if new is None:
			raise CapaError(
				_("Rows of round {0} are kept as a record and cannot be removed."), old.get("round")
			)
		if dict(new) != dict(old):
			raise CapaError(
				_("Rows of round {0} are kept as a record and cannot be changed."), old.get("round")
			)
	for key, new in after.items():
		if key not in before and (new.get("round") or 1) < current_round:
			raise CapaError(
				_("Round {0} is over: add new rows to round {1}."), new.get("round"), current_round
			)


def check_owner_edits(
	user: str,
	roles: Iterable[str],
	before: Mapping[str, Mapping],
	after: Mapping[str, Mapping],
	changed_parent_fields: Iterable[str] = (),
) -> None:
	"""A user without an editor role (the Service Technician) updates only the actions they own.

	``before`` / ``after`` map action-row keys to the row's fields, ``owner`` among them.
	"""
	if EDITOR_ROLES & set(roles):
		return
	changed = sorted(set(changed_parent_fields))
	if changed:
		raise CapaError(_("You may update only the actions you own, not {0}."), ", ".join(changed))
	for key in before.keys() - after.keys():
		raise CapaError(_("You cannot remove the action {0}."), before[key].get("action") or key)
	if after.keys() - before.keys():
		raise CapaError(_("You cannot add actions to this CAPA."))
	for key, new in after.items():
		old = before[key]
		diff = {f for f in set(old) | set(new) if old.get(f) != new.get(f)}
		if not diff:
			continue
		if old.get("owner") != user:
			raise CapaError(_("You may update only the actions you own."))
		if diff - OWNER_EDITABLE:
			raise CapaError(
				_("As the owner you may update only status, completion date, evidence and remarks.")
			)


def sees_every_capa(roles: Iterable[str]) -> bool:
	"""Does a SEE_ALL_ROLES role open every CAPA. Anyone else opens a CAPA only as its owner, its
	verifier or an action's owner (core.access.takes_part)."""
	return access.sees_every(roles, SEE_ALL_ROLES)


def check_final_edit(old_status: str | None, changed_fields: Iterable[str]) -> None:
	if old_status in FINAL_STATUSES and set(changed_fields):
		raise CapaError(_("CAPA is {0} and can no longer be edited."), old_status)


# ------------------------------------------------------------------------------------------
# The state machine


def check_transition(old: str | None, new: str, facts: CapaFacts, roles: Iterable[str] = ()) -> None:
	"""Raise TransitionError unless ``old`` → ``new`` is allowed and its gate holds. A new CAPA of
	imported history starts in any status whose gates hold (``check_history``)."""
	if old is None and facts.history:
		check_history(new, facts)
		return
	if old is None or old == new:
		if old is None and new != DRAFT:
			raise TransitionError(_("A new CAPA starts as Draft, not {0}."), new)
		return
	if (old, new) not in TRANSITIONS:
		raise TransitionError(_("A CAPA cannot go from {0} to {1}."), old, new)
	gate = _GATES.get((old, new)) or _GATES.get((None, new))
	if gate:
		gate(facts, set(roles))


def _gate_containment(facts: CapaFacts, roles: set[str]) -> None:
	if not facts.problem_what:
		raise TransitionError(_("Describe the problem (what happened) before containment."))


def _gate_root_cause(facts: CapaFacts, roles: set[str]) -> None:
	if not facts.containment_actions:
		raise TransitionError(_("Record at least one containment action before the root-cause analysis."))


def _gate_actions_planned(facts: CapaFacts, roles: set[str]) -> None:
	if not (facts.root_cause_method and facts.root_cause and facts.cause_category):
		raise TransitionError(_("Record the root cause: method, cause and cause category."))
	if facts.root_cause_method == FIVE_WHYS and not facts.whys:
		raise TransitionError(_("The 5 Whys method needs the why-chain."))


def _gate_approved(facts: CapaFacts, roles: set[str]) -> None:
	_gate_actions_ready(facts, roles)
	if not facts.approver:
		raise TransitionError(_("Name the approver."))
	if not roles & {QUALITY_MANAGER, SYSTEM_MANAGER}:
		raise TransitionError(_("Only a Quality Manager can approve a CAPA."))


def _gate_actions_ready(facts: CapaFacts, roles: set[str]) -> None:
	live = [a for a in facts.round_actions() if a.status != ACTION_CANCELLED]
	if not any(a.action_type == CORRECTIVE for a in live):
		raise TransitionError(
			_("Plan at least one corrective action in round {0} before approval."), facts.current_round
		)
	for row in live:
		if not (row.owner and row.due_date):
			raise TransitionError(_("Action row {0}: give an owner and a due date before approval."), row.idx)


def _gate_implemented(facts: CapaFacts, roles: set[str]) -> None:
	rows = facts.round_actions()
	open_rows = [a.idx for a in rows if a.is_open]
	if open_rows:
		raise TransitionError(_("Actions {0} are not done yet."), ", ".join(str(i) for i in open_rows))
	if not any(a.action_type == CORRECTIVE and a.status == ACTION_DONE for a in rows):
		raise TransitionError(_("No corrective action of round {0} is done."), facts.current_round)


def _gate_effectiveness_check(facts: CapaFacts, roles: set[str]) -> None:
	check = facts.round_check()
	if not check or not check.planned_date:
		raise TransitionError(_("Plan the effectiveness check of round {0}."), facts.current_round)


def _gate_closed(facts: CapaFacts, roles: set[str]) -> None:
	check = facts.round_check()
	if not check or not check.result:
		raise TransitionError(_("Record the effectiveness result before closing."))
	if check.result != EFFECTIVE:
		raise TransitionError(_("The actions were not effective: plan a new round instead of closing."))
	if not check.verified_by:
		raise TransitionError(_("Record who verified the effectiveness."))


def _gate_reopen(facts: CapaFacts, roles: set[str]) -> None:
	"""Effectiveness Check → Actions Planned only on a Not Effective result (a new round)."""
	check = facts.round_check(facts.current_round - 1)
	if not check or check.result != NOT_EFFECTIVE:
		raise TransitionError(_("Only a Not Effective result sends the CAPA back to planning."))


def _gate_cancelled(facts: CapaFacts, roles: set[str]) -> None:
	if not facts.cancel_reason:
		raise TransitionError(_("Give a reason for cancelling the CAPA."))


def _no_gate(facts: CapaFacts, roles: set[str]) -> None:
	return None


#: (from, to) → gate; (None, to) is the gate of every move into ``to``. A specific move with
#: _no_gate (going back a step to rework the analysis or the plan) skips the forward gate.
_GATES = {
	(None, CONTAINMENT): _gate_containment,
	(None, ROOT_CAUSE): _gate_root_cause,
	(ACTIONS_PLANNED, ROOT_CAUSE): _no_gate,
	(None, ACTIONS_PLANNED): _gate_actions_planned,
	(APPROVED, ACTIONS_PLANNED): _no_gate,
	(EFFECTIVENESS_CHECK, ACTIONS_PLANNED): _gate_reopen,
	(None, APPROVED): _gate_approved,
	(None, IMPLEMENTED): _gate_implemented,
	(None, EFFECTIVENESS_CHECK): _gate_effectiveness_check,
	(None, CLOSED): _gate_closed,
	(None, CANCELLED): _gate_cancelled,
}


#: The gates a CAPA of imported history passes to start in a status: those about what the 8D
#: record says (the problem, its root cause, the actions and their completion, the effectiveness
#: result), cumulative along the way to the status; not who approved here or the containment rows
#: of the app's own form.
_HISTORY_PATH = (
	(CONTAINMENT, _gate_containment),
	(ACTIONS_PLANNED, _gate_actions_planned),
	(APPROVED, _gate_actions_ready),
	(IMPLEMENTED, _gate_implemented),
	(CLOSED, _gate_closed),
)


def check_history(status: str, facts: CapaFacts) -> None:
	"""A CAPA of imported history: it may start in the status it ended in when the gates on the
	way there hold (``_HISTORY_PATH``); a closed one carries its closing date, after its opening."""
	if status == CANCELLED:
		_gate_cancelled(facts, set())
	for gate_status, gate in _HISTORY_PATH:
		if status == CANCELLED or STATUSES.index(gate_status) > STATUSES.index(status):
			break
		gate(facts, set())
	require_end(status == CLOSED, facts.closed_on, _("Closed On"))
	check_chronology([(_("Opened On"), facts.opened_on), (_("Closed On"), facts.closed_on)])


# ------------------------------------------------------------------------------------------
# Rounds and effectiveness planning


def advance(facts: CapaFacts) -> tuple[str, int]:
	"""The status and round after a save: a Not Effective result opens the next round.

	The rows of the finished round stay; the new round starts at Actions Planned with no rows.
	"""
	check = facts.round_check()
	if facts.status == EFFECTIVENESS_CHECK and check and check.result == NOT_EFFECTIVE:
		return ACTIONS_PLANNED, facts.current_round + 1
	return facts.status, facts.current_round


def plan_effectiveness_date(actions: Iterable[ActionRow], rnd: int, days: int) -> date | None:
	"""Planned date = the last completion of the round's done actions + ``days``; None while open."""
	rows = [a for a in actions if a.round == rnd and a.status != ACTION_CANCELLED]
	if not rows or any(a.is_open or not a.completed_on for a in rows):
		return None
	if days < 0:
		raise CapaError(_("The effectiveness delay cannot be negative."))
	return max(a.completed_on for a in rows) + timedelta(days=days)


# ------------------------------------------------------------------------------------------
# The daily scheduler's selection (capa_sweep runs the same predicates as SQL, set-based;
# test_corrective_action_log proves the two select the same rows)


def reminder_window(today: date, days: int) -> tuple[date, date]:
	"""Open actions due within [today, today + days] are reminded (once per row and due date)."""
	return today, today + timedelta(days=max(days, 0))


def needs_reminder(row: ActionRow, parent_status: str, today: date, days: int, history: bool = False) -> bool:
	"""An open action of a live CAPA due within the reminder window; never one of imported history
	(``history``: its dates are the past's, nobody is to be reminded of them)."""
	start, end = reminder_window(today, days)
	return (
		not history
		and parent_status in ACTION_LIVE_STATUSES
		and row.is_open
		and bool(row.due_date)
		and start <= row.due_date <= end
	)


def is_overdue(row: ActionRow, parent_status: str, today: date, history: bool = False) -> bool:
	"""An open action of a live CAPA past its due date; never one of imported history."""
	return (
		not history
		and parent_status in ACTION_LIVE_STATUSES
		and row.is_open
		and bool(row.due_date)
		and row.due_date < today
	)


def check_falls_due(
	check: CheckRow, parent_status: str, current_round: int, today: date, history: bool = False
) -> bool:
	"""The current round's check with no result whose planned date has come; never one of imported
	history."""
	return (
		not history
		and parent_status in CHECK_LIVE_STATUSES
		and check.round == current_round
		and not check.result
		and bool(check.planned_date)
		and check.planned_date <= today
	)


# ------------------------------------------------------------------------------------------
# Creating a CAPA from a complaint


def check_can_create_from_complaint(complaint: str, responsibility: str | None, status: str) -> None:
	"""A CAPA is opened from a complaint only where the company is responsible (公司责任)."""
	if status == "Cancelled":
		raise CapaError(_("Complaint {0} is cancelled."), complaint)
	if responsibility != "Company":
		raise CapaError(
			_("Complaint {0}: a CAPA is opened when the company is responsible, not {1}."),
			complaint,
			responsibility or _("undetermined"),
		)


def capa_to_reuse(existing: Iterable[tuple[str, str]]) -> str | None:
	"""What "Create CAPA" on a source (a complaint, a repair, a survey answer) leads to, given the
	source's CAPAs as (name, status), newest first: its live CAPA (neither closed nor cancelled),
	so one problem is worked in one place; None when it has none, and a new one is made. A closed
	or cancelled CAPA does not block a new one: the problem came back, or the first was a mistake."""
	return next((name for name, status in existing if status not in (CLOSED, CANCELLED)), None)


# ------------------------------------------------------------------------------------------
# Effectiveness statistics (the CAPA Effectiveness report)


@dataclass
class Outcome:
	"""One CAPA as the statistics see it."""

	opened_on: date
	closed_on: date | None = None
	department: str | None = None
	cause_category: str | None = None
	results: tuple[str, ...] = ()  # the verified results of its checks, round by round


def group_key(outcome: Outcome, group_by: str) -> str:
	if group_by == "Month":
		return outcome.opened_on.strftime("%Y-%m")
	if group_by == "Department":
		return outcome.department or ""
	if group_by == "Cause Category":
		return outcome.cause_category or ""
	raise CapaError(_("Group by Month, Department or Cause Category, not {0}."), group_by)


def summarize_effectiveness(outcomes: Iterable[Outcome], group_by: str) -> list[dict]:
	"""Per group: CAPAs, closed, checks verified, effective, rate (%), first-time rate, cycle days.

	The effectiveness rate counts checks (each round's verdict); the first-time rate counts CAPAs
	whose first check was effective; cycle time is CAPA date to closure, for closed CAPAs.
	"""
	groups: dict[str, list[Outcome]] = {}
	for outcome in outcomes:
		groups.setdefault(group_key(outcome, group_by), []).append(outcome)
	rows = []
	for key in sorted(groups):
		items = groups[key]
		checks = [r for o in items for r in o.results]
		effective = sum(1 for r in checks if r == EFFECTIVE)
		first = [o.results[0] for o in items if o.results]
		cycles = [(o.closed_on - o.opened_on).days for o in items if o.closed_on]
		rows.append(
			{
				"group": key,
				"capas": len(items),
				"closed": len(cycles),
				"checks": len(checks),
				"effective": effective,
				"effectiveness_rate": round(100.0 * effective / len(checks), 1) if checks else None,
				"first_time_rate": round(100.0 * first.count(EFFECTIVE) / len(first), 1) if first else None,
				"avg_cycle_days": round(sum(cycles) / len(cycles), 1) if cycles else None,
			}
		)
	return rows
