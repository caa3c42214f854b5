"""信息反馈处理单 (Feedback Handling Form): the state machine, its gates and the daily selection.

The procedure: customer feedback is registered and passed at once to the enterprise management
department (企管部) and the departments concerned; 企管部 investigates, fills the form, tells the
departments what to rectify, follows it up and reports the result back to the unit (sales or
export company) that received the feedback.

Status flow: Open (registered) → Investigating (an investigator named) → Rectifying (the
investigation written, at least one rectification row) → Closed (every row Done with its date and
result, or Waived with a reason; the result written). A form whose investigation shows nothing to
rectify may close straight from Investigating. Cancelled (with a reason) from any open status.
Rectifying → Investigating goes back a step.

Plain Python: the adapter (the Feedback Handling Form controller) hands in facts and rows. The
daily job (service_control.service_control.feedback_sweep) runs ``needs_reminder`` /
``is_overdue`` as SQL; ``test_feedback_handling_form.test_daily_job_selects_what_the_core_selects``
proves on generated rows that the SQL selects exactly what these functions select.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from service_control.core import access, record_lock
from service_control.core.errors import DomainError, TransitionError, _

OPEN = "Open"
INVESTIGATING = "Investigating"
RECTIFYING = "Rectifying"
CLOSED = "Closed"
CANCELLED = "Cancelled"
STATUSES = (OPEN, INVESTIGATING, RECTIFYING, CLOSED, CANCELLED)
FINAL_STATUSES = (CLOSED, CANCELLED)

ROW_OPEN = "Open"
ROW_DONE = "Done"
ROW_WAIVED = "Waived"
ROW_STATUSES = (ROW_OPEN, ROW_DONE, ROW_WAIVED)

#: Where a form may come from (empty: feedback registered on the form itself).
SOURCE_TYPES = ("Customer Contact Log", "Customer Complaint", "Satisfaction Survey Response")

#: Status in which the departments have been told to rectify: their open rows are reminded
#: before the due date and escalated once overdue.
LIVE_STATUSES = (RECTIFYING,)
#: Days before the due date on which the row's owner is reminded. A constant, not a setting:
#: the rule lives here once, the daily job and its test read it from here, and a department
#: gets the same notice whatever the site (Service Control Settings can take it over later).
REMINDER_DAYS = 2

QUALITY_MANAGER = "Quality Manager"
#: Roles that see every form; any other user with read access (a department's staff, role
#: Employee) sees only the forms they take part in.
SEE_ALL_ROLES = frozenset({"System Manager", QUALITY_MANAGER, "Customer Service User", "General Manager"})

#: (from, to): allowed status changes; every open status may also be cancelled.
TRANSITIONS = {
	(OPEN, INVESTIGATING),
	(INVESTIGATING, RECTIFYING),
	(RECTIFYING, INVESTIGATING),
	(INVESTIGATING, CLOSED),
	(RECTIFYING, CLOSED),
} | {(s, CANCELLED) for s in STATUSES if s not in FINAL_STATUSES}


class FeedbackError(DomainError):
	pass


@dataclass
class RectificationRow:
	"""One rectification the investigation asks of a department."""

	department: str | None = None
	action: str | None = None
	owner: str | None = None
	due_date: date | None = None
	status: str = ROW_OPEN
	done_on: date | None = None
	result: str | None = None
	waive_reason: str | None = None
	key: str | None = None
	idx: int = 0

	@property
	def is_open(self) -> bool:
		return self.status == ROW_OPEN

	@property
	def is_finished(self) -> bool:
		"""Done with its date and result, or Waived with a reason."""
		if self.status == ROW_DONE:
			return bool(self.done_on and _text(self.result))
		if self.status == ROW_WAIVED:
			return bool(_text(self.waive_reason))
		return False


@dataclass
class FeedbackFacts:
	status: str = OPEN
	received_on: date | None = None
	investigated_by: str | None = None
	investigation: str | None = None  # plain text (HTML stripped by the adapter)
	result: str | None = None  # plain text
	cancel_reason: str | None = None
	rows: list[RectificationRow] = field(default_factory=list)


def _text(value: str | None) -> str:
	return (value or "").strip()


# ------------------------------------------------------------------------------------------
# Field rules


def check_source(source_doctype: str | None, source_name: str | None) -> None:
	if not source_doctype:
		if source_name:
			raise FeedbackError(_("Choose the source type of {0}."), source_name)
		return
	if source_doctype not in SOURCE_TYPES:
		raise FeedbackError(_("{0} cannot be the source of a feedback handling form."), source_doctype)
	if not source_name:
		raise FeedbackError(_("Choose the {0} this feedback comes from."), source_doctype)


def validate_rows(rows: Iterable[RectificationRow], today: date) -> None:
	"""Rules that hold in every status."""
	for row in rows:
		if row.status not in ROW_STATUSES:
			raise FeedbackError(_("Rectification row {0}: unknown status {1}."), row.idx, row.status)
		if row.done_on and row.status != ROW_DONE:
			raise FeedbackError(_("Rectification row {0} has a completion date but is not done."), row.idx)
		if row.done_on and row.done_on > today:
			raise FeedbackError(
				_("Rectification row {0}: completion date {1} is in the future."), row.idx, row.done_on
			)


def unfinished_rows(rows: Iterable[RectificationRow]) -> list[int]:
	"""Rows that keep the form from closing (their idx)."""
	return [row.idx for row in rows if not row.is_finished]


def check_closed_edit(
	old_status: str | None, changed: Iterable[str], roles: Iterable[str], reason: str | None
):
	"""A closed or cancelled form is read-only; a System Manager may correct it with a reason
	(the complaint's and the repair's rule, core.record_lock)."""
	record_lock.check_final_edit(
		old_status,
		changed,
		roles,
		reason,
		final_statuses=FINAL_STATUSES,
		locked_message=_("The feedback handling form is {0} and can no longer be edited."),
		reason_message=_("Give a reason for changing a {0} feedback handling form."),
		error=FeedbackError,
	)


# ------------------------------------------------------------------------------------------
# The state machine


def check_transition(old: str | None, new: str, facts: FeedbackFacts) -> None:
	"""Raise TransitionError unless ``old`` → ``new`` is allowed and its gate holds."""
	if new not in STATUSES:
		raise TransitionError(_("Unknown status {0}."), new)
	if old is None or old == new:
		if old is None and new != OPEN:
			raise TransitionError(_("A new feedback handling form starts as Open, not {0}."), new)
		return
	if (old, new) not in TRANSITIONS:
		raise TransitionError(_("A feedback handling form cannot go from {0} to {1}."), old, new)
	gate = _GATES.get(new)
	if gate and (old, new) != (RECTIFYING, INVESTIGATING):
		gate(facts)


def _gate_investigating(facts: FeedbackFacts) -> None:
	if not facts.investigated_by:
		raise TransitionError(_("Name who investigates the feedback."))


def _gate_rectifying(facts: FeedbackFacts) -> None:
	if not _text(facts.investigation):
		raise TransitionError(_("Write the investigation before asking departments to rectify."))
	if not facts.rows:
		raise TransitionError(
			_("Add at least one rectification row: department, action, owner and due date.")
		)


def _gate_closed(facts: FeedbackFacts) -> None:
	if not _text(facts.investigation):
		raise TransitionError(_("Write the investigation before closing."))
	unfinished = unfinished_rows(facts.rows)
	if unfinished:
		raise TransitionError(
			_(
				"Cannot close: rectification rows {0} must be Done (with the completion date and the result) or Waived (with a reason)."
			),
			", ".join(str(i) for i in unfinished),
		)
	if not _text(facts.result):
		raise TransitionError(_("Write the result to report back to the receiving unit before closing."))


def _gate_cancelled(facts: FeedbackFacts) -> None:
	if not _text(facts.cancel_reason):
		raise TransitionError(_("Give a reason for cancelling the feedback handling form."))


_GATES = {
	INVESTIGATING: _gate_investigating,
	RECTIFYING: _gate_rectifying,
	CLOSED: _gate_closed,
	CANCELLED: _gate_cancelled,
}


# ------------------------------------------------------------------------------------------
# Who sees a form


def sees_every_form(roles: Iterable[str]) -> bool:
	"""Does a SEE_ALL_ROLES role open every form. Anyone else opens a form only as its investigator,
	the receiving unit's user or a rectification row's owner (core.access.takes_part)."""
	return access.sees_every(roles, SEE_ALL_ROLES)


# ------------------------------------------------------------------------------------------
# The daily job's selection (feedback_sweep runs it as SQL, set-based)


def reminder_window(today: date, days: int = REMINDER_DAYS) -> tuple[date, date]:
	"""Open rows due within [today, today + days] are reminded (once per row and due date)."""
	return today, today + timedelta(days=max(days, 0))


def needs_reminder(row: RectificationRow, form_status: str, today: date, days: int = REMINDER_DAYS) -> bool:
	start, end = reminder_window(today, days)
	return (
		form_status in LIVE_STATUSES and row.is_open and bool(row.due_date) and start <= row.due_date <= end
	)


def is_overdue(row: RectificationRow, form_status: str, today: date) -> bool:
	return form_status in LIVE_STATUSES and row.is_open and bool(row.due_date) and row.due_date < today


# ------------------------------------------------------------------------------------------
# Making a form from a source


def form_to_reuse(existing: Iterable[tuple[str, str]]) -> str | None:
	"""The source's live form (neither closed nor cancelled), given (name, status) newest first:
	a second "Create" leads to it instead of a duplicate; a closed one does not block a new form."""
	return next((name for name, status in existing if status not in FINAL_STATUSES), None)


def low_scores(scores: Sequence[tuple[str, float | None]], target: float | None) -> list[tuple[str, float]]:
	"""The criteria of a survey answer scored below the satisfaction target (percent), lowest
	first; without a target, those below half marks."""
	limit = target if target else 50.0
	low = [(criterion, float(p)) for criterion, p in scores if p is not None and float(p) < limit]
	return sorted(low, key=lambda item: (item[1], item[0]))
