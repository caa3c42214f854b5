from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service_control.core import survey as s
from service_control.core.errors import DomainError
from service_control.core.survey import Criterion, ScoredResponse, SurveyError, SurveyTokenError

CRITERIA = [
	Criterion("Product quality", 40),
	Criterion("Delivery", 30),
	Criterion("Service", 20),
	Criterion("Price", 10),
]
SECRET = "site-secret"


# ---- templates ----------------------------------------------------------------------------


def test_valid_template_passes():
	s.validate_template(CRITERIA, "1-5")
	s.validate_template([Criterion("Overall", 100)], "0-10")


@pytest.mark.parametrize(
	"criteria,scale,message",
	[
		([Criterion("A", 50), Criterion("B", 40)], "1-5", "add up to 90, not 100"),
		([Criterion("A", 60), Criterion("B", 50)], "1-5", "add up to 110"),
		([], "1-5", "at least one criterion"),
		([Criterion("A", 100), Criterion("B", 0)], "1-5", "greater than zero"),
		([Criterion("A", 50), Criterion("a ", 50)], "1-5", "appears twice"),
		([Criterion("", 100)], "1-5", "needs a label"),
		([Criterion("A", 100)], "1-7", "Unknown survey scale"),
	],
)
def test_bad_templates_refused(criteria, scale, message):
	with pytest.raises(SurveyError, match=message):
		s.validate_template(criteria, scale)


def test_error_is_a_domain_error_with_positional_args():
	with pytest.raises(DomainError) as e:
		s.validate_template([Criterion("A", 30)], "1-5")
	assert e.value.message == "The criteria weights add up to {0}, not 100."
	assert e.value.args_ == ("30",)


# ---- scores -------------------------------------------------------------------------------


def test_normalise_both_scales():
	assert s.normalise(1, "1-5") == 0
	assert s.normalise(5, "1-5") == 100
	assert s.normalise(4, "1-5") == 75
	assert s.normalise(0, "0-10") == 0
	assert s.normalise(7, "0-10") == 70


def test_weighted_score():
	scores = {"Product quality": 5, "Delivery": 4, "Service": 3, "Price": 1}
	# 100*40 + 75*30 + 50*20 + 0*10 = 4000 + 2250 + 1000 = 7250 / 100
	assert s.weighted_score(CRITERIA, scores, "1-5") == 72.5


def test_weighted_score_needs_every_criterion_in_scale():
	with pytest.raises(SurveyError, match="Give a score for Price"):
		s.weighted_score(CRITERIA, {"Product quality": 5, "Delivery": 4, "Service": 3}, "1-5")
	with pytest.raises(SurveyError, match="outside the scale 1 to 5"):
		s.weighted_score(CRITERIA, {"Product quality": 6, "Delivery": 4, "Service": 3, "Price": 1}, "1-5")
	with pytest.raises(SurveyError, match="outside the scale 1 to 5"):
		s.weighted_score(CRITERIA, {"Product quality": 0, "Delivery": 4, "Service": 3, "Price": 1}, "1-5")
	with pytest.raises(SurveyError, match="outside the scale"):
		s.weighted_score(CRITERIA, {"Product quality": 2.5, "Delivery": 4, "Service": 3, "Price": 1}, "1-5")
	with pytest.raises(SurveyError, match="not in the survey template"):
		s.weighted_score(CRITERIA, {"Colour": 3}, "1-5")


@given(st.lists(st.integers(0, 10), min_size=4, max_size=4))
def test_weighted_score_stays_within_0_and_100(values):
	scores = dict(zip([c.label for c in CRITERIA], values, strict=True))
	result = s.weighted_score(CRITERIA, scores, "0-10")
	assert 0 <= result <= 100
	if len(set(values)) == 1:
		assert result == values[0] * 10


@given(st.integers(1, 5))
def test_same_score_everywhere_is_that_score(score):
	scores = {c.label: score for c in CRITERIA}
	assert s.weighted_score(CRITERIA, scores, "1-5") == s.normalise(score, "1-5")


# ---- NPS, index, response rate ---------------------------------------------------------------


def test_nps_buckets():
	result = s.nps([10, 9, 8, 7, 6, 0, None])
	assert (result.promoters, result.passives, result.detractors) == (2, 2, 2)
	assert result.nps == 0
	assert s.nps([10, 10, 3]).nps == 33.3
	assert s.nps([]).nps is None
	with pytest.raises(SurveyError, match="outside the scale 0 to 10"):
		s.nps([11])


@given(st.lists(st.integers(0, 10), min_size=1))
def test_nps_bounds(scores):
	result = s.nps(scores)
	assert -100 <= result.nps <= 100
	assert result.count == len(scores)


def responses():
	return [
		ScoredResponse("2026-H1", "Commercial", 80, {"Delivery": 75, "Price": 100}, 10),
		ScoredResponse("2026-H1", "Retail", 60, {"Delivery": 50, "Price": 50}, 6),
		ScoredResponse("2026-H2", "Commercial", 90, {"Delivery": 100}, 9),
		ScoredResponse("2026-H2", "Commercial", 100, {}, None, source="Case"),
	]


def test_index_by_period_group_and_criterion():
	by_period = s.satisfaction_index(responses(), "period")
	assert list(by_period) == ["2026-H1", "2026-H2"]
	assert by_period["2026-H1"].index == 70
	assert by_period["2026-H2"].index == 95
	assert by_period["2026-H1"].nps.nps == 0
	assert by_period["2026-H2"].nps.nps == 100
	by_group = s.satisfaction_index(responses(), "customer_group")
	assert by_group["Commercial"].index == 90
	assert by_group["Commercial"].count == 3
	by_criterion = s.satisfaction_index(responses(), "criterion")
	assert by_criterion["Delivery"].index == 75
	assert by_criterion["Price"].index == 75
	assert by_criterion["Delivery"].count == 3
	assert s.below_target(by_criterion, 80) == ["Delivery", "Price"]
	assert s.below_target(by_criterion, 70) == []
	assert s.below_target(by_criterion, None) == []
	with pytest.raises(SurveyError):
		s.satisfaction_index(responses(), "customer")


def test_overall_index():
	cell = s.overall_index(responses())
	assert cell.index == 82.5
	assert cell.count == 4
	assert cell.nps.count == 3


def test_response_rate():
	assert s.response_rate(8, 6) == 75
	assert s.response_rate(0, 0) is None
	assert s.response_rate(3, 1) == 33.3
	with pytest.raises(SurveyError):
		s.response_rate(-1, 0)


def test_case_satisfaction_mapping():
	assert s.case_score("Satisfied") == 100
	assert s.case_score("Partly Satisfied") == 50
	assert s.case_score("Not Satisfied") == 0
	assert s.case_score("Unreachable") is None
	assert s.case_score(None) is None


def test_repair_rating_mapping():
	assert s.rating_score(0.8, 1.0) == 90
	assert s.rating_score(0.6, None) == 60
	assert s.rating_score(0, None) is None
	with pytest.raises(SurveyError, match="between 0 and 1"):
		s.rating_score(4)


# ---- periods --------------------------------------------------------------------------------


def test_half_yearly_is_default():
	periods = s.plan_periods(2026)
	assert [p.key for p in periods] == ["2026-H1", "2026-H2"]
	assert periods[0].start == date(2026, 1, 1) and periods[0].end == date(2026, 6, 30)
	assert periods[1].start == date(2026, 7, 1) and periods[1].end == date(2026, 12, 31)


def test_quarterly_and_annual():
	quarters = s.plan_periods(2024, "Quarterly")
	assert [p.key for p in quarters] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
	assert quarters[0].end == date(2024, 3, 31)
	assert quarters[1].end == date(2024, 6, 30)
	annual = s.plan_periods(2026, "Annual")
	assert [(p.key, p.start, p.end) for p in annual] == [("2026-Y", date(2026, 1, 1), date(2026, 12, 31))]
	with pytest.raises(SurveyError, match="Unknown survey frequency"):
		s.plan_periods(2026, "Monthly")
	with pytest.raises(SurveyError, match="plan year"):
		s.plan_periods(0)


def test_due_periods():
	assert [p.key for p in s.due_periods(2026, "Half-yearly", date(2026, 3, 1))] == ["2026-H1"]
	assert [p.key for p in s.due_periods(2026, "Half-yearly", date(2026, 7, 1))] == ["2026-H2"]
	assert [p.key for p in s.due_periods(2026, "Quarterly", date(2026, 11, 27))] == ["2026-Q4"]
	assert s.due_periods(2026, "Half-yearly", date(2025, 12, 31)) == []
	assert s.due_periods(2026, "Annual", date(2027, 1, 1)) == []


@given(
	st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.sampled_from(list(s.FREQUENCIES))
)
def test_every_day_has_exactly_one_period(day, frequency):
	due = s.due_periods(day.year, frequency, day)
	assert len(due) == 1
	assert due[0] == s.period_of(day, frequency) == s.parse_period(due[0].key)
	assert due[0].start <= day <= due[0].end


@pytest.mark.parametrize("key", ["2026", "2026-H3", "2026-Q0", "2026-X1", "abc", "", "2026-Y2", "2026-H"])
def test_bad_period_keys(key):
	with pytest.raises(SurveyError, match="not a survey period"):
		s.parse_period(key)


# ---- tokens ---------------------------------------------------------------------------------


def test_token_round_trip():
	token = s.sign_token("SSR-2026-00001", date(2026, 12, 31), SECRET)
	assert s.verify_token(token, SECRET, date(2026, 12, 31)) == ("SSR-2026-00001", date(2026, 12, 31))
	s.check_token_matches(token, s.token_hash(token))


def test_expired_token_refused():
	token = s.sign_token("SSR-2026-00001", date(2026, 12, 31), SECRET)
	with pytest.raises(SurveyTokenError, match="expired on 2026-12-31"):
		s.verify_token(token, SECRET, date(2027, 1, 1))


def test_altered_token_refused():
	token = s.sign_token("SSR-2026-00001", date(2026, 12, 31), SECRET)
	payload, signature = token.split(".")
	# another request, or a later expiry, with the old signature
	for name, expiry in (("SSR-2026-00002", "2026-12-31"), ("SSR-2026-00001", "2099-12-31")):
		forged = s._b64(f"{name}|{expiry}".encode()) + "." + signature
		with pytest.raises(SurveyTokenError, match="not valid"):
			s.verify_token(forged, SECRET, date(2026, 6, 1))
	flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
	for bad in (payload + "." + flipped, token + "x", "garbage", "", "a.b.c", payload):
		with pytest.raises(SurveyTokenError, match="not valid"):
			s.verify_token(bad, SECRET, date(2026, 6, 1))
	with pytest.raises(SurveyTokenError, match="not valid"):
		s.verify_token(token, "another-site", date(2026, 6, 1))


def test_superseded_token_refused():
	old = s.sign_token("SSR-1", date(2026, 12, 31), SECRET)
	new = s.sign_token("SSR-1", date(2027, 1, 31), SECRET)
	with pytest.raises(SurveyTokenError, match="not valid"):
		s.check_token_matches(old, s.token_hash(new))
	with pytest.raises(SurveyTokenError):
		s.check_token_matches(old, None)


@given(st.text(min_size=1, max_size=40).filter(lambda t: "|" not in t), st.dates())
def test_any_name_round_trips(name, expiry):
	token = s.sign_token(name, expiry, SECRET)
	assert s.verify_token(token, SECRET, expiry) == (name, expiry)


def test_link_key_is_derived_for_links_alone():
	key = s.link_key(SECRET)
	assert key == s.link_key(SECRET) and key not in (SECRET, s.link_key("another-site"))
	token = s.sign_token("SSR-1", date(2026, 12, 31), key)
	assert s.verify_token(token, key, date(2026, 6, 1)) == ("SSR-1", date(2026, 12, 31))
	# the site secret itself no longer verifies a link signed with the derived key, nor the reverse
	with pytest.raises(SurveyTokenError, match="not valid"):
		s.verify_token(token, SECRET, date(2026, 6, 1))
	with pytest.raises(SurveyTokenError, match="not valid"):
		s.verify_token(s.sign_token("SSR-1", date(2026, 12, 31), SECRET), key, date(2026, 6, 1))
	with pytest.raises(SurveyError, match="secret"):
		s.link_key("")


def test_link_signed_before_a_key_change_opens_until_it_expires():
	legacy = s.sign_token("SSR-1", date(2026, 12, 31), SECRET)
	key = s.link_key(SECRET)
	assert s.verify_token(legacy, key, date(2026, 12, 31), earlier_secrets=[SECRET])[0] == "SSR-1"
	with pytest.raises(SurveyTokenError, match="expired on 2026-12-31"):
		s.verify_token(legacy, key, date(2027, 1, 1), earlier_secrets=[SECRET])
	with pytest.raises(SurveyTokenError, match="not valid"):
		s.verify_token(legacy, key, date(2026, 6, 1), earlier_secrets=["another-site", ""])


def test_sign_needs_secret():
	with pytest.raises(SurveyError, match="secret"):
		s.sign_token("SSR-1", date(2026, 1, 1), "")


# ---- requests -----------------------------------------------------------------------------


def test_answering_rules():
	today = date(2026, 6, 1)
	s.check_can_answer(s.SENT, date(2026, 6, 30), today, online=True)
	with pytest.raises(SurveyTokenError, match="already been answered"):
		s.check_can_answer(s.ANSWERED, date(2026, 6, 30), today, online=True)
	with pytest.raises(SurveyTokenError, match="already been answered"):
		s.check_can_answer(s.ANSWERED, None, today, online=False)
	with pytest.raises(SurveyTokenError, match="expired"):
		s.check_can_answer(s.SENT, date(2026, 5, 31), today, online=True)
	with pytest.raises(SurveyTokenError, match="expired"):
		s.check_can_answer(s.EXPIRED, None, today, online=True)
	# staff recording a phone answer after the link expired
	s.check_can_answer(s.EXPIRED, date(2026, 5, 31), today, online=False)


def test_status_and_key():
	today = date(2026, 6, 1)
	assert s.next_status(True, True, date(2026, 5, 1), today) == s.ANSWERED
	assert s.next_status(False, True, date(2026, 5, 1), today) == s.EXPIRED
	assert s.next_status(False, True, date(2026, 7, 1), today) == s.SENT
	assert s.next_status(False, False, None, today) == s.PENDING
	assert s.survey_key("C1", "PLAN-1", "2026-H1") == "PLAN-1|2026-H1|C1"
	assert s.survey_key("C1", None, None, ("Customer Complaint", "CC-1")) == "Customer Complaint|CC-1|C1"
	with pytest.raises(SurveyError, match="period"):
		s.survey_key("C1", "PLAN-1", None)
	with pytest.raises(SurveyError, match="belongs to a survey plan"):
		s.survey_key("C1", None, None)
	with pytest.raises(SurveyError, match="disabled"):
		s.check_customer_enabled("C1", True)
	s.check_customer_enabled("C1", False)


def test_staff_answers_cannot_claim_source_online():
	s.check_answer_source(s.SOURCE_ONLINE, online=True)
	for source in ("Phone", "Visit", "Paper", s.SOURCE_CASE):
		s.check_answer_source(source, online=False)
	with pytest.raises(SurveyError, match="Phone, Visit or Paper"):
		s.check_answer_source(s.SOURCE_ONLINE, online=False)


# ---- key customer visits ----------------------------------------------------------------------


def test_visit_due():
	assert s.visit_due(None, date(2026, 1, 1), 12)
	assert not s.visit_due(date(2025, 6, 1), date(2026, 5, 31), 12)
	assert s.visit_due(date(2025, 6, 1), date(2026, 6, 1), 12)
	assert not s.visit_due(None, date(2026, 1, 1), 0)
	assert s.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
	assert s.add_months(date(2025, 12, 15), 14) == date(2027, 2, 15)


def test_planned_visit_date():
	today = date(2026, 3, 10)
	# due again in the plan year: on the anniversary
	assert s.planned_visit_date(date(2025, 9, 15), 2026, today, 12) == date(2026, 9, 15)
	# overdue or never visited: as early as possible, never in the past
	assert s.planned_visit_date(date(2024, 5, 1), 2026, today, 12) == today
	assert s.planned_visit_date(None, 2026, today, 12) == today
	assert s.planned_visit_date(None, 2027, today, 12) == date(2027, 1, 1)
	# due only after the plan year: still within it
	assert s.planned_visit_date(date(2026, 3, 1), 2026, today, 12) == date(2026, 12, 31)
	# reminders off (0 months): as early as possible
	assert s.planned_visit_date(date(2025, 9, 15), 2026, today, 0) == today
	with pytest.raises(SurveyError, match="this year or a later one"):
		s.planned_visit_date(None, 2025, today, 12)


@given(
	st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2030, 12, 31))),
	st.integers(2026, 2030),
	st.integers(0, 36),
)
def test_planned_visit_date_lies_in_the_plan_year_and_not_in_the_past(last, year, months):
	today = date(2026, 6, 30)
	day = s.planned_visit_date(last, year, today, months)
	assert day.year == year
	assert day >= today
