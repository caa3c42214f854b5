from datetime import datetime, timedelta

import pytest

from service_control.core import complaint as c
from service_control.core.errors import ComplaintError, TransitionError

NOW = datetime(2026, 11, 27, 10, 0)


def facts(**kw) -> c.ComplaintFacts:
	base = {"received_on": NOW - timedelta(hours=3), "investigation_owner": "qm@example.com"}
	base.update(kw)
	return c.ComplaintFacts(**base)


def answered(**kw) -> c.ComplaintFacts:
	base = {
		"responsibility": "Customer",
		"answer_method": "Phone",
		"reply": "Called back",
		"replied_on": NOW - timedelta(hours=1),
	}
	return facts(**{**base, **kw})


@pytest.mark.parametrize(
	"kw,message",
	[
		({"received_on": NOW + timedelta(minutes=1)}, "future"),
		({"customer_deadline": NOW - timedelta(hours=4)}, "deadline"),
		({"affected_qty": 0}, "greater than zero"),
		({"affected_qty": -2}, "greater than zero"),
		({"responsibility": "Supplier"}, "supplier"),
		({"satisfaction": "Satisfied"}, "before their confirmation"),
	],
)
def test_field_rules(kw, message):
	with pytest.raises(ComplaintError, match=message):
		c.validate_fields(facts(**kw), NOW)


def test_valid_fields_pass():
	c.validate_fields(facts(affected_qty=3, responsibility="Supplier", supplier="ACME"), NOW)


def test_new_complaint_starts_open():
	c.check_transition(None, c.OPEN, facts())
	for status in (c.INVESTIGATING, c.ANSWERED, c.CLOSED):
		with pytest.raises(TransitionError, match="starts Open"):
			c.check_transition(None, status, facts())


def test_unknown_transition_refused():
	with pytest.raises(TransitionError, match="cannot go from Open to Answered"):
		c.check_transition(c.OPEN, c.ANSWERED, answered())


def test_investigation_needs_owner():
	with pytest.raises(TransitionError, match="owner"):
		c.check_transition(c.OPEN, c.INVESTIGATING, facts(investigation_owner=None))
	c.check_transition(c.OPEN, c.INVESTIGATING, facts())


def test_answer_needs_responsibility_and_reply():
	with pytest.raises(TransitionError, match="responsibility"):
		c.check_transition(c.INVESTIGATING, c.ANSWERED, facts())
	with pytest.raises(TransitionError, match="Record the answer"):
		c.check_transition(c.INVESTIGATING, c.ANSWERED, facts(responsibility="Customer"))
	c.check_transition(c.INVESTIGATING, c.ANSWERED, answered())


def test_company_responsibility_needs_containment():
	with pytest.raises(TransitionError, match="containment"):
		c.check_transition(c.INVESTIGATING, c.ANSWERED, answered(responsibility="Company"))
	c.check_transition(c.INVESTIGATING, c.ANSWERED, answered(responsibility="Company", containment_actions=1))


@pytest.mark.parametrize(
	"satisfaction,comment,ok",
	[
		("Satisfied", None, True),
		("Partly Satisfied", None, True),
		("Unreachable", "Phone off for a week", True),
		("Unreachable", None, False),
		("Not Satisfied", None, False),
		(None, None, False),
	],
)
def test_close_needs_confirmation(satisfaction, comment, ok):
	f = answered(satisfaction=satisfaction, satisfaction_comment=comment)
	if ok:
		c.check_transition(c.ANSWERED, c.CLOSED, f)
	else:
		with pytest.raises(TransitionError):
			c.check_transition(c.ANSWERED, c.CLOSED, f)


def test_close_without_answer_refused():
	with pytest.raises(TransitionError, match="before the customer has been answered"):
		c.check_transition(c.ANSWERED, c.CLOSED, facts(satisfaction="Satisfied"))


def test_not_satisfied_goes_back():
	assert c.next_status_after_confirmation(c.ANSWERED, c.NOT_SATISFIED) == c.INVESTIGATING
	assert c.next_status_after_confirmation(c.ANSWERED, c.SATISFIED) == c.ANSWERED
	c.check_transition(c.ANSWERED, c.INVESTIGATING, answered(satisfaction=c.NOT_SATISFIED))
	with pytest.raises(TransitionError, match="not satisfied"):
		c.check_transition(c.ANSWERED, c.INVESTIGATING, answered(satisfaction=c.SATISFIED))


def test_cancel_needs_reason():
	with pytest.raises(TransitionError, match="reason"):
		c.check_transition(c.OPEN, c.CANCELLED, facts())
	c.check_transition(c.OPEN, c.CANCELLED, facts(cancel_reason="Registered twice"))


def test_reopen_only_system_manager_with_reason():
	with pytest.raises(TransitionError, match="System Manager"):
		c.check_transition(c.CLOSED, c.INVESTIGATING, facts(reopen_reason="x"), ["Quality Manager"])
	with pytest.raises(TransitionError, match="reason"):
		c.check_transition(c.CLOSED, c.INVESTIGATING, facts(), ["System Manager"])
	c.check_transition(c.CLOSED, c.INVESTIGATING, facts(reopen_reason="New evidence"), ["System Manager"])


def test_closed_edit_rules():
	c.check_closed_edit(c.INVESTIGATING, ["description"], [], None)
	c.check_closed_edit(c.CLOSED, [], [], None)
	with pytest.raises(ComplaintError, match="no longer be edited"):
		c.check_closed_edit(c.CLOSED, ["description"], ["Quality Manager"], "x")
	with pytest.raises(ComplaintError, match="reason"):
		c.check_closed_edit(c.CLOSED, ["description"], ["System Manager"], None)
	c.check_closed_edit(c.CLOSED, ["description"], ["System Manager"], "typo")


def test_domain_error_keeps_template_and_args():
	err = ComplaintError("{0} {1} has no item {2}.", "Delivery Note", "DN-1", "X")
	assert err.message == "{0} {1} has no item {2}."
	assert err.args_ == ("Delivery Note", "DN-1", "X")
	assert str(err) == "Delivery Note DN-1 has no item X."


# ---- events a save records ------------------------------------------------------------------

AT = datetime(2026, 12, 3, 10, 0)


def events(old, new, user="cs@x", years=3, owner=None, plan=None, **kw):
	return c.record_events(
		old,
		new,
		c.ComplaintEvents(**kw),
		investigation_owner=owner,
		arrangement_plan=plan,
		now=AT,
		user=user,
		retention_years=years,
	)


def test_first_response_is_leaving_open_or_the_reply_whichever_came_first():
	assert events(c.OPEN, c.INVESTIGATING).first_response_on == AT
	assert events(None, c.OPEN).first_response_on is None
	replied = AT - timedelta(hours=3)
	assert events(c.OPEN, c.OPEN, replied_on=replied).first_response_on == replied
	earlier = AT - timedelta(days=1)
	assert events(c.OPEN, c.INVESTIGATING, first_response_on=earlier).first_response_on == earlier


def test_arrangement_answer_and_confirmation_are_stamped_once():
	assert events(c.OPEN, c.INVESTIGATING, owner="qm@x").arranged_on is None
	assert events(c.OPEN, c.INVESTIGATING, owner="qm@x", plan="Visit").arranged_on == AT
	assert events(c.INVESTIGATING, c.ANSWERED).replied_by == "cs@x"
	assert events(c.INVESTIGATING, c.ANSWERED, replied_by="qm@x").replied_by == "qm@x"
	assert events(c.ANSWERED, c.ANSWERED, satisfaction=c.SATISFIED).confirmed_on == AT


def test_closing_keeps_the_record_for_the_retention_years_and_reopening_clears_it():
	closed = events(c.ANSWERED, c.CLOSED, user="qm@x")
	assert (closed.closed_on, closed.closed_by, closed.retain_until) == (
		AT,
		"qm@x",
		datetime(2029, 12, 3).date(),
	)
	assert events(c.ANSWERED, c.CLOSED, years=0).retain_until == datetime(2029, 12, 3).date()  # default 3
	reopened = events(c.CLOSED, c.INVESTIGATING, closed_on=AT, closed_by="qm@x", retain_until=AT.date())
	assert (reopened.closed_on, reopened.closed_by, reopened.retain_until) == (None, None, None)
	assert events(c.OPEN, c.CANCELLED, years=5).retain_until == datetime(2031, 12, 3).date()


def test_a_new_answer_after_investigating_again_asks_the_customer_again():
	again = events(c.INVESTIGATING, c.ANSWERED, satisfaction=c.NOT_SATISFIED, confirmed_on=AT)
	assert (again.satisfaction, again.confirmed_on) == (None, None)


def test_stage_events():
	e = c.ComplaintEvents(first_response_on=AT, arranged_on=AT, replied_on=AT, closed_on=None)
	assert c.stage_events(c.INVESTIGATING, e) == {
		"First Reply": AT,
		"Arrangement": AT,
		"Resolution": None,  # a reply counts once the complaint is answered
		"Closure": None,
	}
	assert c.stage_events(c.ANSWERED, e)["Resolution"] == AT


def test_resume_goes_back_to_where_the_complaint_paused():
	assert c.paused_from(c.OPEN, c.AWAITING_CUSTOMER, None) == c.OPEN
	assert c.paused_from(c.INVESTIGATING, c.AWAITING_CUSTOMER, c.OPEN) == c.INVESTIGATING
	assert c.paused_from(c.AWAITING_CUSTOMER, c.OPEN, c.OPEN) == c.OPEN  # kept while it is read
	# waited before the investigation: back to Open, no investigation owner needed
	c.check_transition(c.AWAITING_CUSTOMER, c.OPEN, c.ComplaintFacts(paused_from=c.OPEN))
	with pytest.raises(TransitionError, match="from Investigating: it resumes there"):
		c.check_transition(c.AWAITING_CUSTOMER, c.OPEN, c.ComplaintFacts(paused_from=c.INVESTIGATING))
	with pytest.raises(TransitionError, match="from Investigating: it resumes there"):
		c.check_transition(c.AWAITING_CUSTOMER, c.OPEN, c.ComplaintFacts())  # paused before the field
	# going on to the investigation from a pause stays possible, with its owner
	with pytest.raises(TransitionError, match="investigation owner"):
		c.check_transition(c.AWAITING_CUSTOMER, c.INVESTIGATING, c.ComplaintFacts(paused_from=c.OPEN))


def test_case_title_says_what_the_case_is_about():
	from service_control.core.complaint import TITLE_LENGTH, case_title

	assert case_title("Acme", "Leaking valve", "Valve DN50") == "Acme: Leaking valve"
	assert case_title("Acme", None, "  Valve\n DN50 ") == "Acme: Valve DN50"
	assert case_title("Acme", None, "") == "Acme"
	assert case_title(None, "Noise") == "Noise"
	assert len(case_title("Acme", "x" * 500)) == TITLE_LENGTH


def test_a_requested_deadline_caps_only_once_accepted():
	from datetime import datetime, timedelta

	from service_control.core.complaint import accepted_deadline, can_accept_deadline

	asked = datetime(2026, 12, 3, 9, 1)
	four = timedelta(hours=4)
	# too close: it waits, unless someone accepts it
	assert accepted_deadline(asked, None, lead=timedelta(minutes=1), min_lead=four) is None
	assert accepted_deadline(asked, None, lead=timedelta(minutes=1), min_lead=four, accepting=True) == asked
	# far enough: accepted at once; once accepted it stays while unchanged
	assert accepted_deadline(asked, None, lead=four, min_lead=four) == asked
	assert accepted_deadline(asked, asked, lead=timedelta(0), min_lead=four) == asked
	# a new request is judged afresh, and no request means no cap
	assert accepted_deadline(asked + timedelta(hours=1), asked, lead=timedelta(0), min_lead=four) is None
	assert accepted_deadline(None, asked, lead=four, min_lead=four, accepting=True) is None
	assert can_accept_deadline(["Customer Service User"]) and can_accept_deadline(["Quality Manager"])
	assert not can_accept_deadline(["Customer", "Service Technician"])
