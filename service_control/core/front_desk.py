"""The front desk (顾客来人来函登记台帐): every contact of a customer, its first answer and what
it becomes.

A contact is answered on the spot or referred to the departments concerned; its one SLA stage is
the first answer, with a target per contact type (Service Control Settings). A contact that
turns out to be a complaint or a repair call is converted into one, once.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from service_control.core.errors import FrontDeskError, _

#: How the customer reached the desk; an SLA target row names one of them.
CONTACT_TYPES = ("Visit", "Phone", "Fax", "Letter", "E-mail", "Showroom", "Portal", "Other")
#: The contact register's one SLA stage.
FIRST_ANSWER = "First Answer"

#: Answer within a working day for a call, visit or e-mail, two for paper; calendar hours like
#: the complaint targets (an administrator may switch rows to working hours).
DEFAULT_CONTACT_TARGETS = (
	("Visit", FIRST_ANSWER, 24),
	("Phone", FIRST_ANSWER, 24),
	("Fax", FIRST_ANSWER, 48),
	("Letter", FIRST_ANSWER, 48),
	("E-mail", FIRST_ANSWER, 24),
	("Showroom", FIRST_ANSWER, 24),
	("Portal", FIRST_ANSWER, 24),
	("Other", FIRST_ANSWER, 48),
)

OPEN = "Open"
REFERRED = "Referred"
ANSWERED = "Answered"
CONVERTED = "Converted"
CANCELLED = "Cancelled"
STATUSES = (OPEN, REFERRED, ANSWERED, CONVERTED, CANCELLED)

ON_THE_SPOT = "Answered on the Spot"
REFERRED_TO_DEPARTMENTS = "Referred to Departments"

COMPLAINT = "Complaint"
REPAIR_REQUEST = "Repair Request"
CLASSIFICATIONS = ("Inquiry", "Product Feedback", COMPLAINT, REPAIR_REQUEST, "Praise", "Other")

#: The channel a case records for each contact type (a showroom visit is a visit).
CASE_CHANNELS = {
	"Visit": "Visit",
	"Phone": "Phone",
	"Fax": "Fax",
	"Letter": "Letter",
	"E-mail": "E-mail",
	"Showroom": "Visit",
	"Portal": "Portal",
	"Other": "Other",
}

#: Senders that are machines: their mail is a bounce or an automatic answer, never a contact.
MACHINE_SENDERS = ("mailer-daemon", "postmaster", "no-reply", "noreply", "do-not-reply", "donotreply")
#: Subjects of automatic answers (out-of-office, delivery reports), compared in lower case.
AUTOMATIC_SUBJECTS = (
	"auto:",
	"automatic reply",
	"auto reply",
	"auto-reply",
	"autoreply",
	"out of office",
	"out of the office",
	"undeliverable",
	"undelivered mail",
	"delivery status notification",
	"mail delivery failed",
	"returned mail",
	"自动回复",
	"自动答复",
)


@dataclass
class ContactFacts:
	"""The fields of a register entry the rules look at."""

	received_on: datetime
	handling: str | None = None
	answer: str | None = None
	answered_on: datetime | None = None
	converted_on: datetime | None = None
	cancelled: bool = False
	cancel_reason: str | None = None


def contact_status(facts: ContactFacts) -> str:
	"""The entry's status follows from what it holds: converted, answered, referred or open."""
	if facts.cancelled:
		return CANCELLED
	if facts.converted_on:
		return CONVERTED
	if facts.answered_on:
		return ANSWERED
	if facts.handling == REFERRED_TO_DEPARTMENTS:
		return REFERRED
	return OPEN


def validate_contact(facts: ContactFacts, now: datetime) -> None:
	if facts.received_on > now:
		raise FrontDeskError(_("Received On {0} is in the future."), facts.received_on)
	if facts.answered_on:
		if not (facts.answer or "").strip():
			raise FrontDeskError(_("Write the answer given to the customer."))
		if facts.answered_on < facts.received_on:
			raise FrontDeskError(_("Answered On {0} is before the contact was received."), facts.answered_on)
		if facts.answered_on > now:
			raise FrontDeskError(_("Answered On {0} is in the future."), facts.answered_on)
	elif facts.handling == ON_THE_SPOT:
		raise FrontDeskError(_("An entry answered on the spot needs the answer and when it was given."))
	if facts.cancelled and not (facts.cancel_reason or "").strip():
		raise FrontDeskError(_("Give a reason for cancelling the entry."))
	if facts.cancelled and facts.converted_on:
		raise FrontDeskError(_("A converted entry cannot be cancelled: cancel the case it became."))


def check_contact_history(facts: ContactFacts) -> None:
	"""An entry of the register kept before the app comes answered, or cancelled with its reason
	(``validate_contact`` keeps its dates in order): an open one would be chased for the past, and
	the case a contact became is imported as its own record, not converted here."""
	if facts.converted_on:
		raise FrontDeskError(
			_("An imported contact entry cannot come converted: import the case it became on its own.")
		)
	if not (facts.answered_on or facts.cancelled):
		raise FrontDeskError(
			_("An imported contact entry comes answered: give the answer and when it was given.")
		)


def first_answer_on(facts: ContactFacts) -> datetime | None:
	"""When the first-answer clock was met: the answer, or the conversion (the case's own clocks,
	started at this contact's received time, take over)."""
	return min((t for t in (facts.answered_on, facts.converted_on) if t), default=None)


def check_conversion(
	target: str,
	existing: dict[str, str | None],
	cancelled: bool,
	customer: str | None,
	item_code: str | None = None,
) -> str | None:
	"""Whether a contact (or an ERPNext Issue / Warranty Claim) may become a ``target`` case.

	``existing`` maps each case doctype to the case it already became. Converting again into
	the same doctype returns that case (a double click); into another doctype is refused.
	Returns the existing case's name, or None when a new one is to be made."""
	if existing.get(target):
		return existing[target]
	other = next(((dt, name) for dt, name in existing.items() if name), None)
	if other:
		raise FrontDeskError(_("This entry was already converted into {0} {1}."), other[0], other[1])
	if cancelled:
		raise FrontDeskError(_("A cancelled entry cannot be converted."))
	if not customer:
		raise FrontDeskError(_("Link the entry to a customer (or make one from it) before converting it."))
	if target == REPAIR_REQUEST and not item_code:
		raise FrontDeskError(_("Set the item to be repaired before making a repair request."))
	return None


def match_customer(links: Iterable[tuple[str, str | None]]) -> tuple[str | None, str | None]:
	"""The Contact and Customer of a sender from ``(contact, customer)`` rows of the contacts
	holding the sender's address: one customer matches; several, or none, leave the customer to
	the desk (a single contact is still kept)."""
	rows = list(links)
	contacts = {contact for contact, _customer in rows}
	customers = {customer for _contact, customer in rows if customer}
	contact = next(iter(contacts)) if len(contacts) == 1 else None
	if len(customers) == 1:
		customer = next(iter(customers))
		contact = contact or next(c for c, cust in rows if cust == customer)
		return contact, customer
	return contact, None


def is_automatic_mail(sender: str | None, subject: str | None, own_addresses: Iterable[str]) -> bool:
	"""An automatic answer, a bounce or a mail loop: it becomes no register entry.

	Frappe hands the new entry over without the mail's headers, so the sender and subject decide:
	mail from one of the site's own mailboxes (a loop), from a mailer daemon or a no-reply
	address, or with the subject of an out-of-office or delivery report."""
	sender = (sender or "").strip().lower()
	if sender and sender in {a.strip().lower() for a in own_addresses if a}:
		return True
	local = sender.split("@", 1)[0]
	if any(local.startswith(machine) for machine in MACHINE_SENDERS):
		return True
	subject = (subject or "").strip().lower()
	return any(subject.startswith(marker) for marker in AUTOMATIC_SUBJECTS)
