"""Site-free tests of service_control.core.feedback (信息反馈处理单)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service_control.core import access
from service_control.core import feedback as f
from service_control.core.errors import TransitionError

TODAY = date(2026, 12, 4)


def row(idx=1, status=f.ROW_OPEN, **kw):
	return f.RectificationRow(
		department="Quality", action="fix", owner="a@x", due_date=TODAY, status=status, idx=idx, **kw
	)


def done(idx=1, **kw):
	return row(idx, f.ROW_DONE, done_on=TODAY, result="fixed", **kw)


def facts(status=f.OPEN, **kw):
	return f.FeedbackFacts(status=status, **kw)


# ---- transitions and gates ----------------------------------------------------------------


def test_new_form_starts_open():
	f.check_transition(None, f.OPEN, facts())
	with pytest.raises(TransitionError, match="starts as Open"):
		f.check_transition(None, f.INVESTIGATING, facts(investigated_by="q@x"))


@pytest.mark.parametrize(
	"old,new",
	[
		(f.OPEN, f.RECTIFYING),
		(f.OPEN, f.CLOSED),
		(f.CLOSED, f.INVESTIGATING),
		(f.CLOSED, f.CANCELLED),
		(f.CANCELLED, f.OPEN),
		(f.INVESTIGATING, f.OPEN),
	],
)
def test_moves_outside_the_flow_are_refused(old, new):
	full = facts(
		investigated_by="q@x", investigation="found", result="told", cancel_reason="x", rows=[done()]
	)
	with pytest.raises(TransitionError, match="cannot go from"):
		f.check_transition(old, new, full)


def test_unknown_status_refused():
	with pytest.raises(TransitionError, match="Unknown status"):
		f.check_transition(f.OPEN, "Answered", facts())


def test_investigating_needs_an_investigator():
	with pytest.raises(TransitionError, match="who investigates"):
		f.check_transition(f.OPEN, f.INVESTIGATING, facts())
	f.check_transition(f.OPEN, f.INVESTIGATING, facts(investigated_by="q@x"))


def test_rectifying_needs_an_investigation_and_a_row():
	with pytest.raises(TransitionError, match="Write the investigation"):
		f.check_transition(f.INVESTIGATING, f.RECTIFYING, facts(investigation="  ", rows=[row()]))
	with pytest.raises(TransitionError, match="at least one rectification row"):
		f.check_transition(f.INVESTIGATING, f.RECTIFYING, facts(investigation="found"))
	f.check_transition(f.INVESTIGATING, f.RECTIFYING, facts(investigation="found", rows=[row()]))


def test_going_back_to_investigating_has_no_gate():
	f.check_transition(f.RECTIFYING, f.INVESTIGATING, facts())


def test_closing_names_every_unfinished_row():
	rows = [
		done(1),
		row(2),  # still open
		row(3, f.ROW_DONE, done_on=TODAY),  # no result
		row(4, f.ROW_DONE, result="fixed"),  # no date
		row(5, f.ROW_WAIVED),  # no reason
		row(6, f.ROW_WAIVED, waive_reason="customer withdrew"),
	]
	with pytest.raises(TransitionError) as error:
		f.check_transition(f.RECTIFYING, f.CLOSED, facts(investigation="found", result="told", rows=rows))
	assert error.value.args_ == ("2, 3, 4, 5",)
	assert "rectification rows 2, 3, 4, 5 must be Done" in str(error.value)


def test_closing_needs_investigation_and_result():
	rows = [done(1), row(2, f.ROW_WAIVED, waive_reason="duplicate")]
	with pytest.raises(TransitionError, match="Write the investigation"):
		f.check_transition(f.RECTIFYING, f.CLOSED, facts(result="told", rows=rows))
	with pytest.raises(TransitionError, match="Write the result"):
		f.check_transition(f.RECTIFYING, f.CLOSED, facts(investigation="found", rows=rows))
	f.check_transition(f.RECTIFYING, f.CLOSED, facts(investigation="found", result="told", rows=rows))


def test_a_form_with_nothing_to_rectify_closes_from_investigating():
	f.check_transition(f.INVESTIGATING, f.CLOSED, facts(investigation="no fault", result="explained"))


@pytest.mark.parametrize("old", [f.OPEN, f.INVESTIGATING, f.RECTIFYING])
def test_cancelling_needs_a_reason(old):
	with pytest.raises(TransitionError, match="reason for cancelling"):
		f.check_transition(old, f.CANCELLED, facts(cancel_reason=" "))
	f.check_transition(old, f.CANCELLED, facts(cancel_reason="registered twice"))


# ---- field rules ----------------------------------------------------------------------------


def test_row_rules():
	f.validate_rows([done(), row(2), row(3, f.ROW_WAIVED)], TODAY)
	with pytest.raises(f.FeedbackError, match="row 2 has a completion date but is not done"):
		f.validate_rows([done(), row(2, done_on=TODAY)], TODAY)
	with pytest.raises(f.FeedbackError, match="in the future"):
		f.validate_rows([row(1, f.ROW_DONE, done_on=TODAY + timedelta(days=1))], TODAY)
	with pytest.raises(f.FeedbackError, match="unknown status"):
		f.validate_rows([row(1, "Cancelled")], TODAY)


def test_sources():
	f.check_source(None, None)
	for source in f.SOURCE_TYPES:
		f.check_source(source, "X-1")
	with pytest.raises(f.FeedbackError, match="cannot be the source"):
		f.check_source("Sales Invoice", "SINV-1")
	with pytest.raises(f.FeedbackError, match="this feedback comes from"):
		f.check_source("Customer Complaint", None)
	with pytest.raises(f.FeedbackError, match="source type"):
		f.check_source(None, "CC-1")


def test_closed_form_is_read_only_except_for_a_system_manager_with_a_reason():
	f.check_closed_edit(f.RECTIFYING, ["result"], [], None)
	f.check_closed_edit(f.CLOSED, [], [], None)
	with pytest.raises(f.FeedbackError, match="Closed and can no longer be edited"):
		f.check_closed_edit(f.CLOSED, ["result"], ["Quality Manager"], "typo")
	with pytest.raises(f.FeedbackError, match="Give a reason"):
		f.check_closed_edit(f.CANCELLED, ["rectifications"], ["System Manager"], " ")
	f.check_closed_edit(f.CLOSED, ["result"], ["System Manager"], "typo in the result")


def test_who_sees_a_form():
	def sees(user, roles, investigated_by, receiving_user, row_owners):
		return access.takes_part(user, roles, f.SEE_ALL_ROLES, (investigated_by, receiving_user), row_owners)

	assert sees("x@x", ["Quality Manager"], None, None, [])
	assert sees("x@x", ["General Manager"], None, None, [])
	assert f.sees_every_form(["Employee", "Customer Service User"])
	assert not f.sees_every_form(["Employee"])
	assert sees("o@x", ["Employee"], None, None, ["p@x", "o@x"])
	assert sees("i@x", ["Employee"], "i@x", None, [])
	assert sees("r@x", ["Employee"], None, "r@x", [])
	assert not sees("n@x", ["Employee"], "i@x", "r@x", ["o@x", None])
	assert not sees("", ["Employee"], None, "", [None])


def test_a_source_leads_to_its_live_form_only():
	assert f.form_to_reuse([]) is None
	assert f.form_to_reuse([("F-2", f.CLOSED), ("F-1", f.CANCELLED)]) is None
	assert f.form_to_reuse([("F-3", f.CLOSED), ("F-2", f.RECTIFYING), ("F-1", f.OPEN)]) == "F-2"


def test_low_scores_are_those_below_the_target_lowest_first():
	scores = [("Delivery", 50), ("Service", 25), ("Quality", 100), ("Price", None), ("Docs", 80)]
	assert f.low_scores(scores, 80) == [("Service", 25.0), ("Delivery", 50.0)]
	assert f.low_scores(scores, None) == [("Service", 25.0)]  # below half marks without a target


# ---- the daily selection ---------------------------------------------------------------------

rows_strategy = st.builds(
	f.RectificationRow,
	status=st.sampled_from(f.ROW_STATUSES),
	due_date=st.one_of(st.none(), st.dates(TODAY - timedelta(days=10), TODAY + timedelta(days=10))),
)


@given(rows_strategy, st.sampled_from(f.STATUSES), st.integers(0, 7))
def test_selection_is_disjoint_and_only_open_rows_of_rectifying_forms(r, status, days):
	remind, overdue = f.needs_reminder(r, status, TODAY, days), f.is_overdue(r, status, TODAY)
	assert not (remind and overdue)
	if remind or overdue:
		assert status == f.RECTIFYING and r.status == f.ROW_OPEN and r.due_date
	if remind:
		assert TODAY <= r.due_date <= TODAY + timedelta(days=days)
	if overdue:
		assert r.due_date < TODAY
	if status == f.RECTIFYING and r.status == f.ROW_OPEN and r.due_date:
		assert remind or overdue or r.due_date > TODAY + timedelta(days=days)


def test_reminder_window_uses_the_default_days():
	assert f.reminder_window(TODAY) == (TODAY, TODAY + timedelta(days=f.REMINDER_DAYS))
	assert f.reminder_window(TODAY, -3) == (TODAY, TODAY)
	assert f.needs_reminder(f.RectificationRow(due_date=None), f.RECTIFYING, TODAY) is False
