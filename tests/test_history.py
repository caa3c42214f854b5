"""Imported history in the core: the guards a record of the registers passes to start in the
status it ended in, its dates in order, where its clocks start and the state they end in."""

from datetime import date, datetime, timedelta

import pytest

from service_control.core import capa, compensation, complaint, front_desk, repair, survey
from service_control.core.errors import CompensationError, FrontDeskError, TransitionError
from service_control.core.history import HistoryError, check_chronology, clock_start, review_instant
from service_control.core.sla import ClockState, ended_state

RECEIVED = datetime(2024, 3, 4, 9, 0)


def closed_complaint(**changes) -> complaint.ComplaintFacts:
	facts = complaint.ComplaintFacts(
		status=complaint.CLOSED,
		history=True,
		received_on=RECEIVED,
		answer_method="Phone",
		reply="Replaced",
		replied_on=RECEIVED + timedelta(hours=3),
		satisfaction=complaint.SATISFIED,
		closed_on=RECEIVED + timedelta(days=2),
	)
	for key, value in changes.items():
		setattr(facts, key, value)
	return facts


def test_a_closed_complaint_of_history_starts_closed():
	complaint.check_transition(None, complaint.CLOSED, closed_complaint())
	# the app's own path still starts Open
	with pytest.raises(TransitionError):
		complaint.check_transition(None, complaint.CLOSED, closed_complaint(history=False))


@pytest.mark.parametrize(
	("changes", "error", "message"),
	[
		({"closed_on": RECEIVED - timedelta(days=1)}, HistoryError, "is before"),
		({"replied_on": RECEIVED - timedelta(hours=1)}, HistoryError, "is before"),
		({"reply": None}, TransitionError, "Record the answer"),
		({"satisfaction": None}, TransitionError, "confirmation"),
		({"satisfaction": complaint.UNREACHABLE}, TransitionError, "unreachable"),
		({"closed_on": None}, HistoryError, "final status"),
	],
)
def test_history_guards_of_a_closed_complaint(changes, error, message):
	with pytest.raises(error, match=message):
		complaint.check_transition(None, complaint.CLOSED, closed_complaint(**changes))


def test_an_unreachable_customer_with_a_reason_closes():
	facts = closed_complaint(satisfaction=complaint.UNREACHABLE, satisfaction_comment="No answer in 3 calls")
	complaint.check_transition(None, complaint.CLOSED, facts)


def test_history_events_keep_the_real_dates_and_retention():
	events = complaint.ComplaintEvents(
		replied_on=RECEIVED + timedelta(hours=3),
		satisfaction=complaint.SATISFIED,
		closed_on=RECEIVED + timedelta(days=2),
	)
	out = complaint.record_events(
		None,
		complaint.CLOSED,
		events,
		investigation_owner=None,
		arrangement_plan=None,
		now=datetime(2026, 12, 1),
		user="importer@example.com",
		retention_years=3,
		history=True,
		received_on=RECEIVED,
	)
	assert out.first_response_on == RECEIVED + timedelta(hours=3)
	assert out.closed_on == RECEIVED + timedelta(days=2)
	assert out.confirmed_on == out.closed_on
	assert out.closed_by is None
	assert out.retain_until == date(2027, 3, 6)


def test_clock_start_and_review_instant():
	go_live = datetime(2026, 12, 1, 8, 0)
	assert clock_start(RECEIVED, go_live, from_go_live=True) == go_live
	assert clock_start(RECEIVED, go_live, from_go_live=False) == RECEIVED
	assert clock_start(go_live + timedelta(days=1), go_live, True) == go_live + timedelta(days=1)
	with pytest.raises(HistoryError, match="Go-Live"):
		clock_start(RECEIVED, None, from_go_live=True)
	now = datetime(2026, 12, 3)
	assert review_instant(RECEIVED, now) == RECEIVED
	assert review_instant(None, now) == now


def test_an_ended_clock_keeps_met_and_breached_and_stops_the_rest():
	assert ended_state(ClockState.MET) == ClockState.MET
	assert ended_state(ClockState.MET_LATE) == ClockState.MET_LATE
	assert ended_state(ClockState.BREACHED) == ClockState.BREACHED
	assert ended_state(ClockState.ON_TRACK) == ClockState.STOPPED
	assert ended_state(ClockState.AT_RISK) == ClockState.STOPPED


def test_chronology_compares_dates_and_datetimes_by_day():
	check_chronology([("Opened On", date(2024, 3, 4)), ("Closed On", datetime(2024, 3, 4, 17))])
	with pytest.raises(HistoryError):
		check_chronology([("Opened On", date(2024, 3, 5)), ("Closed On", datetime(2024, 3, 4, 17))])


def test_repair_history_needs_its_result_and_verification():
	facts = repair.RequestFacts(
		status=repair.CLOSED,
		technician="tech@example.com",
		last_result=repair.FIXED,
		verified=True,
		history=True,
		reported_on=RECEIVED,
		resolved_on=RECEIVED + timedelta(days=1),
		closed_on=RECEIVED + timedelta(days=2),
	)
	repair.check_request_transition(None, repair.CLOSED, facts)
	assert repair.next_status(facts) == repair.CLOSED
	for change, message in (
		({"verified": False}, "verified"),
		({"last_result": repair.NOT_FIXED}, "did not fix"),
		({"last_result": None}, "feedback form"),
		({"closed_on": RECEIVED - timedelta(days=1)}, "is before"),
	):
		bad = repair.RequestFacts(**{**facts.__dict__, **change})
		with pytest.raises((TransitionError, HistoryError), match=message):
			repair.check_request_transition(None, repair.CLOSED, bad)


def test_capa_history_passes_the_gates_on_the_way():
	opened = date(2024, 3, 4)
	facts = capa.CapaFacts(
		status=capa.CLOSED,
		history=True,
		opened_on=opened,
		problem_what="Cracks",
		root_cause_method="Fishbone",
		root_cause="Worn mould",
		cause_category="Machine",
		actions=[
			capa.ActionRow(
				owner="qm@example.com",
				due_date=opened + timedelta(days=20),
				status=capa.ACTION_DONE,
				completed_on=opened + timedelta(days=10),
				idx=1,
			)
		],
		checks=[capa.CheckRow(result=capa.EFFECTIVE, verified_by="qm@example.com", idx=1)],
		closed_on=opened + timedelta(days=60),
	)
	capa.check_transition(None, capa.CLOSED, facts)  # no approver, no Quality Manager role needed
	facts.checks = [capa.CheckRow(result=capa.NOT_EFFECTIVE, verified_by="qm@example.com", idx=1)]
	with pytest.raises(TransitionError, match="not effective"):
		capa.check_transition(None, capa.CLOSED, facts)
	facts.root_cause = None
	with pytest.raises(TransitionError, match="root cause"):
		capa.check_transition(None, capa.ACTIONS_PLANNED, facts)
	capa.check_transition(None, capa.CONTAINMENT, facts)


def test_compensation_history_records_what_was_paid():
	compensation.check_history(compensation.SETTLED, "JV-2020-0042", None)
	compensation.check_history(compensation.SETTLED, None, 120.0)
	compensation.check_history(compensation.REJECTED, None, None)
	with pytest.raises(CompensationError, match="voucher reference"):
		compensation.check_history(compensation.SETTLED, " ", 0)
	with pytest.raises(CompensationError, match="Settled or Rejected"):
		compensation.check_history(compensation.APPROVED, "JV-1", None)


def test_setup_status_lists_what_is_missing_blocking_first():
	from service_control.core.setup_status import SetupFacts, missing_setup, steps_done

	facts = SetupFacts(companies=("A",), role_users={"Quality Manager": 1})
	missing = missing_setup(facts)
	assert [m.blocking for m in missing][:3] == [True, True, True]
	assert {m.step for m in missing if m.blocking} == {"SC Settings", "SC SLA Targets", "SC Holiday Lists"}
	done = steps_done(missing, ["SC Escalation", "SC Portal"])
	assert done == {"SC Escalation": False, "SC Portal": False}
	complete = SetupFacts(
		working_hours=5,
		complaint_targets=8,
		escalation_levels=3,
		companies=("A",),
		company_defaults={
			"A": {
				"quality_manager_limit": 1000,
				"compensation_expense_account": "x",
				"scrap_loss_account": "x",
				"pending_warehouse": "w",
				"scrap_warehouse": "w",
				"rework_warehouse": "w",
				"sellable_warehouse": "w",
			}
		},
		companies_with_holidays=("A",),
		role_users=dict.fromkeys(
			("Customer Service User", "Quality Manager", "General Manager", "Accounts User"), 1
		),
		survey_templates=1,
		portal_users=1,
		go_live_on="2026-12-01 08:00:00",
	)
	assert missing_setup(complete) == []


# ---- repair feedback forms, survey answers and contact entries of imported history ---------


def history_form(**changes) -> repair.FeedbackFacts:
	facts = repair.FeedbackFacts(
		reported_on=RECEIVED,
		visits=[repair.VisitRow(date(2024, 3, 5), "tech@example.com", 2)],
		fault_found="Worn belt",
		work_done="Replaced the belt",
		result=repair.FIXED,
		remedy=repair.REPAIR,
		quality_rating=0.8,
		verifier_name="Li Lei",
		verified_on=datetime(2024, 3, 5, 17, 0),
	)
	for key, value in changes.items():
		setattr(facts, key, value)
	return facts


def test_a_feedback_form_of_history_is_whole_and_on_a_request_of_history():
	repair.check_feedback_history(history_form(), request_history=True)
	with pytest.raises(repair.RepairError, match="repair request of imported history"):
		repair.check_feedback_history(history_form(), request_history=False)
	with pytest.raises(repair.RepairError, match="work done"):
		repair.check_feedback_history(history_form(work_done=None), request_history=True)
	with pytest.raises(repair.RepairError, match="real Verified On"):
		repair.check_feedback_history(history_form(verified_on=None), request_history=True)
	with pytest.raises(HistoryError, match="is before"):
		repair.check_feedback_history(
			history_form(verified_on=datetime(2024, 3, 4, 8, 0)), request_history=True
		)
	# an unverified form needs no verification time
	repair.check_feedback_history(
		history_form(quality_rating=None, verifier_name=None, verified_on=None), request_history=True
	)


def test_a_feedback_form_of_history_resolves_at_its_real_time_and_bills_nothing():
	now = datetime(2026, 1, 1)
	assert repair.history_resolved_on(history_form(), now) == datetime(2024, 3, 5, 17, 0)
	unverified = history_form(quality_rating=None, verifier_name=None, verified_on=None)
	assert repair.history_resolved_on(unverified, now) == datetime(2024, 3, 5, 23, 59, 59)
	assert repair.history_resolved_on(unverified, datetime(2024, 3, 5, 12, 0)) == datetime(2024, 3, 5, 12, 0)
	parts = [repair.PartRow("BELT", 1, 20, True)]
	assert repair.charge_lines(parts, True, "LABOUR", 50, 2)
	assert repair.charge_lines(parts, True, "LABOUR", 50, 2, history=True) == []


def test_a_survey_answer_of_history_comes_answered_with_its_dates():
	now = datetime(2026, 1, 1)
	survey.check_response_history(True, date(2024, 3, 1), datetime(2024, 3, 3, 10, 0), now)
	with pytest.raises(survey.SurveyError, match="carries its answers"):
		survey.check_response_history(False, date(2024, 3, 1), datetime(2024, 3, 3, 10, 0), now)
	with pytest.raises(HistoryError, match="Responded On"):
		survey.check_response_history(True, date(2024, 3, 1), None, now)
	with pytest.raises(HistoryError, match="Survey Date"):
		survey.check_response_history(True, None, datetime(2024, 3, 3, 10, 0), now)
	with pytest.raises(HistoryError, match="is before"):
		survey.check_response_history(True, date(2024, 3, 5), datetime(2024, 3, 3, 10, 0), now)
	with pytest.raises(survey.SurveyError, match="in the future"):
		survey.check_response_history(True, date(2025, 12, 1), datetime(2026, 2, 1), now)


def test_a_contact_entry_of_history_comes_answered_or_cancelled():
	answered = front_desk.ContactFacts(
		received_on=RECEIVED, answer="Sent the manual", answered_on=RECEIVED + timedelta(hours=30)
	)
	front_desk.check_contact_history(answered)
	front_desk.check_contact_history(
		front_desk.ContactFacts(received_on=RECEIVED, cancelled=True, cancel_reason="Spam")
	)
	with pytest.raises(FrontDeskError, match="comes answered"):
		front_desk.check_contact_history(front_desk.ContactFacts(received_on=RECEIVED))
	with pytest.raises(FrontDeskError, match="converted"):
		front_desk.check_contact_history(
			front_desk.ContactFacts(received_on=RECEIVED, converted_on=RECEIVED + timedelta(hours=1))
		)
