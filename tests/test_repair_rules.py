from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service_control.core import repair as r
from service_control.core.errors import TransitionError
from service_control.core.working_time import CalendarClock, WorkingCalendar

TODAY = date(2026, 11, 27)
POLICY = r.WarrantyPolicy(refund_days=7, replace_days=15, warranty_months=12)


def delivered(days_ago: int) -> date:
	return TODAY - timedelta(days=days_ago)


# ---- three guarantees ------------------------------------------------------------------------


@pytest.mark.parametrize(
	"days,allowed",
	[
		(0, ("Repair", "Replace", "Refund")),
		(7, ("Repair", "Replace", "Refund")),
		(8, ("Repair", "Replace")),
		(15, ("Repair", "Replace")),
		(16, ("Repair",)),
		(400, ("Repair",)),
	],
)
def test_allowed_remedies_by_days_since_delivery(days, allowed):
	status = r.warranty_status(TODAY, delivery_date=delivered(days), policy=POLICY)
	assert r.allowed_remedies(status, POLICY) == allowed


def test_refund_outside_window_refused_with_days():
	with pytest.raises(
		r.RepairError, match=r"Refund is allowed only within 7 days of delivery; .* 8 days ago"
	):
		r.decide("Refund", TODAY, delivery_date=delivered(8), policy=POLICY)


def test_replace_outside_window_refused():
	with pytest.raises(r.RepairError, match="within 15 days"):
		r.decide("Replace", TODAY, delivery_date=delivered(16), policy=POLICY)


def test_replace_or_refund_without_delivery_date_refused():
	with pytest.raises(r.RepairError, match="needs the delivery date"):
		r.decide("Replace", TODAY, delivery_date=None, warranty_expiry_date=TODAY, policy=POLICY)


def test_free_repair_under_warranty_months_from_delivery():
	decision = r.decide("Repair", TODAY, delivery_date=date(2025, 11, 27), policy=POLICY)
	assert decision.status.status == r.UNDER_WARRANTY
	assert decision.status.warranty_expiry == date(2026, 11, 27)
	assert not decision.chargeable


def test_chargeable_repair_after_warranty_months():
	decision = r.decide("Repair", TODAY, delivery_date=date(2025, 11, 26), policy=POLICY)
	assert decision.status.status == r.OUT_OF_WARRANTY
	assert decision.chargeable


def test_serial_warranty_expiry_wins_over_months():
	# delivered long ago, but the serial carries an extended warranty
	decision = r.decide(
		"Repair", TODAY, delivery_date=date(2023, 1, 1), warranty_expiry_date=date(2027, 1, 1), policy=POLICY
	)
	assert decision.status.status == r.UNDER_WARRANTY and not decision.chargeable
	# ... and a short one ends cover before warranty_months would
	decision = r.decide(
		"Repair", TODAY, delivery_date=delivered(30), warranty_expiry_date=delivered(1), policy=POLICY
	)
	assert decision.chargeable


def test_amc_keeps_repair_free_after_warranty():
	decision = r.decide(
		"Repair", TODAY, delivery_date=date(2020, 1, 1), amc_expiry_date=date(2027, 6, 30), policy=POLICY
	)
	assert decision.status.status == r.UNDER_AMC
	assert not decision.chargeable


def test_unknown_coverage_is_chargeable():
	decision = r.decide("Repair", TODAY, delivery_date=None, policy=POLICY)
	assert decision.status.status == r.UNKNOWN and decision.chargeable


def test_replace_and_refund_are_free():
	assert not r.decide("Refund", TODAY, delivery_date=delivered(3), policy=POLICY).chargeable
	assert not r.decide("Replace", TODAY, delivery_date=delivered(10), policy=POLICY).chargeable


def test_bad_policy_and_inputs():
	with pytest.raises(r.RepairError, match="cannot be longer"):
		r.WarrantyPolicy(refund_days=20, replace_days=15)
	with pytest.raises(r.RepairError, match="negative"):
		r.WarrantyPolicy(refund_days=-1)
	with pytest.raises(r.RepairError, match="Unknown remedy"):
		r.decide("Upgrade", TODAY, delivery_date=delivered(1))
	with pytest.raises(r.RepairError, match="after the repair was reported"):
		r.decide("Repair", TODAY, delivery_date=TODAY + timedelta(days=1))


def test_add_months_clamps_month_end():
	assert r.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
	assert r.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
	assert r.add_months(date(2026, 11, 15), 14) == date(2028, 1, 15)


# ---- linked-record checks --------------------------------------------------------------------


def test_technician_needs_role():
	with pytest.raises(r.RepairError, match="Service Technician role"):
		r.check_technician("a@x.com", ["Sales User"])
	with pytest.raises(r.RepairError, match="disabled"):
		r.check_technician("a@x.com", ["Service Technician"], enabled=False)
	r.check_technician("a@x.com", ["Service Technician"])
	r.check_technician(None, [])


WH = r.WarehouseInfo("Stores - C", "C")


@pytest.mark.parametrize(
	"qty,wh,stock,message",
	[
		(0, WH, 10, "greater than zero"),
		(1, None, 10, "choose the warehouse"),
		(1, r.WarehouseInfo("All - C", "C", is_group=True), 10, "group warehouse"),
		(1, r.WarehouseInfo("Old - C", "C", disabled=True), 10, "disabled"),
		(1, r.WarehouseInfo("Stores - D", "D"), 10, "belongs to D"),
		(3, WH, 2, "only 2 of P1 in stock"),
	],
)
def test_part_rows(qty, wh, stock, message):
	with pytest.raises(r.RepairError, match=message):
		r.check_part(1, "P1", qty, wh, "C", stock)


def test_part_row_ok():
	r.check_part(1, "P1", 2, WH, "C", 2)


def test_refund_checks():
	with pytest.raises(r.RepairError, match="original Sales Invoice"):
		r.check_refund(100, 100, None)
	with pytest.raises(r.RepairError, match="more than the 150"):
		r.check_refund(200, 150, "SINV-1")
	with pytest.raises(r.RepairError, match="greater than zero"):
		r.check_refund(0, 150, "SINV-1")
	r.check_refund(150, 150, "SINV-1")


def test_replacement_needs_stock():
	with pytest.raises(r.RepairError, match="No replacement"):
		r.check_replacement("ITEM", "Stores", 0)
	with pytest.raises(r.RepairError, match="warehouse"):
		r.check_replacement("ITEM", None, 5)
	r.check_replacement("ITEM", "Stores", 1)


# ---- feedback form ---------------------------------------------------------------------------

REPORTED = datetime(2026, 11, 20, 9, 0)


def feedback(**kw) -> r.FeedbackFacts:
	base = {
		"reported_on": REPORTED,
		"visits": [r.VisitRow(date(2026, 11, 21), "tech@x.com", 2.5)],
		"fault_found": "Worn bearing",
		"work_done": "Replaced bearing",
		"result": "Fixed",
		"remedy": "Repair",
	}
	base.update(kw)
	return r.FeedbackFacts(**base)


def test_verification_before_work_recorded_refused():
	facts = feedback(visits=[], quality_rating=1.0, verifier_name="Li")
	with pytest.raises(r.RepairError, match="before the customer verifies"):
		r.validate_feedback(facts, TODAY)
	facts = feedback(result=None, signature="data:image/png;base64,xx")
	with pytest.raises(r.RepairError, match="before the customer verifies"):
		r.validate_feedback(facts, TODAY)
	r.validate_feedback(feedback(quality_rating=0.8, attitude_rating=1.0, verifier_name="Li"), TODAY)


@pytest.mark.parametrize(
	"visit,message",
	[
		(r.VisitRow(None, "t", 1), "set the visit date"),
		(r.VisitRow(TODAY + timedelta(days=1), "t", 1), "in the future"),
		(r.VisitRow(date(2026, 11, 19), "t", 1), "before the repair was reported"),
		(r.VisitRow(date(2026, 11, 21), None, 1), "name the technician"),
		(r.VisitRow(date(2026, 11, 21), "t", 0), "greater than zero"),
		(r.VisitRow(date(2026, 11, 21), "t", 25), "more than 24 hours"),
	],
)
def test_visit_rows(visit, message):
	with pytest.raises(r.RepairError, match=message):
		r.validate_feedback(feedback(visits=[visit]), TODAY)


def test_result_must_match_remedy():
	with pytest.raises(r.RepairError, match="does not match the remedy"):
		r.validate_feedback(feedback(result="Refunded", remedy="Repair"), TODAY)
	r.validate_feedback(feedback(result="Replaced", remedy="Replace"), TODAY)


def test_submit_needs_complete_record():
	for kw, message in (
		({"visits": []}, "at least one visit"),
		({"fault_found": None}, "fault found"),
		({"work_done": None}, "work done"),
		({"result": None}, "result"),
		({"quality_rating": 1.0}, "verifier's name"),
	):
		with pytest.raises(r.RepairError, match=message):
			r.validate_feedback_submit(feedback(**kw))
	r.validate_feedback_submit(feedback())


# ---- request status machine -----------------------------------------------------------------


def test_request_flow_and_guards():
	facts = r.RequestFacts(status="Open")
	with pytest.raises(TransitionError, match="Service Technician"):
		r.check_request_transition("Open", "Assigned", facts)
	facts.technician = "tech@x.com"
	assert r.next_status(facts) == "Assigned"
	r.check_request_transition("Open", "Assigned", facts)
	with pytest.raises(TransitionError, match="Submit a repair feedback form"):
		r.check_request_transition("Assigned", "Resolved", facts)
	facts.status, facts.submitted_feedback, facts.last_result = "Assigned", 1, "Not Fixed"
	assert r.next_status(facts) == "In Progress"
	with pytest.raises(TransitionError, match="did not fix"):
		r.check_request_transition("In Progress", "Resolved", facts)
	facts.submitted_feedback, facts.last_result = 2, "Fixed"
	facts.status = "In Progress"
	assert r.next_status(facts) == "Resolved"
	r.check_request_transition("In Progress", "Resolved", facts)
	with pytest.raises(TransitionError, match="not verified"):
		r.check_request_transition("Resolved", "Closed", facts)
	facts.verified = True
	r.check_request_transition("Resolved", "Closed", facts)
	with pytest.raises(TransitionError, match="cannot go from Closed to Open"):
		r.check_request_transition("Closed", "Open", facts)


def test_new_request_and_cancel():
	with pytest.raises(TransitionError, match="starts Open"):
		r.check_request_transition(None, "Resolved", r.RequestFacts())
	with pytest.raises(TransitionError, match="reason"):
		r.check_request_transition("Open", "Cancelled", r.RequestFacts())
	r.check_request_transition("Open", "Cancelled", r.RequestFacts(cancel_reason="duplicate"))


# ---- statistics ------------------------------------------------------------------------------

CAL = WorkingCalendar({d: [(time(8, 30), time(12)), (time(13), time(17, 30))] for d in range(5)})


def rec(name, reported, resolved=None, **kw):
	return r.RepairRecord(
		name=name, item_code=kw.pop("item_code", "A"), reported_on=reported, resolved_on=resolved, **kw
	)


RECORDS = [
	# fixed at the first visit, Monday 09:00 -> Monday 15:00 = 5 working hours (lunch excluded)
	rec(
		"R1",
		datetime(2026, 11, 23, 9),
		datetime(2026, 11, 23, 15),
		visits=1,
		result="Fixed",
		quality_rating=1.0,
		attitude_rating=0.8,
	),
	# two visits, Friday 16:00 -> Monday 10:00 = 1.5 + 1.5 = 3 working hours
	rec(
		"R2",
		datetime(2026, 11, 20, 16),
		datetime(2026, 11, 23, 10),
		visits=2,
		result="Fixed",
		quality_rating=0.6,
		attitude_rating=1.0,
	),
	# not fixed yet
	rec("R3", datetime(2026, 11, 24, 9), None, visits=1, result="Not Fixed"),
	# replaced: not counted in first-time fix, counted in MTTR
	rec(
		"R4",
		datetime(2026, 10, 5, 9),
		datetime(2026, 10, 5, 10),
		visits=1,
		result="Replaced",
		remedy="Replace",
		quality_rating=0.8,
	),
	rec("R5", datetime(2026, 10, 6, 9), None, remedy="Refund", item_code="B"),
	rec("R6", datetime(2025, 3, 6, 9), datetime(2025, 3, 6, 11), visits=1, result="Fixed", chargeable=True),
]


def test_first_time_fix_rate():
	# R1 fixed first time; R2 two visits; R3 not fixed; R6 fixed first time -> 2 / 4
	assert r.first_time_fix_rate(RECORDS) == pytest.approx(0.5)
	assert r.first_time_fix_rate([]) is None


def test_mttr_in_working_time():
	mttr = r.mean_time_to_repair(RECORDS[:2], CAL)
	assert mttr == timedelta(hours=4)  # (5 + 3) / 2
	# calendar time would count the weekend
	assert r.mean_time_to_repair(RECORDS[:2], CalendarClock()) == timedelta(hours=(6 + 66) / 2)
	assert r.mean_time_to_repair([RECORDS[2]], CAL) is None


def test_satisfaction_rate():
	# R1 satisfied (1.0, 0.8); R2 not (0.6); R4 satisfied; others unverified
	assert r.satisfaction_rate(RECORDS) == pytest.approx(2 / 3)
	assert r.satisfaction_rate(RECORDS, threshold=0.6) == 1
	assert r.satisfaction_rate(RECORDS[2:3]) is None


def test_r_per_1000():
	assert r.r_per_1000(3, 1500) == 2
	assert r.r_per_1000(3, 0) is None
	table = r.r_per_1000_table(
		{("A", "2026-11"): 4, ("B", "2026-10"): 1}, {("A", "2026-11"): 2000, ("C", "2026-11"): 50}
	)
	assert table[("A", "2026-11")] == (4, 2000, 2)
	assert table[("B", "2026-10")] == (1, 0, None)
	assert table[("C", "2026-11")] == (0, 50, 0)


def test_group_stats_by_month_and_item():
	stats = r.group_stats(RECORDS, lambda x: (r.period_key(x.reported_on), x.item_code), CAL)
	nov = stats[("2026-11", "A")]
	assert (nov.repairs, nov.resolved, nov.verified) == (3, 2, 2)
	assert nov.first_time_fix_rate == pytest.approx(1 / 3)
	assert nov.mttr == timedelta(hours=4)
	assert nov.satisfaction_rate == pytest.approx(0.5)
	assert stats[("2026-10", "B")].repairs == 1


def test_three_guarantees_summary():
	monthly = r.three_guarantees_summary(RECORDS)
	assert list(monthly) == ["2025-03", "2026-10", "2026-11"]
	oct_ = monthly["2026-10"]
	assert (oct_.replace, oct_.refund, oct_.repair_free, oct_.total) == (1, 1, 0, 2)
	assert monthly["2026-11"].repair_free == 3
	annual = r.three_guarantees_summary(RECORDS, r.ANNUAL)
	assert annual["2025"].repair_chargeable == 1 and annual["2026"].total == 5
	with pytest.raises(r.RepairError, match="periodicity"):
		r.period_key(TODAY, "Weekly")
	assert r.period_key(TODAY, r.QUARTERLY) == "2026-Q4"


# ---- closed requests, labour defaults, satisfied threshold (follow-ups) ---------------------


def test_closed_or_cancelled_request_is_read_only_except_system_manager_with_reason():
	for status in (r.CLOSED, r.CANCELLED):
		with pytest.raises(r.RepairError, match=f"Repair request is {status} and can no longer be edited"):
			r.check_closed_edit(status, ["fault_description"], ["Customer Service User"], "typo")
		with pytest.raises(r.RepairError, match=f"Give a reason for changing a {status} repair request"):
			r.check_closed_edit(status, ["fault_description"], ["System Manager"], None)
		r.check_closed_edit(status, ["fault_description"], ["System Manager"], "Wrong fault type")
		r.check_closed_edit(status, [], ["Service Technician"], None)
	for status in (r.OPEN, r.ASSIGNED, r.IN_PROGRESS, r.RESOLVED, r.AWAITING_CUSTOMER):
		r.check_closed_edit(status, ["fault_description"], ["Service Technician"], None)


@pytest.mark.parametrize(
	"form,company,expected",
	[
		# empty form: the company's item and rate
		((None, 0), ("Labour", 80), ("Labour", 80)),
		# the form's own rate wins
		((None, 95), ("Labour", 80), ("Labour", 95)),
		# another labour item keeps its own (empty) rate: the company rate is the company item's
		(("Night Labour", 0), ("Labour", 80), ("Night Labour", 0)),
		# the company item chosen by hand still gets the company rate
		(("Labour", None), ("Labour", 80), ("Labour", 80)),
		# no company defaults: nothing changes
		((None, 0), (None, 0), (None, 0)),
		(("Labour", 60), (None, None), ("Labour", 60)),
	],
)
def test_default_labour(form, company, expected):
	assert r.default_labour(*form, *company) == expected


def test_satisfied_threshold_from_stars():
	assert r.satisfied_threshold(4) == pytest.approx(0.8)
	assert r.satisfied_threshold(5) == pytest.approx(1.0)
	assert r.satisfied_threshold(3) == pytest.approx(0.6)
	assert r.satisfied_threshold(None) == pytest.approx(0.8)  # settings from before the field
	assert r.satisfied_threshold(0) == pytest.approx(0.8)
	for bad in (6, -1):
		with pytest.raises(r.RepairError, match="between 1 and 5"):
			r.satisfied_threshold(bad)


def test_statistics_use_the_given_threshold():
	# R1 (1.0, 0.8), R2 (0.6, 1.0), R4 (0.8): at 4 stars 2 of 3, at 3 stars all, at 5 stars 0
	assert r.summarise(RECORDS, CAL).satisfaction_rate == pytest.approx(2 / 3)
	assert r.summarise(RECORDS, CAL, r.satisfied_threshold(3)).satisfaction_rate == 1
	assert r.summarise(RECORDS, CAL, r.satisfied_threshold(5)).satisfaction_rate == 0
	stats = r.group_stats(
		RECORDS, lambda x: (r.period_key(x.reported_on), x.item_code), CAL, r.satisfied_threshold(3)
	)
	assert stats[("2026-11", "A")].satisfaction_rate == 1
	assert stats[("2026-11", "A")].verified == 2


def test_charge_lines_bill_chargeable_parts_and_labour_out_of_warranty():
	parts = [r.PartRow("P1", 2, 35, True), r.PartRow("P2", 1, 10, False)]
	assert r.charge_lines(parts, True, "LAB", 80, 2) == [
		{"item_code": "P1", "qty": 2, "rate": 35},
		{"item_code": "LAB", "qty": 2, "rate": 80},
	]
	# under warranty the labour is free; chargeable parts are still billed
	assert r.charge_lines(parts, False, "LAB", 80, 2) == [{"item_code": "P1", "qty": 2, "rate": 35}]
	assert r.charge_lines([], True, "LAB", 0, 2) == []
	assert r.charge_lines([], True, None, 80, 2) == []
	assert r.charge_lines([], True, "LAB", 80, 0) == []


def test_request_events():
	now = datetime(2026, 12, 3, 10, 0)
	empty = r.RequestEvents()
	assert r.record_request_events(None, r.OPEN, False, empty, now) == r.RequestEvents()
	assigned = r.record_request_events(r.OPEN, r.ASSIGNED, True, empty, now)
	assert (assigned.assigned_on, assigned.first_response_on) == (now, now)
	closed = r.record_request_events(r.RESOLVED, r.CLOSED, False, assigned, now)
	assert closed.closed_on == now
	assert r.record_request_events(r.CLOSED, r.IN_PROGRESS, False, closed, now).closed_on is None
	stages = r.request_stage_events(assigned, None, None)
	assert stages == {"First Reply": now, "Arrangement": None, "Resolution": None, "Closure": None}
	assert r.request_stage_events(assigned, now, None)["Arrangement"] == now


def test_who_sees_only_assigned_requests():
	assert r.sees_only_assigned(["Service Technician"])
	assert not r.sees_only_assigned(["Service Technician", "Quality Manager"])
	assert not r.sees_only_assigned(["Customer Service User"])


@given(st.lists(st.one_of(st.none(), st.just(""), st.just("  "), st.just("Worn bearing")), max_size=5))
def test_a_request_has_a_fault_found_once_a_submitted_form_names_one(findings):
	assert r.fault_found(findings) == ("Worn bearing" in findings)
	assert r.fault_found(iter(findings)) == r.fault_found(list(reversed(findings)))
