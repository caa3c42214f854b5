"""The customer complaint's life: field rules, the status machine and its guards, stage events.

Status flow (顾客投诉处理): Open (registered) → Investigating (quality accepts, owner assigned)
→ Answered (reply sent to the customer) → Closed (customer confirmed). Awaiting Customer pauses
the SLA clocks and resumes to Investigating; "Not Satisfied" sends an answered complaint back to
Investigating. Cancelled is for complaints registered in error. The guards here hold whatever
the Workflow configured on a site says.
"""

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from service_control.core.dates import add_months
from service_control.core.errors import ComplaintError, TransitionError, _
from service_control.core.history import check_chronology, require_end
from service_control.core.record_lock import check_final_edit

OPEN = "Open"
INVESTIGATING = "Investigating"
AWAITING_CUSTOMER = "Awaiting Customer"
ANSWERED = "Answered"
CLOSED = "Closed"
CANCELLED = "Cancelled"
STATUSES = (OPEN, INVESTIGATING, AWAITING_CUSTOMER, ANSWERED, CLOSED, CANCELLED)
FINAL_STATUSES = (CLOSED, CANCELLED)

SATISFIED = "Satisfied"
PARTLY_SATISFIED = "Partly Satisfied"
NOT_SATISFIED = "Not Satisfied"
UNREACHABLE = "Unreachable"

RESPONSIBILITY_COMPANY = "Company"
RESPONSIBILITY_SUPPLIER = "Supplier"

#: (from, to): allowed status changes. Closed → Investigating is a reopen (System Manager only).
TRANSITIONS = {
	(OPEN, INVESTIGATING),
	(OPEN, AWAITING_CUSTOMER),
	(INVESTIGATING, AWAITING_CUSTOMER),
	(AWAITING_CUSTOMER, INVESTIGATING),
	(AWAITING_CUSTOMER, OPEN),  # resuming a complaint that waited before its investigation
	(INVESTIGATING, ANSWERED),
	(ANSWERED, INVESTIGATING),
	(ANSWERED, CLOSED),
	(OPEN, CANCELLED),
	(INVESTIGATING, CANCELLED),
	(AWAITING_CUSTOMER, CANCELLED),
	(CLOSED, INVESTIGATING),
}

SYSTEM_MANAGER = "System Manager"


@dataclass
class ComplaintFacts:
	"""The fields of a complaint the rules look at, independent of Frappe."""

	status: str = OPEN
	received_on: datetime | None = None
	customer_deadline: datetime | None = None
	affected_qty: float | None = None
	responsibility: str | None = None
	supplier: str | None = None
	investigation_owner: str | None = None
	arrangement_plan: str | None = None
	containment_actions: int = 0
	answer_method: str | None = None
	reply: str | None = None
	replied_on: datetime | None = None
	satisfaction: str | None = None
	satisfaction_comment: str | None = None
	cancel_reason: str | None = None
	reopen_reason: str | None = None
	paused_from: str | None = None  # the status it left to wait for the customer
	#: imported history (``check_history``): the record comes in with the dates it really had
	history: bool = False
	first_response_on: datetime | None = None
	confirmed_on: datetime | None = None
	closed_on: datetime | None = None


def validate_fields(facts: ComplaintFacts, now: datetime) -> None:
	"""Rules that hold in every status."""
	if facts.received_on and facts.received_on > now:
		raise ComplaintError(_("Received On {0} is in the future."), facts.received_on)
	if facts.customer_deadline and facts.received_on and facts.customer_deadline <= facts.received_on:
		raise ComplaintError(_("The customer's deadline must be after the complaint was received."))
	if facts.affected_qty is not None and facts.affected_qty <= 0:
		raise ComplaintError(_("Affected quantity must be greater than zero."))
	if facts.responsibility == RESPONSIBILITY_SUPPLIER and not facts.supplier:
		raise ComplaintError(_("Responsibility is Supplier: name the supplier."))
	if facts.satisfaction and not facts.replied_on:
		raise ComplaintError(_("Record the answer to the customer before their confirmation."))


def check_transition(old: str | None, new: str, facts: ComplaintFacts, roles: Iterable[str] = ()) -> None:
	"""Raise TransitionError unless ``old`` → ``new`` is allowed and its guard holds. A new
	record of imported history starts in any status whose guard holds (``check_history``)."""
	if old is None and facts.history:
		check_history(new, facts)
		return
	if old is None or old == new:
		if old is None and new != OPEN:
			raise TransitionError(_("A new complaint starts Open, not {0}."), new)
		return
	if (old, new) not in TRANSITIONS:
		raise TransitionError(_("A complaint cannot go from {0} to {1}."), old, new)
	guard = _GUARDS.get(new)
	if old == CLOSED:
		_guard_reopen(facts, roles)
	elif guard:
		guard(facts, old)


def _guard_investigating(facts: ComplaintFacts, old: str) -> None:
	if not facts.investigation_owner:
		raise TransitionError(_("Assign an investigation owner before the investigation starts."))
	if old == ANSWERED and facts.satisfaction not in (NOT_SATISFIED, None, ""):
		raise TransitionError(_("Only a customer who is not satisfied sends the complaint back."))


def _guard_answered(facts: ComplaintFacts, old: str) -> None:
	if not facts.responsibility:
		raise TransitionError(_("Decide the responsibility before answering the customer."))
	if facts.responsibility == RESPONSIBILITY_COMPANY and not facts.containment_actions:
		raise TransitionError(
			_("The company is responsible: record at least one containment action before answering.")
		)
	_guard_answer_recorded(facts, old)


def _guard_answer_recorded(facts: ComplaintFacts, old: str | None) -> None:
	if not (facts.answer_method and facts.reply and facts.replied_on):
		raise TransitionError(_("Record the answer: method, reply and the time it was sent."))


def _guard_closed(facts: ComplaintFacts, old: str | None) -> None:
	if not facts.replied_on:
		raise TransitionError(_("A complaint cannot be closed before the customer has been answered."))
	if facts.satisfaction in (SATISFIED, PARTLY_SATISFIED):
		return
	if facts.satisfaction == UNREACHABLE:
		if not facts.satisfaction_comment:
			raise TransitionError(_("The customer was unreachable: say why in the confirmation comment."))
		return
	if facts.satisfaction == NOT_SATISFIED:
		raise TransitionError(_("The customer is not satisfied: investigate again instead of closing."))
	raise TransitionError(_("Record the customer's confirmation before closing."))


def _guard_cancelled(facts: ComplaintFacts, old: str | None) -> None:
	if not facts.cancel_reason:
		raise TransitionError(_("Give a reason for cancelling the complaint."))


def _guard_open(facts: ComplaintFacts, old: str) -> None:
	"""Only a complaint that waited for the customer before its investigation resumes to Open; one
	paused during the investigation goes back to it."""
	if old == AWAITING_CUSTOMER and facts.paused_from != OPEN:
		raise TransitionError(
			_("The complaint waited for the customer from {0}: it resumes there."),
			facts.paused_from or INVESTIGATING,
		)


def paused_from(old_status: str | None, status: str, recorded: str | None) -> str | None:
	"""The status a complaint left to wait for the customer (where Resume takes it back)."""
	if status == AWAITING_CUSTOMER and old_status and old_status != AWAITING_CUSTOMER:
		return old_status
	return recorded


def _guard_reopen(facts: ComplaintFacts, roles: Iterable[str]) -> None:
	if SYSTEM_MANAGER not in set(roles):
		raise TransitionError(_("Only a System Manager can reopen a closed complaint."))
	if not facts.reopen_reason:
		raise TransitionError(_("Give a reason for reopening the closed complaint."))


_GUARDS = {
	OPEN: _guard_open,
	INVESTIGATING: _guard_investigating,
	ANSWERED: _guard_answered,
	CLOSED: _guard_closed,
	CANCELLED: _guard_cancelled,
}


#: The guards a complaint of imported history passes to start in a status: those about what the
#: record says (an answer before Answered or Closed, the confirmation or why it is missing before
#: Closed, a reason before Cancelled); not those about the work done in the app (an owner who is
#: a user here, containment rows, responsibility decided before the answer).
_HISTORY_GUARDS = {
	ANSWERED: (_guard_answer_recorded,),
	CLOSED: (_guard_answer_recorded, _guard_closed),
	CANCELLED: (_guard_cancelled,),
}


def check_history(status: str, facts: ComplaintFacts) -> None:
	"""A complaint of imported history: it may start in the status it ended in, with its guards
	(``_HISTORY_GUARDS``) and its dates in order; a closed one carries its closing time."""
	if status == AWAITING_CUSTOMER:
		raise TransitionError(_("Import a complaint waiting for the customer as Investigating."))
	for guard in _HISTORY_GUARDS.get(status, ()):
		guard(facts, None)
	require_end(status == CLOSED, facts.closed_on, _("Closed On"))
	check_chronology(
		[
			(_("Received On"), facts.received_on),
			(_("First Response On"), facts.first_response_on),
			(_("Replied On"), facts.replied_on),
			(_("Confirmed On"), facts.confirmed_on),
			(_("Closed On"), facts.closed_on),
		]
	)


def next_status_after_confirmation(status: str, satisfaction: str | None) -> str:
	"""Not Satisfied sends an answered complaint back to investigation (procedure step 7)."""
	if status == ANSWERED and satisfaction == NOT_SATISFIED:
		return INVESTIGATING
	return status


def check_closed_edit(
	old_status: str | None, changed_fields: Iterable[str], roles: Iterable[str], reason: str | None
) -> None:
	"""A closed complaint is read-only; a System Manager may correct it with a reason."""
	check_final_edit(
		old_status,
		changed_fields,
		roles,
		reason,
		final_statuses=FINAL_STATUSES,
		locked_message=_("Complaint is {0} and can no longer be edited."),
		reason_message=_("Give a reason for changing a {0} complaint."),
		error=ComplaintError,
	)


# ------------------------------------------------------------------------------------------
# When things happened: the events a save records, and the SLA stages they meet


@dataclass(frozen=True)
class ComplaintEvents:
	"""The complaint's event fields; ``record_events`` returns them as a save leaves them."""

	first_response_on: datetime | None = None
	arranged_on: datetime | None = None
	replied_on: datetime | None = None
	replied_by: str | None = None
	satisfaction: str | None = None
	confirmed_on: datetime | None = None
	closed_on: datetime | None = None
	closed_by: str | None = None
	retain_until: date | None = None


def record_events(
	old_status: str | None,
	status: str,
	events: ComplaintEvents,
	*,
	investigation_owner: str | None,
	arrangement_plan: str | None,
	now: datetime,
	user: str,
	retention_years: int,
	history: bool = False,
	received_on: datetime | None = None,
) -> ComplaintEvents:
	"""What a save records:
	- the first response: leaving Open, or a reply, whichever came first;
	- the arrangement: once an owner and a plan are set;
	- who answered, and when the customer's satisfaction was recorded;
	- closing stamps the time and the user and keeps the record ``retention_years`` from then (a
	  cancelled complaint from its cancellation); reopening clears both;
	- a new answer after another investigation asks the customer again (satisfaction cleared).

	A new record of imported history (``history``) keeps the dates it came with and stamps none:
	its retention runs from its real closing (a cancelled one from ``received_on``)."""
	e = events
	if history and not old_status:
		return _history_events(status, e, received_on or now, retention_years)
	first_response_on = e.first_response_on
	if old_status and old_status != status and old_status == OPEN and not first_response_on:
		first_response_on = now
	if e.replied_on and not first_response_on:
		first_response_on = e.replied_on
	arranged_on = e.arranged_on
	if investigation_owner and arrangement_plan and not arranged_on:
		arranged_on = now
	replied_by = e.replied_by or (user if status == ANSWERED else None)
	satisfaction, confirmed_on = e.satisfaction, e.confirmed_on
	if satisfaction and not confirmed_on:
		confirmed_on = now
	closed_on, closed_by, retain_until = e.closed_on, e.closed_by, e.retain_until
	if status == CLOSED and old_status != CLOSED:
		closed_on, closed_by = now, user
		retain_until = retention_end(now, retention_years)
	elif status != CLOSED:
		closed_on = closed_by = None
		if status != CANCELLED:
			retain_until = None
	if status == CANCELLED and not retain_until:
		retain_until = retention_end(now, retention_years)
	if old_status == INVESTIGATING and status == ANSWERED:
		satisfaction = confirmed_on = None
	return ComplaintEvents(
		first_response_on,
		arranged_on,
		e.replied_on,
		replied_by,
		satisfaction,
		confirmed_on,
		closed_on,
		closed_by,
		retain_until,
	)


def _history_events(status: str, e: ComplaintEvents, received: datetime, years: int) -> ComplaintEvents:
	closed_on = e.closed_on if status == CLOSED else None
	end = closed_on if status == CLOSED else received if status == CANCELLED else None
	return dataclasses.replace(
		e,
		first_response_on=e.first_response_on or e.replied_on,
		confirmed_on=e.confirmed_on or (closed_on if e.satisfaction else None),
		closed_on=closed_on,
		closed_by=e.closed_by if closed_on else None,
		retain_until=retention_end(end, years) if end else None,
	)


def retention_end(now: datetime, years: int) -> date:
	"""How long the record is kept: ``years`` (default 3, the procedure's) from ``now``."""
	return add_months(now.date() if isinstance(now, datetime) else now, 12 * (years or 3))


def stage_events(status: str, events: ComplaintEvents) -> dict[str, datetime | None]:
	"""When each SLA stage was met (None while it runs): the reply counts as the resolution only
	once the complaint is answered."""
	answered = status in (ANSWERED, CLOSED)
	return {
		"First Reply": events.first_response_on,
		"Arrangement": events.arranged_on,
		"Resolution": events.replied_on if answered else None,
		"Closure": events.closed_on,
	}


#: The longest title a list shows whole.
TITLE_LENGTH = 140


def case_title(customer: str | None, *about: str | None) -> str:
	"""A case's list title: the customer and what the case is about (the first of ``about`` that
	is given, e.g. category, then item), so a list row says more than the customer column."""
	subject = next((" ".join(a.split()) for a in about if a and a.strip()), "")
	title = f"{customer}: {subject}" if customer and subject else customer or subject
	return title[:TITLE_LENGTH]


#: Who accepts a reply deadline the customer asked for (顾客要求的期限) that leaves less than the
#: minimum lead: customer service, or quality.
DEADLINE_ACCEPTING_ROLES = ("Customer Service User", "Quality Manager")


def can_accept_deadline(roles: Iterable[str]) -> bool:
	return bool(set(roles) & set(DEADLINE_ACCEPTING_ROLES))


def accepted_deadline(
	requested: datetime | None,
	accepted: datetime | None,
	*,
	lead: timedelta,
	min_lead: timedelta,
	accepting: bool = False,
) -> datetime | None:
	"""The customer's requested reply deadline as the company holds itself to it (it caps the
	first-reply clock), or None while it waits for acceptance.

	The procedures honour a deadline the customer asks for, but the company accepts it: one that
	leaves at least ``min_lead`` (``lead`` is the working time from receipt to the request) is
	accepted at once; an earlier one only when a user with ``DEADLINE_ACCEPTING_ROLES`` accepts
	it (``accepting``). An accepted request stays accepted while it is unchanged; a new request is
	judged afresh.
	"""
	if requested is None:
		return None
	if accepting or accepted == requested or lead >= min_lead:
		return requested
	return None
