"""Tests for service_control.core.sla_review (a case's clocks, Due By and next check)."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service_control.core.escalation import EscalationLevel
from service_control.core.sla import ClockState, Pause, SlaError, compute_clock
from service_control.core.sla_review import StageClock, next_deadline, review_case
from service_control.core.working_time import CalendarClock, WorkingCalendar

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
BASE = datetime(2024, 1, 1)  # a Monday
OFFICE = {weekday: [(time(8, 30), time(12, 0)), (time(13, 0), time(17, 30))] for weekday in range(5)}
CALENDAR = WorkingCalendar(OFFICE, [date(2024, 1, 8)])
LEVELS = (
	EscalationLevel(1, "At Risk", 0, notify_owner=True),
	EscalationLevel(2, "Breached", 0, role="Quality Manager"),
	EscalationLevel(3, "Breached", 6, role="General Manager", immediate_for_critical=True),
)
STAGES = ("First Reply", "Arrangement", "Resolution", "Closure")


def at(day: int, hour: int, minute: int = 0) -> datetime:
	return datetime(2024, 1, day, hour, minute)


START = at(1, 9)


def stage(name, allowance, start=START, **kwargs):
	return StageClock(
		stage=name, start=start, allowance=allowance, clock=kwargs.pop("clock", CALENDAR), **kwargs
	)


def escalations(review):
	return [(stage.stage, level) for stage in review.stages for level in stage.escalations]


def test_due_by_is_the_earliest_deadline_of_a_stage_not_met():
	clocks = [
		stage("First Reply", 16 * HOUR, met_on=at(1, 10)),
		stage("Arrangement", 16 * HOUR),
		stage("Resolution", 56 * HOUR),
	]
	review = review_case(clocks, now=at(1, 11))
	assert (review.due_by, review.due_stage) == (at(3, 9), "Arrangement")  # 16 working hours
	assert review.last_due == at(11, 9)  # the resolution: 56 working hours, the 8th a holiday
	assert review.stages[0].state == ClockState.MET
	assert review.state == ClockState.ON_TRACK.value
	# the customer's earlier deadline wins, and makes its stage the case's deadline
	capped = review_case([*clocks[:2], stage("Resolution", 56 * HOUR, cap=at(2, 9))], now=at(1, 11))
	assert (capped.due_by, capped.due_stage) == (at(2, 9), "Resolution")


def test_a_tie_goes_to_the_earlier_stage_and_an_overdue_stage_stays_the_deadline():
	clocks = [stage(name, 2 * HOUR) for name in ("Closure", "First Reply")]
	review = review_case(clocks, now=at(2, 9))
	assert review.due_stage == "First Reply"
	assert review.due_by == at(1, 11) and review.state == ClockState.BREACHED.value


def test_a_case_held_by_a_pause_has_no_deadline_and_no_next_check():
	review = review_case([stage("First Reply", 16 * HOUR)], now=at(1, 12), pauses=[Pause(at(1, 10), None)])
	assert (review.due_by, review.due_stage, review.next_on, review.last_due) == (None, None, None, None)
	assert review.stages[0].state == ClockState.PAUSED
	assert next_deadline(review.stages) == (None, None)


def test_escalations_due_at_a_save_make_the_case_due_for_the_sweep_since_they_fired():
	clocks = [stage("Arrangement", 8 * HOUR)]  # due Tuesday 09:00, at risk Monday 16:00
	review = review_case(clocks, now=at(2, 10), levels=LEVELS)
	assert [(name, level.level) for name, level in escalations(review)] == [
		("Arrangement", 1),
		("Arrangement", 2),
	]
	assert review.check_on == at(1, 16)  # a save leaves them to the sweep: due since level 1 fired
	assert review.next_on == at(2, 15)  # once logged: level 3, six calendar hours after the breach
	assert review.stages[0].escalated_level == 2
	critical = review_case(clocks, now=at(2, 10), levels=LEVELS, critical=True)
	assert [level.level for _name, level in escalations(critical)] == [1, 2, 3]
	assert critical.next_on is None


def test_other_states_count_in_the_case_state_not_in_its_deadline():
	review = review_case([stage("Closure", 64 * HOUR)], now=at(1, 10), other_states=["Met Late"])
	assert review.state == ClockState.ON_TRACK.value
	assert review_case([], now=at(1, 10), other_states=["Met Late"]).state == "Met Late"


def test_bad_input_is_refused():
	with pytest.raises(SlaError, match="allowance"):
		review_case([stage("First Reply", timedelta(0))], now=at(1, 9))
	with pytest.raises(SlaError, match="share"):
		review_case([], now=at(1, 9), at_risk_share=1)


# --- properties -----------------------------------------------------------------------------------

minutes = st.integers(0, 14 * 1440).map(lambda n: BASE + n * MINUTE)


@st.composite
def cases(draw):
	start = draw(minutes)
	working = draw(st.booleans())
	on = CALENDAR if working else CalendarClock()
	pauses, begin = [], start
	for gap, length in draw(
		st.lists(st.tuples(st.integers(0, 3 * 1440), st.integers(0, 2 * 1440)), max_size=2)
	):
		begin += gap * MINUTE
		pauses.append(Pause(begin, begin + length * MINUTE))
		begin += length * MINUTE
	if pauses and draw(st.booleans()):
		pauses[-1] = Pause(pauses[-1].start, None)
	clocks = []
	for name in draw(st.lists(st.sampled_from(STAGES), min_size=1, max_size=4, unique=True)):
		allowance = draw(st.integers(1, 5 * 1440)) * MINUTE
		cap = draw(st.one_of(st.none(), st.integers(1, 10 * 1440)))
		met = draw(st.one_of(st.none(), st.integers(0, 10 * 1440)))
		level = draw(st.integers(0, 3))
		clocks.append(
			StageClock(
				stage=name,
				start=start,
				allowance=allowance,
				clock=on,
				cap=start + cap * MINUTE if cap else None,
				met_on=start + met * MINUTE if met is not None else None,
				escalated_level=level,
			)
		)
	return clocks, pauses, draw(st.sampled_from([0.5, 0.75, 0.9])), draw(st.booleans())


@settings(max_examples=300, deadline=None)
@given(cases(), st.integers(0, 20 * 1440))
def test_review_gives_compute_clocks_answers(case, now_after):
	"""Clock by clock, the review (one add_each for the plain clocks of a case) gives
	compute_clock's state and deadlines."""
	clocks, pauses, share, _critical = case
	now = clocks[0].start + now_after * MINUTE
	review = review_case(clocks, now=now, pauses=pauses, at_risk_share=share)
	for clock, result in zip(clocks, review.stages, strict=True):
		expected = compute_clock(
			start=clock.start,
			allowance=clock.allowance,
			clock=clock.clock,
			now=now,
			pauses=pauses,
			met_on=clock.met_on,
			at_risk_share=share,
			cap=clock.cap,
		)
		assert (result.state, result.due_on) == (expected.state, expected.due_on)
		if expected.met_on is None:
			assert result.at_risk_on == expected.at_risk_on


def logged(review, clocks):
	"""The clocks as they are once the review's escalations are logged (what the sweep writes)."""
	return [
		StageClock(c.stage, c.start, c.allowance, c.clock, c.met_on, c.cap, s.escalated_level)
		for c, s in zip(clocks, review.stages, strict=True)
	]


def observable(review):
	return [(s.state, [level.level for level in s.escalations]) for s in review.stages]


@settings(max_examples=300, deadline=None)
@given(cases(), st.integers(0, 20 * 1440), st.floats(0, 1))
def test_next_on_is_exactly_when_something_changes(case, now_after, fraction):
	"""What the sweep's index selects (``sla_next_on <= now``) is exactly the cases in which
	something changes: after a review at ``now`` (escalations logged), no state moves and no level
	falls due before ``next_on``, and at ``next_on`` one does. The SQL is that one comparison on
	the stored ``next_on``, so this is the proof that the sweep's selection and the core agree."""
	clocks, pauses, share, critical = case
	now = clocks[0].start + now_after * MINUTE
	# a save opens and closes pauses at its own instant: none lies ahead of a review
	pauses = [pause for pause in pauses if (pause.end or pause.start) <= now]
	kwargs = {"pauses": pauses, "levels": LEVELS, "critical": critical, "at_risk_share": share}
	first = review_case(clocks, now=now, **kwargs)
	after = logged(first, clocks)
	settled = observable(review_case(after, now=now, **kwargs))
	assert all(not levels for _state, levels in settled)
	if first.next_on is None:
		later = review_case(after, now=now + 400 * 24 * HOUR, **kwargs)
		assert observable(later) == settled
		return
	assert first.next_on > now
	before = now + (first.next_on - now - timedelta(microseconds=1)) * fraction
	assert observable(review_case(after, now=before, **kwargs)) == settled
	assert observable(review_case(after, now=first.next_on, **kwargs)) != settled
