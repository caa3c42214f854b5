from datetime import datetime, timedelta

from service_control.core.escalation import EscalationLevel, fire_on, plan_escalations

NOW = datetime(2026, 11, 27, 12, 0)
LEVELS = [
	EscalationLevel(1, "At Risk", 0, notify_owner=True),
	EscalationLevel(2, "Breached", 0, role="Quality Manager"),
	EscalationLevel(3, "Breached", 24, role="General Manager", immediate_for_critical=True),
]


def plan(state, at_risk_ago=None, due_ago=None, escalated_level=0, critical=False, now=NOW):
	return plan_escalations(
		LEVELS,
		state=state,
		at_risk_on=NOW - timedelta(hours=at_risk_ago) if at_risk_ago is not None else None,
		due_on=NOW - timedelta(hours=due_ago) if due_ago is not None else None,
		escalated_level=escalated_level,
		now=now,
		critical=critical,
	)


def levels(result):
	return [level.level for level in result.due]


def test_levels_by_trigger_and_delay():
	assert levels(plan("On Track", at_risk_ago=-5, due_ago=-10)) == []
	assert levels(plan("At Risk", at_risk_ago=1, due_ago=-3)) == [1]
	assert levels(plan("Breached", at_risk_ago=5, due_ago=1)) == [1, 2]
	assert levels(plan("Breached", at_risk_ago=40, due_ago=30)) == [1, 2, 3]


def test_next_level_and_since_when_due():
	on_track = plan("On Track", at_risk_ago=-5, due_ago=-10)
	assert (on_track.level, on_track.due_since) == (0, None)
	assert on_track.next_on == NOW + timedelta(hours=5)  # level 1 at the at-risk instant
	breached = plan("Breached", at_risk_ago=5, due_ago=1)
	assert breached.level == 2
	assert breached.due_since == NOW - timedelta(hours=5)  # level 1 fired first
	assert breached.next_on == NOW + timedelta(hours=23)  # level 3, 24 h after the breach


def test_critical_reaches_top_level_at_once():
	result = plan("Breached", at_risk_ago=3, due_ago=1, critical=True)
	assert levels(result) == [1, 2, 3]
	assert result.next_on is None
	assert fire_on(LEVELS[2], None, NOW, critical=True) == NOW
	assert fire_on(LEVELS[2], None, NOW) == NOW + timedelta(hours=24)


def test_a_higher_level_supersedes_lower_ones_not_logged():
	# level 3 logged (Critical, at once): levels 1 and 2 are neither due nor waited for
	result = plan("Breached", at_risk_ago=3, due_ago=1, escalated_level=3)
	assert (levels(result), result.level, result.next_on) == ([], 3, None)


def test_idempotent_once_logged():
	first = plan("Breached", at_risk_ago=40, due_ago=30)
	again = plan("Breached", at_risk_ago=40, due_ago=30, escalated_level=first.level)
	assert levels(again) == [] and again.next_on is None
	later = plan(
		"Breached", at_risk_ago=40, due_ago=30, escalated_level=first.level, now=NOW + timedelta(hours=5)
	)
	assert levels(later) == []


def test_met_or_held_clock_never_escalates():
	assert levels(plan("Met", due_ago=30)) == []
	# paused before the at-risk point, no cap: no trigger instant, nothing planned
	held = plan("Paused")
	assert (levels(held), held.next_on) == ([], None)


def test_overall_state_is_the_worst_clock():
	from service_control.core.escalation import overall_state

	assert overall_state(["Met", "Breached", "On Track"]) == "Breached"
	assert overall_state(["Met", "At Risk", "Paused"]) == "At Risk"
	assert overall_state(["Met", "Met Late"]) == "Met Late"
	assert overall_state(["Met", None]) == "Met"
	assert overall_state([]) is None
