from datetime import datetime, timedelta

from service_control.core.escalation import ClockSnapshot, EscalationLevel, due_escalations, sweep_rules

NOW = datetime(2026, 11, 27, 12, 0)
LEVELS = [
	EscalationLevel(1, "At Risk", 0, notify_owner=True),
	EscalationLevel(2, "Breached", 0, role="Quality Manager"),
	EscalationLevel(3, "Breached", 24, role="General Manager", immediate_for_critical=True),
]


def clock(name, state, at_risk_ago=None, due_ago=None, critical=False):
	return ClockSnapshot(
		("Customer Complaint", name, "Resolution"),
		state,
		NOW - timedelta(hours=at_risk_ago) if at_risk_ago is not None else None,
		NOW - timedelta(hours=due_ago) if due_ago is not None else None,
		critical,
	)


def test_levels_by_trigger_and_delay():
	clocks = [
		clock("on-track", "On Track", at_risk_ago=-5, due_ago=-10),
		clock("at-risk", "At Risk", at_risk_ago=1, due_ago=-3),
		clock("fresh-breach", "Breached", at_risk_ago=5, due_ago=1),
		clock("old-breach", "Breached", at_risk_ago=40, due_ago=30),
	]
	due = due_escalations(clocks, LEVELS, NOW)
	by_name = {}
	for key, level in due:
		by_name.setdefault(key[1], []).append(level)
	assert "on-track" not in by_name
	assert by_name["at-risk"] == [1]
	assert by_name["fresh-breach"] == [1, 2]
	assert by_name["old-breach"] == [1, 2, 3]


def test_critical_reaches_top_level_at_once():
	due = due_escalations([clock("crit", "Breached", at_risk_ago=3, due_ago=1, critical=True)], LEVELS, NOW)
	assert sorted(level for _k, level in due) == [1, 2, 3]


def test_idempotent_with_log():
	clocks = [clock("b", "Breached", at_risk_ago=40, due_ago=30)]
	first = due_escalations(clocks, LEVELS, NOW)
	assert due_escalations(clocks, LEVELS, NOW, logged=first) == []
	# a later sweep, same clocks: still nothing new
	assert due_escalations(clocks, LEVELS, NOW + timedelta(hours=5), logged=first) == []


def test_met_clock_never_escalates():
	assert due_escalations([clock("m", "Met", at_risk_ago=40, due_ago=30)], LEVELS, NOW) == []


def test_sweep_rules_cutoffs():
	rules = sweep_rules(LEVELS, NOW)
	level3 = [r for r in rules if r.level.level == 3]
	assert {(r.cutoff, r.critical_only) for r in level3} == {(NOW - timedelta(hours=24), False), (NOW, True)}
	assert [r.column for r in rules if r.level.level == 1] == ["at_risk_on"]


def test_overall_state_is_the_worst_clock():
	from service_control.core.escalation import overall_state

	assert overall_state(["Met", "Breached", "On Track"]) == "Breached"
	assert overall_state(["Met", "At Risk", "Paused"]) == "At Risk"
	assert overall_state(["Met", "Met Late"]) == "Met Late"
	assert overall_state(["Met", None]) == "Met"
	assert overall_state([]) is None
