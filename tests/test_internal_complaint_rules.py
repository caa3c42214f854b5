"""Site-free tests of the internal-customer complaint rules (core/internal_complaint.py)."""

from datetime import datetime, timedelta

import pytest

from service_control.core import internal_complaint as ic
from service_control.core.capa import SOURCE_TYPES
from service_control.core.errors import ComplaintError, TransitionError
from service_control.core.settings import TARGET_KEYS

NOW = datetime(2026, 12, 3, 10, 0)


def facts(**kwargs) -> ic.InternalFacts:
	return ic.InternalFacts(**{"received_on": NOW - timedelta(hours=2), **kwargs})


# ---- no customer -------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ic.CUSTOMER_FIELDS)
def test_a_customer_is_refused(field):
	with pytest.raises(ic.InternalComplaintError, match="not by customer _Test Customer"):
		ic.check_no_customer({field: "_Test Customer"})


def test_no_customer_passes():
	ic.check_no_customer({"customer": None, "customer_name": ""})
	ic.check_no_customer({})


def test_internal_complaint_error_maps_to_a_validation_error():
	# the adapter maps ComplaintError (and its subclasses) to a frappe.ValidationError
	assert issubclass(ic.InternalComplaintError, ComplaintError)


# ---- handler ---------------------------------------------------------------------------------


@pytest.mark.parametrize("roles", [["HR User"], ["HR Manager"], ["HR User", "Employee"]])
def test_hr_users_handle(roles):
	ic.check_handler("hr@example.com", roles)


@pytest.mark.parametrize("roles", [[], ["Customer Service User"], ["Quality Manager", "Employee"]])
def test_a_handler_outside_hr_is_refused(roles):
	with pytest.raises(ic.InternalComplaintError, match="HR User or HR Manager"):
		ic.check_handler("cs@example.com", roles)


def test_a_disabled_handler_is_refused():
	with pytest.raises(ic.InternalComplaintError, match="disabled"):
		ic.check_handler("hr@example.com", ["HR User"], enabled=False)


def test_no_handler_is_fine_until_the_investigation():
	ic.check_handler(None, [])
	with pytest.raises(TransitionError, match="Assign a handler"):
		ic.check_transition(ic.OPEN, ic.INVESTIGATING, facts())


# ---- fields ----------------------------------------------------------------------------------


def test_received_in_the_future_is_refused():
	with pytest.raises(ic.InternalComplaintError, match="in the future"):
		ic.validate_fields(facts(received_on=NOW + timedelta(minutes=5)), NOW)


def test_satisfaction_needs_an_answer():
	with pytest.raises(ic.InternalComplaintError, match="Answer the complainant"):
		ic.validate_fields(facts(satisfaction=ic.SATISFIED), NOW)
	ic.validate_fields(facts(satisfaction=ic.SATISFIED, replied_on=NOW), NOW)


# ---- transitions -----------------------------------------------------------------------------


def test_a_new_complaint_starts_open():
	ic.check_transition(None, ic.OPEN, facts())
	with pytest.raises(TransitionError, match="starts Open"):
		ic.check_transition(None, ic.ANSWERED, facts(reply="x", handler="hr"))


@pytest.mark.parametrize(
	"old,new",
	[
		(ic.OPEN, ic.CLOSED),
		(ic.INVESTIGATING, ic.CLOSED),
		(ic.CLOSED, ic.INVESTIGATING),
		(ic.CANCELLED, ic.OPEN),
		(ic.ANSWERED, ic.CANCELLED),
		(ic.AWAITING_COMPLAINANT, ic.ANSWERED),
	],
)
def test_transitions_outside_the_flow_are_refused(old, new):
	complete = facts(handler="hr", reply="x", replied_on=NOW, satisfaction=ic.SATISFIED, cancel_reason="dup")
	with pytest.raises(TransitionError, match="cannot go from"):
		ic.check_transition(old, new, complete)


def test_answered_needs_a_reply_and_a_handler():
	with pytest.raises(TransitionError, match="Assign a handler"):
		ic.check_transition(ic.INVESTIGATING, ic.ANSWERED, facts(reply="Done"))
	with pytest.raises(TransitionError, match="Write the reply"):
		ic.check_transition(ic.INVESTIGATING, ic.ANSWERED, facts(handler="hr", reply="  "))
	ic.check_transition(ic.INVESTIGATING, ic.ANSWERED, facts(handler="hr", reply="Done"))
	ic.check_transition(ic.OPEN, ic.ANSWERED, facts(handler="hr", reply="Done"))


def test_closed_needs_an_answer_and_satisfaction_or_a_reason():
	with pytest.raises(TransitionError, match="before the complainant is answered"):
		ic.check_transition(ic.ANSWERED, ic.CLOSED, facts(satisfaction=ic.SATISFIED))
	for satisfaction in (None, ic.NOT_SATISFIED, ic.UNREACHABLE):
		with pytest.raises(TransitionError, match="reason for closing"):
			ic.check_transition(ic.ANSWERED, ic.CLOSED, facts(replied_on=NOW, satisfaction=satisfaction))
		ic.check_transition(
			ic.ANSWERED,
			ic.CLOSED,
			facts(replied_on=NOW, satisfaction=satisfaction, close_reason="Left the company"),
		)
	for satisfaction in (ic.SATISFIED, ic.PARTLY_SATISFIED):
		ic.check_transition(ic.ANSWERED, ic.CLOSED, facts(replied_on=NOW, satisfaction=satisfaction))


def test_cancelled_needs_a_reason():
	with pytest.raises(TransitionError, match="reason for cancelling"):
		ic.check_transition(ic.OPEN, ic.CANCELLED, facts(cancel_reason=" "))
	ic.check_transition(ic.OPEN, ic.CANCELLED, facts(cancel_reason="Registered twice"))


def test_only_a_dissatisfied_complainant_sends_it_back():
	answered = facts(handler="hr", replied_on=NOW)
	ic.check_transition(ic.ANSWERED, ic.INVESTIGATING, answered)
	answered.satisfaction = ic.NOT_SATISFIED
	ic.check_transition(ic.ANSWERED, ic.INVESTIGATING, answered)
	answered.satisfaction = ic.SATISFIED
	with pytest.raises(TransitionError, match="not satisfied"):
		ic.check_transition(ic.ANSWERED, ic.INVESTIGATING, answered)


def test_waiting_resumes_where_it_left():
	assert ic.paused_from(ic.INVESTIGATING, ic.AWAITING_COMPLAINANT, None) == ic.INVESTIGATING
	assert ic.paused_from(ic.AWAITING_COMPLAINANT, ic.AWAITING_COMPLAINANT, ic.OPEN) == ic.OPEN
	assert ic.paused_from(ic.AWAITING_COMPLAINANT, ic.INVESTIGATING, ic.INVESTIGATING) == ic.INVESTIGATING
	waited = facts(handler="hr", paused_from=ic.INVESTIGATING)
	ic.check_transition(ic.AWAITING_COMPLAINANT, ic.INVESTIGATING, waited)
	with pytest.raises(TransitionError, match="resumes there"):
		ic.check_transition(ic.AWAITING_COMPLAINANT, ic.OPEN, waited)
	waited.paused_from = ic.OPEN
	ic.check_transition(ic.AWAITING_COMPLAINANT, ic.OPEN, waited)
	with pytest.raises(TransitionError, match="resumes there"):
		ic.check_transition(ic.AWAITING_COMPLAINANT, ic.INVESTIGATING, waited)


def test_a_closed_complaint_is_read_only_except_for_a_system_manager_with_a_reason():
	with pytest.raises(ic.InternalComplaintError, match="can no longer be edited"):
		ic.check_closed_edit(ic.CLOSED, ["reply"], ["HR Manager"], None)
	with pytest.raises(ic.InternalComplaintError, match="Give a reason"):
		ic.check_closed_edit(ic.CLOSED, ["reply"], ["System Manager"], None)
	ic.check_closed_edit(ic.CLOSED, ["reply"], ["System Manager"], "Typo in the reply")
	ic.check_closed_edit(ic.INVESTIGATING, ["reply"], ["HR User"], None)


# ---- events and SLA stages -------------------------------------------------------------------


NO_EVENTS = ic.InternalEvents()


def record(old, new, events=NO_EVENTS, handler=None, now=NOW):
	return ic.record_events(old, new, events, handler=handler, now=now, user="hr@example.com")


def test_registration_records_nothing_but_the_handler():
	e = record(None, ic.OPEN)
	assert e == ic.InternalEvents()
	e = record(None, ic.OPEN, handler="hr")
	assert e.assigned_on == NOW and e.first_response_on is None
	stages = ic.stage_events(ic.OPEN, e)
	assert stages == {"First Reply": None, "Arrangement": NOW, "Resolution": None, "Closure": None}


def test_leaving_open_is_the_first_response_and_answering_stamps_the_reply():
	later = NOW + timedelta(hours=3)
	e = record(ic.OPEN, ic.INVESTIGATING, record(None, ic.OPEN), handler="hr", now=later)
	assert e.first_response_on == later and e.assigned_on == later
	answered_at = later + timedelta(hours=5)
	e = record(ic.INVESTIGATING, ic.ANSWERED, e, handler="hr", now=answered_at)
	assert (e.replied_on, e.replied_by, e.first_response_on) == (answered_at, "hr@example.com", later)
	assert ic.stage_events(ic.ANSWERED, e)["Resolution"] == answered_at
	# sent back: the resolution runs again until the next answer
	assert ic.stage_events(ic.INVESTIGATING, e)["Resolution"] is None


def test_an_answer_on_the_spot_meets_the_first_reply():
	e = record(ic.OPEN, ic.ANSWERED, record(None, ic.OPEN, handler="hr"), handler="hr")
	assert e.first_response_on == NOW == e.replied_on


def test_a_new_answer_asks_the_complainant_again_and_closing_stamps():
	e = ic.InternalEvents(replied_on=NOW, replied_by="a", satisfaction=ic.NOT_SATISFIED)
	again = record(ic.INVESTIGATING, ic.ANSWERED, e, handler="hr", now=NOW + timedelta(days=1))
	assert again.satisfaction is None and again.replied_on == NOW + timedelta(days=1)
	closed = record(ic.ANSWERED, ic.CLOSED, again, handler="hr", now=NOW + timedelta(days=2))
	assert (closed.closed_on, closed.closed_by) == (NOW + timedelta(days=2), "hr@example.com")
	assert ic.stage_events(ic.CLOSED, closed)["Closure"] == NOW + timedelta(days=2)


# ---- policy ----------------------------------------------------------------------------------


def test_default_targets_cover_every_urgency_and_stage_once():
	urgencies, stages = TARGET_KEYS["Internal Complaint"]
	keys = [(urgency, stage) for urgency, stage, _hours in ic.DEFAULT_INTERNAL_TARGETS]
	assert sorted(keys) == sorted((u, s) for u in urgencies for s in stages)
	hours = {(u, s): h for u, s, h in ic.DEFAULT_INTERNAL_TARGETS}
	for urgency in urgencies:
		chain = [hours[urgency, stage] for stage in ("First Reply", "Resolution", "Closure")]
		assert chain == sorted(chain) and all(h > 0 for h in chain)
	assert all(hours["Urgent", s] <= hours["Normal", s] for s in stages)


def test_an_internal_complaint_may_raise_a_capa():
	assert "Internal Complaint" in SOURCE_TYPES
