"""Site-free tests of the CAPA core: gates, risk score, effectiveness planning, rounds, scheduler plan."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service_control.core import access
from service_control.core import capa as c
from service_control.core.errors import TransitionError

TODAY = date(2026, 11, 27)
OPENED = TODAY - timedelta(days=20)
QM = ["Quality Manager"]


def action(**kw) -> c.ActionRow:
	base = {
		"round": 1,
		"action_type": c.CORRECTIVE,
		"action": "Add a torque check",
		"owner": "tech@example.com",
		"due_date": TODAY + timedelta(days=10),
		"key": "row-1",
		"idx": 1,
	}
	return c.ActionRow(**{**base, **kw})


def done(**kw) -> c.ActionRow:
	return action(**{"status": c.ACTION_DONE, "completed_on": TODAY - timedelta(days=2), **kw})


def facts(**kw) -> c.CapaFacts:
	base = {
		"status": c.DRAFT,
		"opened_on": OPENED,
		"problem_what": "Scratched housings",
		"containment_actions": 1,
		"root_cause_method": "5 Whys",
		"root_cause": "Fixture worn",
		"cause_category": "Machine",
		"whys": 3,
		"approver": "qm@example.com",
	}
	return c.CapaFacts(**{**base, **kw})


# ---- risk ----------------------------------------------------------------------------------


@given(st.integers(1, 10), st.integers(1, 10), st.integers(1, 10))
def test_risk_score_is_the_product_and_banded(s, o, d):
	score = c.risk_score(s, o, d)
	assert score == s * o * d
	assert 1 <= score <= 1000
	band = c.risk_band(score)
	assert band == ("High" if score >= 200 else "Medium" if score >= 100 else "Low")


@pytest.mark.parametrize("ratings", [(0, 5, 5), (None, 2, 3), (4, 4, None)])
def test_risk_score_zero_until_rated(ratings):
	assert c.risk_score(*ratings) == 0
	assert c.risk_band(0) is None


@pytest.mark.parametrize("ratings", [(11, 1, 1), (1, -1, 2), (2, 2, 2.5)])
def test_risk_ratings_out_of_range_refused(ratings):
	with pytest.raises(c.CapaError, match="1 to 10"):
		c.risk_score(*ratings)


# ---- sources and fields --------------------------------------------------------------------


def test_internal_capa_needs_no_source():
	c.check_source(None, None, "CAPA-1")


@pytest.mark.parametrize(
	"args,message",
	[
		(("Corrective Action", "CAPA-1", "CAPA-1"), "its own source"),
		(("Corrective Action", "CAPA-2", "CAPA-1"), "source of another CAPA"),
		(("Sales Invoice", "SINV-1", "CAPA-1"), "cannot be the source"),
		(("Customer Complaint", None, "CAPA-1"), "Choose the Customer Complaint"),
		((None, "CC-1", "CAPA-1"), "source type"),
	],
)
def test_bad_sources_refused(args, message):
	with pytest.raises(c.CapaError, match=message):
		c.check_source(*args)


def test_cancelled_source_refused():
	with pytest.raises(c.CapaError, match="is cancelled"):
		c.check_source("Customer Complaint", "CC-1", "CAPA-1", source_cancelled=True)
	for source_type in c.SOURCE_TYPES:
		c.check_source(source_type, "X-1", "CAPA-1")


@pytest.mark.parametrize(
	"row,message",
	[
		(action(due_date=OPENED - timedelta(days=1)), "before the CAPA date"),
		(action(owner="gone@example.com"), "disabled user"),
		(action(status=c.ACTION_DONE), "completion date"),
		(action(completed_on=TODAY), "not done"),
		(action(status=c.ACTION_DONE, completed_on=TODAY + timedelta(days=1)), "in the future"),
		(action(round=2), "does not exist yet"),
		(action(action_type="Other"), "Corrective or Preventive"),
	],
)
def test_action_row_rules(row, message):
	with pytest.raises(c.CapaError, match=message):
		c.validate_fields(facts(actions=[row]), TODAY, disabled_users={"gone@example.com"})


def test_action_due_on_the_capa_date_is_fine():
	c.validate_fields(facts(actions=[action(due_date=OPENED)]), TODAY)


def test_one_check_per_round():
	checks = [c.CheckRow(round=1), c.CheckRow(round=1)]
	with pytest.raises(c.CapaError, match="one effectiveness check"):
		c.validate_fields(facts(checks=checks), TODAY)


# ---- the state machine ---------------------------------------------------------------------


def test_new_capa_starts_draft():
	c.check_transition(None, c.DRAFT, facts())
	with pytest.raises(TransitionError, match="starts as Draft"):
		c.check_transition(None, c.APPROVED, facts())


@pytest.mark.parametrize(
	"old,new",
	[(c.DRAFT, c.APPROVED), (c.CONTAINMENT, c.CLOSED), (c.IMPLEMENTED, c.CLOSED), (c.CLOSED, c.DRAFT)],
)
def test_skipping_stages_refused(old, new):
	with pytest.raises(TransitionError, match="cannot go from"):
		c.check_transition(old, new, facts(), QM)


def test_gates_in_order():
	with pytest.raises(TransitionError, match="Describe the problem"):
		c.check_transition(c.DRAFT, c.CONTAINMENT, facts(problem_what=None))
	with pytest.raises(TransitionError, match="containment action"):
		c.check_transition(c.CONTAINMENT, c.ROOT_CAUSE, facts(containment_actions=0))
	with pytest.raises(TransitionError, match="method, cause and cause category"):
		c.check_transition(c.ROOT_CAUSE, c.ACTIONS_PLANNED, facts(cause_category=None))
	with pytest.raises(TransitionError, match="why-chain"):
		c.check_transition(c.ROOT_CAUSE, c.ACTIONS_PLANNED, facts(whys=0))
	c.check_transition(c.ROOT_CAUSE, c.ACTIONS_PLANNED, facts(root_cause_method="Fishbone", whys=0))


def test_approval_needs_a_corrective_action():
	with pytest.raises(TransitionError, match="at least one corrective action"):
		c.check_transition(c.ACTIONS_PLANNED, c.APPROVED, facts(actions=[]), QM)
	preventive_only = facts(actions=[action(action_type=c.PREVENTIVE)])
	with pytest.raises(TransitionError, match="at least one corrective action"):
		c.check_transition(c.ACTIONS_PLANNED, c.APPROVED, preventive_only, QM)
	cancelled = facts(actions=[action(status=c.ACTION_CANCELLED)])
	with pytest.raises(TransitionError, match="at least one corrective action"):
		c.check_transition(c.ACTIONS_PLANNED, c.APPROVED, cancelled, QM)
	c.check_transition(c.ACTIONS_PLANNED, c.APPROVED, facts(actions=[action()]), QM)


def test_approval_needs_owner_due_date_and_a_quality_manager():
	with pytest.raises(TransitionError, match="owner and a due date"):
		c.check_transition(c.ACTIONS_PLANNED, c.APPROVED, facts(actions=[action(owner=None)]), QM)
	with pytest.raises(TransitionError, match="Only a Quality Manager"):
		c.check_transition(c.ACTIONS_PLANNED, c.APPROVED, facts(actions=[action()]), ["Service Technician"])


def test_implemented_needs_every_action_done():
	rows = [done(), action(key="row-2", idx=2, action_type=c.PREVENTIVE)]
	with pytest.raises(TransitionError, match="not done yet"):
		c.check_transition(c.APPROVED, c.IMPLEMENTED, facts(actions=rows))
	rows[1] = done(key="row-2", idx=2, action_type=c.PREVENTIVE)
	c.check_transition(c.APPROVED, c.IMPLEMENTED, facts(actions=rows))


def test_closing_needs_an_effective_result():
	with pytest.raises(TransitionError, match="effectiveness result"):
		c.check_transition(c.EFFECTIVENESS_CHECK, c.CLOSED, facts(checks=[c.CheckRow(planned_date=TODAY)]))
	not_effective = c.CheckRow(planned_date=TODAY, result=c.NOT_EFFECTIVE, verified_by="qm@example.com")
	with pytest.raises(TransitionError, match="not effective"):
		c.check_transition(c.EFFECTIVENESS_CHECK, c.CLOSED, facts(checks=[not_effective]))
	effective = c.CheckRow(planned_date=TODAY, result=c.EFFECTIVE, verified_by="qm@example.com")
	c.check_transition(c.EFFECTIVENESS_CHECK, c.CLOSED, facts(checks=[effective]))


def test_cancel_needs_a_reason_and_final_is_final():
	with pytest.raises(TransitionError, match="reason"):
		c.check_transition(c.APPROVED, c.CANCELLED, facts())
	c.check_transition(c.APPROVED, c.CANCELLED, facts(cancel_reason="Duplicate"))
	with pytest.raises(TransitionError):
		c.check_transition(c.CLOSED, c.CANCELLED, facts(cancel_reason="x"))
	with pytest.raises(c.CapaError, match="no longer be edited"):
		c.check_final_edit(c.CLOSED, ["problem_what"])
	c.check_final_edit(c.CLOSED, [])


# ---- verification --------------------------------------------------------------------------


def test_verification_before_the_planned_date():
	check = c.CheckRow(planned_date=TODAY + timedelta(days=3), result=c.EFFECTIVE, verified_on=TODAY)
	with pytest.raises(c.CapaError, match="only a Quality Manager"):
		c.check_verification(check, c.EFFECTIVENESS_CHECK, ["Customer Service User"], TODAY)
	with pytest.raises(c.CapaError, match="Give a reason"):
		c.check_verification(check, c.EFFECTIVENESS_CHECK, QM, TODAY)
	check.reason = "Customer audit next week"
	c.check_verification(check, c.EFFECTIVENESS_CHECK, QM, TODAY)


def test_verification_on_or_after_the_planned_date_needs_no_reason():
	check = c.CheckRow(planned_date=TODAY, result=c.EFFECTIVE, verified_on=TODAY)
	c.check_verification(check, c.EFFECTIVENESS_CHECK, ["Customer Service User"], TODAY)
	with pytest.raises(c.CapaError, match="Effectiveness Check stage"):
		c.check_verification(check, c.IMPLEMENTED, QM, TODAY)
	with pytest.raises(c.CapaError, match="no planned date"):
		c.check_verification(c.CheckRow(result=c.EFFECTIVE), c.EFFECTIVENESS_CHECK, QM, TODAY)


# ---- effectiveness planning and rounds -----------------------------------------------------


@given(
	st.lists(st.integers(0, 60), min_size=1, max_size=6),
	st.integers(0, 120),
)
def test_planned_date_is_last_completion_plus_days(offsets, days):
	rows = [done(key=f"r{i}", idx=i, completed_on=OPENED + timedelta(days=o)) for i, o in enumerate(offsets)]
	planned = c.plan_effectiveness_date(rows, 1, days)
	assert planned == OPENED + timedelta(days=max(offsets) + days)


def test_no_plan_while_an_action_is_open_and_cancelled_rows_ignored():
	rows = [done(), action(key="r2", idx=2)]
	assert c.plan_effectiveness_date(rows, 1, 30) is None
	rows[1] = action(key="r2", idx=2, status=c.ACTION_CANCELLED)
	assert c.plan_effectiveness_date(rows, 1, 30) == TODAY - timedelta(days=2) + timedelta(days=30)
	assert c.plan_effectiveness_date(rows, 2, 30) is None


def test_not_effective_opens_a_new_round_keeping_the_old_rows():
	check = c.CheckRow(round=1, planned_date=TODAY, result=c.NOT_EFFECTIVE, verified_by="qm")
	f = facts(status=c.EFFECTIVENESS_CHECK, actions=[done()], checks=[check])
	status, rnd = c.advance(f)
	assert (status, rnd) == (c.ACTIONS_PLANNED, 2)
	f.status, f.current_round = status, rnd
	c.check_transition(c.EFFECTIVENESS_CHECK, c.ACTIONS_PLANNED, f, QM)
	# round 2 needs its own corrective action: round 1's done row does not count
	with pytest.raises(TransitionError, match="round 2"):
		c.check_transition(c.ACTIONS_PLANNED, c.APPROVED, f, QM)
	f.actions.append(action(round=2, key="row-2", idx=2))
	c.check_transition(c.ACTIONS_PLANNED, c.APPROVED, f, QM)


def test_effective_result_keeps_status_and_reopen_needs_not_effective():
	check = c.CheckRow(round=1, planned_date=TODAY, result=c.EFFECTIVE, verified_by="qm")
	f = facts(status=c.EFFECTIVENESS_CHECK, checks=[check])
	assert c.advance(f) == (c.EFFECTIVENESS_CHECK, 1)
	f.current_round = 2
	with pytest.raises(TransitionError, match="Not Effective"):
		c.check_transition(c.EFFECTIVENESS_CHECK, c.ACTIONS_PLANNED, f, QM)


@given(st.integers(1, 6))
def test_rounds_count_up_one_at_a_time(n):
	f = facts(status=c.EFFECTIVENESS_CHECK)
	for rnd in range(1, n + 1):
		f.checks.append(c.CheckRow(round=rnd, planned_date=TODAY, result=c.NOT_EFFECTIVE))
		f.status = c.EFFECTIVENESS_CHECK
		f.status, f.current_round = c.advance(f)
		assert f.current_round == rnd + 1
	assert [ch.round for ch in f.checks] == list(range(1, n + 1))


def test_earlier_rounds_cannot_change():
	before = {"a": {"round": 1, "action": "x", "status": "Done"}, "b": {"round": 2, "action": "y"}}
	c.check_earlier_rounds_kept(before, dict(before), 2)
	c.check_earlier_rounds_kept(before, {**before, "b": {"round": 2, "action": "z"}}, 2)
	with pytest.raises(c.CapaError, match="cannot be changed"):
		c.check_earlier_rounds_kept(
			before, {**before, "a": {"round": 1, "action": "x2", "status": "Done"}}, 2
		)
	with pytest.raises(c.CapaError, match="cannot be removed"):
		c.check_earlier_rounds_kept(before, {"b": before["b"]}, 2)
	with pytest.raises(c.CapaError, match="add new rows to round 2"):
		c.check_earlier_rounds_kept(before, {**before, "new": {"round": 1}}, 2)


# ---- who may edit ----------------------------------------------------------------------------


def test_technician_updates_only_own_rows():
	me, other = "tech@example.com", "other@example.com"
	before = {"a": {"owner": me, "status": "Open", "action": "x"}, "b": {"owner": other, "status": "Open"}}
	tech = ["Service Technician"]
	c.check_owner_edits(me, tech, before, {**before, "a": {**before["a"], "status": "In Progress"}})
	with pytest.raises(c.CapaError, match="only the actions you own"):
		c.check_owner_edits(me, tech, before, {**before, "b": {**before["b"], "status": "Done"}})
	with pytest.raises(c.CapaError, match="only status"):
		c.check_owner_edits(me, tech, before, {**before, "a": {**before["a"], "owner": other}})
	with pytest.raises(c.CapaError, match="not severity"):
		c.check_owner_edits(me, tech, before, before, ["severity"])
	with pytest.raises(c.CapaError, match="remove"):
		c.check_owner_edits(me, tech, before, {"a": before["a"]})
	with pytest.raises(c.CapaError, match="add actions"):
		c.check_owner_edits(me, tech, before, {**before, "c": {"owner": me}})
	# a Quality Manager edits anything
	c.check_owner_edits("qm", QM, before, {"c": {"owner": me}}, ["severity"])


def test_technician_sees_only_capas_they_take_part_in():
	me, tech = "tech@example.com", ["Service Technician"]

	def sees(roles, capa_owner, verifier, action_owners):
		return access.takes_part(me, roles, c.SEE_ALL_ROLES, (capa_owner, verifier), action_owners)

	assert sees(tech, None, None, ["other@example.com", me])
	assert sees(tech, me, None, [])
	assert sees(tech, None, me, [None])
	assert not sees(tech, "qm@example.com", "qm@example.com", ["other@example.com", None])
	# a managing role (also held beside the technician role) sees every CAPA
	for role in ("Quality Manager", "Customer Service User", "General Manager", "System Manager"):
		assert c.sees_every_capa([*tech, role])
		assert sees([*tech, role], None, None, [])
	assert not c.sees_every_capa(tech)
	# an empty header field is nobody's: it never lets an empty user in
	assert not access.takes_part("", tech, c.SEE_ALL_ROLES, ("", None), [None])


# ---- the daily selection ----------------------------------------------------------------------
# The job runs these predicates as SQL; test_corrective_action_log proves on generated rows that
# the job logs exactly what they select, and that a second run logs nothing more.


def test_daily_selection():
	rows = [
		action(key="soon", due_date=TODAY + timedelta(days=3)),
		action(key="later", due_date=TODAY + timedelta(days=4)),
		action(key="late", due_date=TODAY - timedelta(days=1)),
		done(key="late-but-done", due_date=TODAY - timedelta(days=1)),
		action(key="today", due_date=TODAY),
	]
	assert {r.key for r in rows if c.is_overdue(r, c.APPROVED, TODAY)} == {"late"}
	assert {r.key for r in rows if c.needs_reminder(r, c.APPROVED, TODAY, 3)} == {"soon", "today"}
	closed = action(key="closed", due_date=TODAY - timedelta(days=5))
	assert not c.is_overdue(closed, c.CLOSED, TODAY)
	assert not c.needs_reminder(closed, c.CLOSED, TODAY, 3)
	due = c.CheckRow(round=1, planned_date=TODAY, key="chk")
	assert c.check_falls_due(due, c.IMPLEMENTED, 1, TODAY)
	# the check of an earlier round does not fall due once a new round has started
	old = c.CheckRow(round=1, planned_date=TODAY, key="old-round")
	assert not c.check_falls_due(old, c.EFFECTIVENESS_CHECK, 2, TODAY)


def test_daily_selection_never_takes_imported_history():
	"""An open CAPA of imported history past every due date is neither reminded, escalated nor
	given its effectiveness check: its dates are the past's."""
	late, soon = action(due_date=TODAY - timedelta(days=30)), action(due_date=TODAY)
	check = c.CheckRow(round=1, planned_date=TODAY - timedelta(days=10))
	assert c.is_overdue(late, c.APPROVED, TODAY) and not c.is_overdue(late, c.APPROVED, TODAY, history=True)
	assert c.needs_reminder(soon, c.APPROVED, TODAY, 3)
	assert not c.needs_reminder(soon, c.APPROVED, TODAY, 3, history=True)
	assert c.check_falls_due(check, c.IMPLEMENTED, 1, TODAY)
	assert not c.check_falls_due(check, c.IMPLEMENTED, 1, TODAY, history=True)


# ---- creating from a complaint and statistics ----------------------------------------------


def test_capa_from_a_complaint_needs_the_company_responsible():
	c.check_can_create_from_complaint("CC-1", "Company", "Investigating")
	c.check_can_create_from_complaint("CC-1", "Company", "Closed")
	with pytest.raises(c.CapaError, match="company is responsible"):
		c.check_can_create_from_complaint("CC-1", "Supplier", "Investigating")
	with pytest.raises(c.CapaError, match="cancelled"):
		c.check_can_create_from_complaint("CC-1", "Company", "Cancelled")


def test_every_source_reuses_its_live_capa_and_only_that():
	assert c.capa_to_reuse([]) is None
	assert c.capa_to_reuse([("CAPA-2", c.ROOT_CAUSE), ("CAPA-1", c.CLOSED)]) == "CAPA-2"
	assert c.capa_to_reuse([("CAPA-3", c.CANCELLED), ("CAPA-2", c.DRAFT)]) == "CAPA-2"
	# a closed or cancelled CAPA does not block a new one
	assert c.capa_to_reuse([("CAPA-2", c.CLOSED), ("CAPA-1", c.CANCELLED)]) is None


def test_effectiveness_summary_by_group():
	outcomes = [
		c.Outcome(date(2026, 10, 3), date(2026, 11, 2), "QA", "Machine", (c.EFFECTIVE,)),
		c.Outcome(date(2026, 10, 20), date(2026, 11, 29), "QA", "Method", (c.NOT_EFFECTIVE, c.EFFECTIVE)),
		c.Outcome(date(2026, 11, 1), None, "Prod", "Machine", ()),
	]
	by_month = {r["group"]: r for r in c.summarize_effectiveness(outcomes, "Month")}
	assert by_month["2026-10"]["checks"] == 3
	assert by_month["2026-10"]["effectiveness_rate"] == pytest.approx(66.7)
	assert by_month["2026-10"]["first_time_rate"] == 50.0
	assert by_month["2026-10"]["avg_cycle_days"] == 35.0
	assert by_month["2026-11"]["effectiveness_rate"] is None
	assert by_month["2026-11"]["closed"] == 0
	by_cause = {r["group"]: r for r in c.summarize_effectiveness(outcomes, "Cause Category")}
	assert by_cause["Machine"]["capas"] == 2 and by_cause["Machine"]["effectiveness_rate"] == 100.0
	with pytest.raises(c.CapaError, match="Group by"):
		c.summarize_effectiveness(outcomes, "Customer")
