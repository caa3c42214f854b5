from datetime import datetime, timedelta

import pytest

from service_control.core import front_desk as fd
from service_control.core import settings as s
from service_control.core.errors import FrontDeskError, SettingsError

NOW = datetime(2026, 12, 3, 10, 0)
RECEIVED = NOW - timedelta(hours=3)


def facts(**kw) -> fd.ContactFacts:
	return fd.ContactFacts(received_on=RECEIVED, **kw)


# ---- status and first answer ------------------------------------------------------------------


@pytest.mark.parametrize(
	"kw,status",
	[
		({}, fd.OPEN),
		({"handling": fd.REFERRED_TO_DEPARTMENTS}, fd.REFERRED),
		({"handling": fd.REFERRED_TO_DEPARTMENTS, "answer": "x", "answered_on": NOW}, fd.ANSWERED),
		({"answer": "x", "answered_on": NOW, "converted_on": NOW}, fd.CONVERTED),
		({"cancelled": True, "cancel_reason": "spam"}, fd.CANCELLED),
	],
)
def test_status_follows_what_the_entry_holds(kw, status):
	assert fd.contact_status(facts(**kw)) == status


def test_first_answer_is_the_answer_or_the_conversion_whichever_came_first():
	assert fd.first_answer_on(facts()) is None
	assert fd.first_answer_on(facts(answered_on=NOW)) == NOW
	earlier = NOW - timedelta(hours=1)
	assert fd.first_answer_on(facts(answered_on=NOW, converted_on=earlier)) == earlier


@pytest.mark.parametrize(
	"kw,message",
	[
		({"answered_on": NOW}, "Write the answer"),
		({"answer": "x", "answered_on": RECEIVED - timedelta(minutes=1)}, "before the contact was received"),
		({"answer": "x", "answered_on": NOW + timedelta(minutes=1)}, "in the future"),
		({"handling": fd.ON_THE_SPOT}, "answered on the spot needs the answer"),
		({"cancelled": True}, "reason for cancelling"),
		(
			{"cancelled": True, "cancel_reason": "x", "converted_on": NOW},
			"converted entry cannot be cancelled",
		),
	],
)
def test_bad_entries_are_refused(kw, message):
	with pytest.raises(FrontDeskError, match=message):
		fd.validate_contact(facts(**kw), NOW)


def test_received_in_the_future_is_refused():
	with pytest.raises(FrontDeskError, match="in the future"):
		fd.validate_contact(fd.ContactFacts(received_on=NOW + timedelta(hours=1)), NOW)


def test_an_answered_entry_is_valid():
	fd.validate_contact(facts(handling=fd.ON_THE_SPOT, answer="Told them", answered_on=NOW), NOW)


# ---- conversion ---------------------------------------------------------------------------


def test_conversion_makes_a_new_case_once_and_returns_it_on_a_second_call():
	none = {"Customer Complaint": None, "Repair Request": None}
	assert fd.check_conversion("Customer Complaint", none, False, "CUST") is None
	made = {**none, "Customer Complaint": "CC-1"}
	assert fd.check_conversion("Customer Complaint", made, False, "CUST") == "CC-1"


def test_conversion_into_the_other_kind_is_refused():
	made = {"Customer Complaint": "CC-1", "Repair Request": None}
	with pytest.raises(FrontDeskError, match="already converted into Customer Complaint CC-1"):
		fd.check_conversion("Repair Request", made, False, "CUST")


@pytest.mark.parametrize(
	"cancelled,customer,message", [(True, "CUST", "cancelled entry"), (False, None, "Link the entry")]
)
def test_conversion_needs_a_live_entry_with_a_customer(cancelled, customer, message):
	with pytest.raises(FrontDeskError, match=message):
		fd.check_conversion("Customer Complaint", {"Customer Complaint": None}, cancelled, customer)


def test_a_repair_request_needs_the_item():
	none = {"Customer Complaint": None, "Repair Request": None}
	with pytest.raises(FrontDeskError, match="Set the item"):
		fd.check_conversion("Repair Request", none, False, "CUST")
	assert fd.check_conversion("Repair Request", none, False, "CUST", "PUMP") is None
	# a complaint may be about no particular item
	assert fd.check_conversion("Customer Complaint", none, False, "CUST") is None


def test_every_contact_type_has_a_case_channel():
	assert set(fd.CASE_CHANNELS) == set(fd.CONTACT_TYPES)


# ---- the sender ---------------------------------------------------------------------------


def test_one_customer_matches():
	assert fd.match_customer([("C1", "CUST")]) == ("C1", "CUST")
	# two contacts of the same customer hold the address: the customer still matches
	contact, customer = fd.match_customer([("C1", "CUST"), ("C2", "CUST")])
	assert customer == "CUST" and contact in ("C1", "C2")


def test_no_or_several_customers_leave_the_sender_unmatched():
	assert fd.match_customer([]) == (None, None)
	assert fd.match_customer([("C1", None)]) == ("C1", None)
	assert fd.match_customer([("C1", "A"), ("C1", "B")]) == ("C1", None)


@pytest.mark.parametrize(
	"sender,subject,automatic",
	[
		("buyer@customer.example", "Pump leaks", False),
		("buyer@customer.example", "Re: Pump leaks", False),
		("service@us.example", "Pump leaks", True),  # our own mailbox: a loop
		("MAILER-DAEMON@mx.example", "failure", True),
		("no-reply@shop.example", "Your order", True),
		("buyer@customer.example", "Automatic reply: Pump leaks", True),
		("buyer@customer.example", "Out of Office: back Monday", True),
		("buyer@customer.example", "自动回复：休假", True),
		("buyer@customer.example", "Undeliverable: Pump leaks", True),
		("buyer@customer.example", "Automotive parts enquiry", False),
	],
)
def test_automatic_mail(sender, subject, automatic):
	assert fd.is_automatic_mail(sender, subject, ["Service@us.example", None]) is automatic


# ---- SLA targets --------------------------------------------------------------------------


def target(doctype, urgency, stage, hours=24):
	return {"document_type": doctype, "urgency": urgency, "stage": stage, "hours": hours}


def test_contact_targets_are_per_contact_type_with_one_stage():
	rows = [target("Customer Contact Log", t, s_, h) for t, s_, h in fd.DEFAULT_CONTACT_TARGETS]
	s.validate_sla_targets(rows)
	assert s.targets_for(rows, None, "Customer Contact Log", "Fax") == {"First Answer": (48, None)}


@pytest.mark.parametrize(
	"row,message",
	[
		(target("Customer Contact Log", "Urgent", "First Answer"), "not an urgency or contact type"),
		(target("Customer Contact Log", "Phone", "First Reply"), "has no stage First Reply"),
		(target("Customer Complaint", "Phone", "First Reply"), "not an urgency or contact type"),
		(target("Repair Request", "Urgent", "First Answer"), "has no stage First Answer"),
	],
)
def test_a_target_must_fit_its_document_type(row, message):
	with pytest.raises(SettingsError, match=message):
		s.validate_sla_targets([row])


def test_the_register_doctype_offers_what_the_core_knows():
	"""The doctype's Select options and the core's names stay in step (a renamed option would
	otherwise leave a rule that never matches)."""
	import json
	from pathlib import Path

	path = Path(__file__).resolve().parent.parent / "service_control" / "service_control" / "doctype"
	meta = json.loads((path / "customer_contact_log" / "customer_contact_log.json").read_text())
	options = {f["fieldname"]: f.get("options", "").split("\n") for f in meta["fields"]}
	assert tuple(options["status"]) == fd.STATUSES
	assert tuple(options["classification"]) == fd.CLASSIFICATIONS
	assert tuple(options["contact_type"]) == fd.CONTACT_TYPES
	assert [o for o in options["handling"] if o] == [fd.ON_THE_SPOT, fd.REFERRED_TO_DEPARTMENTS]
	assert options["due_stage"] == [fd.FIRST_ANSWER]
