"""Site-free tests of the service continuity rules (service_control.core.continuity)."""

from datetime import date, datetime

import pytest

from service_control.core import continuity as rules
from service_control.core.continuity import ContinuityError, ImpactRow, Risk, Step

# ---- rating --------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"likelihood,impact,score,band",
	[
		(1, 1, 1, "Low"),
		(2, 2, 4, "Low"),
		(1, 5, 5, "Medium"),
		(3, 3, 9, "Medium"),
		(2, 5, 10, "High"),
		(3, 4, 12, "High"),
		(3, 5, 15, "Critical"),
		(5, 5, 25, "Critical"),
	],
)
def test_score_and_band(likelihood, impact, score, band):
	assert rules.risk_score(likelihood, impact) == score
	assert rules.risk_band(score) == band


def test_unrated_scores_zero_and_has_no_band():
	assert rules.risk_score(None, 3) == rules.risk_score(2, 0) == 0
	assert rules.risk_band(0) is None


@pytest.mark.parametrize("likelihood,impact", [(6, 1), (1, 6), (-1, 2), (2.5, 2)])
def test_ratings_out_of_scale_are_refused(likelihood, impact):
	with pytest.raises(ContinuityError):
		rules.risk_score(likelihood, impact)


def test_every_score_has_one_band_and_treatment_from_the_threshold():
	for likelihood in range(1, 6):
		for impact in range(1, 6):
			score = rules.risk_score(likelihood, impact)
			assert rules.risk_band(score) in {"Low", "Medium", "High", "Critical"}
			assert rules.needs_treatment(score) == (score >= rules.TREATMENT_THRESHOLD)


def test_the_procedure_threats_are_offered():
	for threat in (
		"Fire",
		"Power Loss",
		"Hardware Failure",
		"Natural Disaster",
		"Theft",
		"Sabotage",
		"Staff Crisis",
	):
		assert threat in rules.THREATS


def test_an_other_threat_needs_a_description():
	with pytest.raises(ContinuityError):
		rules.validate_risks([Risk(threat="Other", likelihood=1, impact=1, idx=1)])
	rules.validate_risks([Risk(threat="Other", description="Pandemic", likelihood=1, impact=1, idx=1)])
	with pytest.raises(ContinuityError):
		rules.validate_risks([Risk(threat="Meteor", idx=1)])


# ---- approval of a risk report -------------------------------------------------------------


def test_a_high_risk_without_treatment_blocks_approval():
	high = Risk(threat="Fire", likelihood=4, impact=4, idx=1)
	with pytest.raises(ContinuityError, match="treatment"):
		rules.check_risks_approvable([high])
	high.treatment = "Sprinklers"
	with pytest.raises(ContinuityError):  # and its owner
		rules.check_risks_approvable([high])
	high.treatment_owner = "a@example.com"
	rules.check_risks_approvable([high])


def test_a_low_risk_needs_no_treatment_but_must_be_rated():
	rules.check_risks_approvable([Risk(threat="Theft", likelihood=1, impact=3, idx=1)])
	with pytest.raises(ContinuityError, match="Rate"):
		rules.check_risks_approvable([Risk(threat="Theft", idx=1)])
	with pytest.raises(ContinuityError):
		rules.check_risks_approvable([])


# ---- business impact analysis ---------------------------------------------------------------


def test_impacts_never_fall_and_suggest_the_mto():
	rows = [
		ImpactRow(4, 1, 1, 0, 0, idx=1),
		ImpactRow(24, 3, 4, 2, 1, idx=2),
		ImpactRow(72, 5, 5, 4, 3, idx=3),
	]
	rules.validate_impacts(rows)
	assert rules.suggested_mto(rows) == 24
	assert rules.suggested_mto(rows[:1]) is None
	with pytest.raises(ContinuityError, match="lower"):
		rules.validate_impacts([ImpactRow(4, 3, idx=1), ImpactRow(8, 2, idx=2)])
	with pytest.raises(ContinuityError):
		rules.validate_impacts([ImpactRow(4, 6, idx=1)])
	with pytest.raises(ContinuityError):
		rules.validate_impacts([ImpactRow(4, idx=1), ImpactRow(4, idx=2)])


def test_rto_within_mto():
	rules.check_service_times(8, 1, 24)
	rules.check_service_times(8, 1, None)
	with pytest.raises(ContinuityError):
		rules.check_service_times(30, 1, 24)


# ---- plan approval --------------------------------------------------------------------------

STEPS = [Step("Switch over", "o@example.com", 2, idx=1), Step("Restore", "o@example.com", 6, idx=2)]
CM = {rules.CONTINUITY_MANAGER}


def test_a_continuity_manager_who_did_not_write_the_plan_approves_it():
	rules.check_approval("author@example.com", "cm@example.com", CM, STEPS)


def test_the_author_cannot_approve():
	with pytest.raises(ContinuityError, match="author"):
		rules.check_approval("cm@example.com", "cm@example.com", CM, STEPS)


def test_approval_needs_the_role_and_complete_steps():
	with pytest.raises(ContinuityError):
		rules.check_approval("a@example.com", "qm@example.com", {"Quality Manager"}, STEPS)
	with pytest.raises(ContinuityError, match="recovery steps"):
		rules.check_approval("a@example.com", "cm@example.com", CM, [])
	with pytest.raises(ContinuityError, match="owner and a target"):
		rules.check_approval("a@example.com", "cm@example.com", CM, [Step("Restore", None, 2, idx=1)])


def test_targets_beyond_the_mto_are_an_error():
	assert rules.steps_beyond_mto(STEPS, 4) == [2]
	assert rules.steps_beyond_mto(STEPS, None) == []
	with pytest.raises(ContinuityError, match="maximum tolerable outage"):
		rules.check_targets_within_mto(STEPS, 4)
	rules.check_targets_within_mto(STEPS, 6)
	assert rules.recovery_target(STEPS) == 6


def test_step_met_compares_actual_with_target():
	assert Step("x", target_hours=2, actual_hours=2).met is True
	assert Step("x", target_hours=2, actual_hours=3).met is False
	assert Step("x", target_hours=2).met is None


def test_only_an_approved_plan_is_tested_or_invoked():
	rules.check_can_test("CP-1", 1)
	for docstatus in (0, 2, None):
		with pytest.raises(ContinuityError, match="not approved"):
			rules.check_can_test("CP-1", docstatus)
	with pytest.raises(ContinuityError):
		rules.check_can_invoke(None, None)
	with pytest.raises(ContinuityError):
		rules.check_can_invoke("CP-1", 0)
	rules.check_can_invoke("CP-1", 1)


# ---- review and test dates ------------------------------------------------------------------


@pytest.mark.parametrize(
	"day,months,expected",
	[
		(date(2026, 1, 31), 1, date(2026, 2, 28)),
		(date(2028, 1, 31), 1, date(2028, 2, 29)),
		(date(2026, 3, 15), 12, date(2027, 3, 15)),
		(date(2026, 11, 30), 3, date(2027, 2, 28)),
		(date(2024, 2, 29), 12, date(2025, 2, 28)),
	],
)
def test_add_months_clamps_to_the_month_end(day, months, expected):
	assert rules.add_months(day, months) == expected


def test_next_review_counts_from_the_latest_of_approval_and_review():
	assert rules.next_review(date(2026, 1, 10), None, 12) == date(2027, 1, 10)
	assert rules.next_review(date(2026, 1, 10), date(2026, 6, 1), 6) == date(2026, 12, 1)
	assert rules.next_review(date(2026, 1, 10), None, 0) == date(2027, 1, 10)  # the default 12
	assert rules.next_review(None, None, 12) is None


def test_next_test_counts_from_the_last_test_else_approval():
	assert rules.next_test(date(2026, 1, 10), None, None) == date(2027, 1, 10)
	assert rules.next_test(date(2026, 1, 10), date(2026, 5, 2), 6) == date(2026, 11, 2)
	assert rules.next_test(None, None, 12) is None


def test_due_and_overdue_are_past_the_date_on_approved_plans():
	today = date(2026, 6, 1)
	assert rules.review_is_due(1, date(2026, 5, 31), today)
	assert not rules.review_is_due(1, today, today)
	assert not rules.review_is_due(0, date(2026, 5, 31), today)
	assert not rules.review_is_due(2, date(2026, 5, 31), today)
	assert not rules.review_is_due(1, None, today)
	assert rules.is_test_overdue(1, date(2026, 5, 1), today)
	assert not rules.is_test_overdue(1, date(2026, 7, 1), today)


# ---- invocation -----------------------------------------------------------------------------


def test_recovery_hours():
	assert rules.recovery_hours(datetime(2026, 6, 1, 8), datetime(2026, 6, 1, 17, 30)) == 9.5
	assert rules.recovery_hours(datetime(2026, 6, 1, 8), None) is None
	with pytest.raises(ContinuityError):
		rules.recovery_hours(datetime(2026, 6, 1, 8), datetime(2026, 6, 1, 7))


def test_pausing_needs_the_role_a_reason_and_an_open_invocation():
	rules.check_pause(CM, "Power cut", rules.INVOKED)
	with pytest.raises(ContinuityError):
		rules.check_pause({"Quality Manager"}, "Power cut", rules.INVOKED)
	with pytest.raises(ContinuityError):
		rules.check_pause(CM, " ", rules.INVOKED)
	with pytest.raises(ContinuityError):
		rules.check_pause(CM, "Power cut", rules.CLOSED)


def test_a_closed_invocation_stays_closed_and_recovery_is_dated():
	with pytest.raises(ContinuityError):
		rules.check_status(rules.CLOSED, rules.INVOKED, datetime(2026, 6, 1))
	with pytest.raises(ContinuityError):
		rules.check_status(rules.INVOKED, rules.RECOVERED, None)
	rules.check_status(rules.INVOKED, rules.RECOVERED, datetime(2026, 6, 1))
