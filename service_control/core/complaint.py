"""The customer complaint's life: field rules, the status machine and its guards, stage events.

Status flow (顾客投诉处理): Open (registered) → Investigating (quality accepts, owner assigned)
→ Answered (reply sent to the customer) → Closed (customer confirmed). Awaiting Customer pauses
the SLA clocks and resumes to Investigating; "Not Satisfied" sends an answered complaint back to
Investigating. Cancelled is for complaints registered in error. The guards here hold whatever
the Workflow configured on a site says.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from service_control.core.errors import ComplaintError, TransitionError, _
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
	"""Raise TransitionError unless ``old`` → ``new`` is allowed and its guard holds."""
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
	if not (facts.answer_method and facts.reply and facts.replied_on):
		raise TransitionError(_("Record the answer: method, reply and the time it was sent."))


def _guard_closed(facts: ComplaintFacts, old: str) -> None:
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


def _guard_cancelled(facts: ComplaintFacts, old: str) -> None:
	if not facts.cancel_reason:
		raise TransitionError(_("Give a reason for cancelling the complaint."))


def _guard_reopen(facts: ComplaintFacts, roles: Iterable[str]) -> None:
	if SYSTEM_MANAGER not in set(roles):
		raise TransitionError(_("Only a System Manager can reopen a closed complaint."))
	if not facts.reopen_reason:
		raise TransitionError(_("Give a reason for reopening the closed complaint."))


_GUARDS = {
	INVESTIGATING: _guard_investigating,
	ANSWERED: _guard_answered,
	CLOSED: _guard_closed,
	CANCELLED: _guard_cancelled,
}


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


@dataclass
class StageEvents:
	"""When each SLA stage was met; None while still running."""

	first_reply: datetime | None = None
	arrangement: datetime | None = None
	resolution: datetime | None = None
	closure: datetime | None = None
	extra: Mapping[str, datetime | None] = field(default_factory=dict)

	def as_dict(self) -> dict[str, datetime | None]:
		return {
			"First Reply": self.first_reply,
			"Arrangement": self.arrangement,
			"Resolution": self.resolution,
			"Closure": self.closure,
			**self.extra,
		}


@dataclass(frozen=True)
class ReferenceDoc:
	"""A Sales Invoice / Delivery Note / Sales Order the complaint points at, as the DB has it."""

	doctype: str
	name: str
	customer: str
	docstatus: int
	item_qty: Mapping[str, float]  # item_code -> quantity on the document (returns already netted)


def check_reference(
	ref: ReferenceDoc, customer: str, item_code: str | None, affected_qty: float | None
) -> None:
	if ref.docstatus != 1:
		raise ComplaintError(_("{0} {1} is not submitted."), ref.doctype, ref.name)
	if ref.customer != customer:
		raise ComplaintError(
			_("{0} {1} belongs to customer {2}, not {3}."), ref.doctype, ref.name, ref.customer, customer
		)
	if not item_code:
		return
	if item_code not in ref.item_qty:
		raise ComplaintError(_("{0} {1} has no item {2}."), ref.doctype, ref.name, item_code)
	if ref.doctype != "Sales Order" and affected_qty and affected_qty > ref.item_qty[item_code]:
		raise ComplaintError(
			_("Affected quantity {0} is more than the {1} of {2} on {3} {4}."),
			affected_qty,
			ref.item_qty[item_code],
			item_code,
			ref.doctype,
			ref.name,
		)


def check_serial_no(
	serial_no: str, serial_item: str, serial_customer: str | None, item_code: str | None, customer: str
) -> None:
	if item_code and serial_item != item_code:
		raise ComplaintError(_("Serial No {0} is of item {1}, not {2}."), serial_no, serial_item, item_code)
	if serial_customer and serial_customer != customer:
		raise ComplaintError(
			_("Serial No {0} was delivered to {1}, not to {2}."), serial_no, serial_customer, customer
		)
