"""内部顾客投诉: the complaint of an internal customer (an employee, for their department) about
another department or a process. HR owns the service to internal customers: an HR user handles
the complaint, answers the complainant and closes it once the complainant has confirmed.

Status flow: Open (registered) → Investigating (a handler looks into it) → Answered (reply sent
to the complainant) → Closed. Awaiting Complainant pauses the SLA clocks and resumes to the status
it left; a complainant who is not satisfied sends an answered complaint back to Investigating.
Cancelled (with a reason) is for complaints registered in error. An internal complaint never has
a customer: that is a Customer Complaint.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from service_control.core.errors import ComplaintError, TransitionError, _
from service_control.core.record_lock import check_final_edit

OPEN = "Open"
INVESTIGATING = "Investigating"
AWAITING_COMPLAINANT = "Awaiting Complainant"
ANSWERED = "Answered"
CLOSED = "Closed"
CANCELLED = "Cancelled"
STATUSES = (OPEN, INVESTIGATING, AWAITING_COMPLAINANT, ANSWERED, CLOSED, CANCELLED)
FINAL_STATUSES = (CLOSED, CANCELLED)

SATISFIED = "Satisfied"
PARTLY_SATISFIED = "Partly Satisfied"
NOT_SATISFIED = "Not Satisfied"
UNREACHABLE = "Unreachable"

#: Who handles internal complaints (and who may be named handler): the HR department.
HANDLER_ROLES = ("HR User", "HR Manager")

#: Fields of a request that belong to a customer case: an internal complaint carrying one is
#: refused (a REST or ``frappe.get_doc`` payload may hold fields the doctype does not have).
CUSTOMER_FIELDS = ("customer", "customer_name")

#: (from, to): the allowed status changes. A small complaint may be answered on the spot (Open →
#: Answered); a closed one is final.
TRANSITIONS = {
	(OPEN, INVESTIGATING),
	(OPEN, AWAITING_COMPLAINANT),
	(OPEN, ANSWERED),
	(INVESTIGATING, AWAITING_COMPLAINANT),
	(AWAITING_COMPLAINANT, OPEN),
	(AWAITING_COMPLAINANT, INVESTIGATING),
	(INVESTIGATING, ANSWERED),
	(ANSWERED, INVESTIGATING),
	(ANSWERED, CLOSED),
	(OPEN, CANCELLED),
	(INVESTIGATING, CANCELLED),
	(AWAITING_COMPLAINANT, CANCELLED),
}

#: SLA targets in calendar hours, per urgency and stage (Service Control Settings takes them on
#: install; an administrator may change them or switch rows to working hours). The procedures'
#: customer deadlines hold for internal customers too, tightened where a colleague in the same
#: company is easier to reach than a customer: acknowledge within a working day (8 h when
#: urgent); a handler arranged within 24 h (urgent) or 2 days (normal) and the complaint answered
#: within 2 days (urgent) or 7 days (normal), as the procedures require of complaint handling;
#: three more days for the complainant's confirmation and the closure.
DEFAULT_INTERNAL_TARGETS = (
	("Urgent", "First Reply", 8),
	("Urgent", "Arrangement", 24),
	("Urgent", "Resolution", 48),
	("Urgent", "Closure", 120),
	("Normal", "First Reply", 24),
	("Normal", "Arrangement", 48),
	("Normal", "Resolution", 168),
	("Normal", "Closure", 240),
)


class InternalComplaintError(ComplaintError):
	pass


@dataclass
class InternalFacts:
	"""The fields of an internal complaint the rules look at, independent of Frappe."""

	status: str = OPEN
	received_on: datetime | None = None
	handler: str | None = None
	reply: str | None = None
	replied_on: datetime | None = None
	satisfaction: str | None = None
	close_reason: str | None = None
	cancel_reason: str | None = None
	paused_from: str | None = None  # the status it left to wait for the complainant


def check_no_customer(values: dict) -> None:
	"""An internal complaint is an employee's: a customer given with it is refused."""
	for field in CUSTOMER_FIELDS:
		if values.get(field):
			raise InternalComplaintError(
				_(
					"An internal complaint is made by an employee, not by customer {0}: register a "
					"Customer Complaint instead."
				),
				values[field],
			)


def check_handler(user: str | None, roles: Iterable[str], enabled: bool = True) -> None:
	"""The handler is an enabled user of the HR department (HR User or HR Manager)."""
	if not user:
		return
	if not enabled:
		raise InternalComplaintError(_("Handler {0} is disabled."), user)
	if not set(roles) & set(HANDLER_ROLES):
		raise InternalComplaintError(
			_("Handler {0} must hold the role HR User or HR Manager: HR handles internal complaints."), user
		)


def validate_fields(facts: InternalFacts, now: datetime) -> None:
	"""Rules that hold in every status."""
	if facts.received_on and facts.received_on > now:
		raise InternalComplaintError(_("Received On {0} is in the future."), facts.received_on)
	if facts.satisfaction and not facts.replied_on:
		raise InternalComplaintError(_("Answer the complainant before recording their satisfaction."))


def check_transition(old: str | None, new: str, facts: InternalFacts) -> None:
	"""Raise TransitionError unless ``old`` → ``new`` is allowed and its guard holds."""
	if old is None or old == new:
		if old is None and new != OPEN:
			raise TransitionError(_("A new internal complaint starts Open, not {0}."), new)
		return
	if (old, new) not in TRANSITIONS:
		raise TransitionError(_("An internal complaint cannot go from {0} to {1}."), old, new)
	guard = _GUARDS.get(new)
	if guard:
		guard(facts, old)


def _guard_open(facts: InternalFacts, old: str) -> None:
	if old == AWAITING_COMPLAINANT and (facts.paused_from or OPEN) != OPEN:
		raise TransitionError(
			_("The complaint waited for the complainant from {0}: it resumes there."), facts.paused_from
		)


def _guard_investigating(facts: InternalFacts, old: str) -> None:
	if not facts.handler:
		raise TransitionError(_("Assign a handler before the investigation starts."))
	if old == AWAITING_COMPLAINANT and (facts.paused_from or INVESTIGATING) != INVESTIGATING:
		raise TransitionError(
			_("The complaint waited for the complainant from {0}: it resumes there."), facts.paused_from
		)
	if old == ANSWERED and facts.satisfaction not in (NOT_SATISFIED, None, ""):
		raise TransitionError(_("Only a complainant who is not satisfied sends the complaint back."))


def _guard_answered(facts: InternalFacts, old: str) -> None:
	if not facts.handler:
		raise TransitionError(_("Assign a handler before answering the complainant."))
	if not (facts.reply or "").strip():
		raise TransitionError(_("Write the reply to the complainant before marking the complaint answered."))


def _guard_closed(facts: InternalFacts, old: str) -> None:
	if not facts.replied_on:
		raise TransitionError(_("An internal complaint cannot be closed before the complainant is answered."))
	if facts.satisfaction in (SATISFIED, PARTLY_SATISFIED):
		return
	if not (facts.close_reason or "").strip():
		raise TransitionError(
			_("Record the complainant's satisfaction, or give the reason for closing without it.")
		)


def _guard_cancelled(facts: InternalFacts, old: str) -> None:
	if not (facts.cancel_reason or "").strip():
		raise TransitionError(_("Give a reason for cancelling the internal complaint."))


_GUARDS = {
	OPEN: _guard_open,
	INVESTIGATING: _guard_investigating,
	ANSWERED: _guard_answered,
	CLOSED: _guard_closed,
	CANCELLED: _guard_cancelled,
}


def paused_from(old_status: str | None, status: str, recorded: str | None) -> str | None:
	"""The status a complaint left to wait for the complainant (where it resumes)."""
	if status == AWAITING_COMPLAINANT and old_status and old_status != AWAITING_COMPLAINANT:
		return old_status
	return recorded


def check_closed_edit(
	old_status: str | None, changed_fields: Iterable[str], roles: Iterable[str], reason: str | None
) -> None:
	"""A closed or cancelled internal complaint is read-only; a System Manager may correct it
	with a reason."""
	check_final_edit(
		old_status,
		changed_fields,
		roles,
		reason,
		final_statuses=FINAL_STATUSES,
		locked_message=_("Internal complaint is {0} and can no longer be edited."),
		reason_message=_("Give a reason for changing a {0} internal complaint."),
		error=InternalComplaintError,
	)


# ------------------------------------------------------------------------------------------
# When things happened: the events a save records, and the SLA stages they meet


@dataclass(frozen=True)
class InternalEvents:
	"""The complaint's event fields; ``record_events`` returns them as a save leaves them."""

	first_response_on: datetime | None = None
	assigned_on: datetime | None = None
	replied_on: datetime | None = None
	replied_by: str | None = None
	satisfaction: str | None = None
	closed_on: datetime | None = None
	closed_by: str | None = None


def record_events(
	old_status: str | None,
	status: str,
	events: InternalEvents,
	*,
	handler: str | None,
	now: datetime,
	user: str,
) -> InternalEvents:
	"""What a save records:
	- the first response: the complaint leaves Open, or is answered, whichever comes first;
	- the arrangement: the first time a handler is named;
	- each answer stamps when and by whom; a new answer after another investigation asks the
	  complainant again (satisfaction cleared);
	- closing stamps the time and the user."""
	e = events
	replied_on, replied_by, satisfaction = e.replied_on, e.replied_by, e.satisfaction
	if status == ANSWERED and old_status != ANSWERED:
		replied_on, replied_by = now, user
		if old_status is not None:
			satisfaction = None
	first_response_on = e.first_response_on
	if not first_response_on and old_status and old_status != status and old_status == OPEN:
		first_response_on = now
	if not first_response_on and replied_on:
		first_response_on = replied_on
	assigned_on = e.assigned_on or (now if handler else None)
	closed_on, closed_by = e.closed_on, e.closed_by
	if status == CLOSED and old_status != CLOSED:
		closed_on, closed_by = now, user
	elif status != CLOSED:
		closed_on = closed_by = None
	return InternalEvents(
		first_response_on, assigned_on, replied_on, replied_by, satisfaction, closed_on, closed_by
	)


def stage_events(status: str, events: InternalEvents) -> dict[str, datetime | None]:
	"""When each SLA stage was met (None while it runs): First Reply by the first response,
	Arrangement by naming a handler, Resolution by the answer (only while the complaint stays
	answered: sent back to investigation, it runs again), Closure by the closing."""
	answered = status in (ANSWERED, CLOSED)
	return {
		"First Reply": events.first_response_on,
		"Arrangement": events.assigned_on,
		"Resolution": events.replied_on if answered else None,
		"Closure": events.closed_on,
	}
