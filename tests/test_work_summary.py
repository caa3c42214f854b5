"""The service work summary's own rules (core.work_summary), without a site."""

from datetime import date

import pytest

from service_control.core import work_summary as rules
from service_control.core.indicators import pareto


def test_year_bounds_and_quarters():
	span = rules.summary_year("2025")
	assert (span.start, span.end) == (date(2025, 1, 1), date(2025, 12, 31))
	assert span.previous.year == 2024
	assert span.quarters() == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
	assert span.as_of(date(2025, 6, 30)) == date(2025, 6, 30)
	assert span.as_of(date(2026, 2, 1)) == date(2025, 12, 31)


@pytest.mark.parametrize("year", [None, "abc", 2025.5, 1999, 2101])
def test_bad_year_refused(year):
	with pytest.raises(rules.WorkSummaryError):
		rules.summary_year(year)


NARRATIVE = {
	"shortcomings": "Slow replies",
	"customer_needs": "Faster spares",
	"improvements": "Stock spares",
}


def test_submit_only_after_the_year_with_its_narrative():
	with pytest.raises(rules.WorkSummaryError, match="once the year has ended"):
		rules.check_can_submit(2025, date(2025, 12, 31), NARRATIVE)
	rules.check_can_submit(2025, date(2026, 1, 1), NARRATIVE)
	with pytest.raises(rules.WorkSummaryError, match="Improvements"):
		rules.check_can_submit(2025, date(2026, 1, 1), {**NARRATIVE, "improvements": "<div><br></div>"})


def test_one_summary_per_region_and_year():
	rules.check_unique(2025, "North", [])
	with pytest.raises(rules.WorkSummaryError, match="already exists"):
		rules.check_unique(2025, "North", ["SWS-X-2025-North"])


def test_review_rules():
	with pytest.raises(rules.WorkSummaryError):
		rules.check_reviewer(None, 0, None, True)  # a draft
	with pytest.raises(rules.WorkSummaryError):
		rules.check_reviewer(rules.APPROVED, 1, None, True)  # twice
	with pytest.raises(rules.WorkSummaryError):
		rules.check_reviewer(rules.PENDING_REVIEW, 1, " ", False)  # returned without a reason
	rules.check_reviewer(rules.PENDING_REVIEW, 1, None, True)
	rules.check_reviewer(rules.RETURNED, 1, "fixed", False)


def test_trend():
	assert rules.trend(80, 75) == rules.IMPROVED
	assert rules.trend(70, 75) == rules.DECLINED
	assert rules.trend(75, 75.001) == rules.UNCHANGED
	assert rules.trend(3, 5, higher_is_better=False) == rules.IMPROVED
	assert rules.trend(None, 75) is None
	assert rules.change(50, 100) == -50


def test_top_causes_are_the_vital_few_known_causes():
	rows = pareto([("A", 50), ("B", 30), ("C", 15), (None, 60), ("D", 5)])
	keys = [r.key for r in rules.top_causes(rows)]
	assert None not in keys
	assert keys == [r.key for r in rows if r.vital_few and r.key][: rules.TOP_CAUSES]


def test_consolidation_weights_satisfaction_by_responses():
	north = rules.RegionFigures(
		"North", 10, 8, 2, responses=3, satisfaction=50.0, previous_responses=1, previous_satisfaction=100.0
	)
	south = rules.RegionFigures("South", 5, 7, 0, responses=1, satisfaction=90.0)
	total = rules.consolidate([north, south])
	assert (total.complaints, total.previous_complaints, total.repeat_complaints) == (15, 15, 2)
	assert total.satisfaction == 60.0  # (3 x 50 + 1 x 90) / 4
	assert total.previous_satisfaction == 100.0
	assert total.satisfaction_trend == rules.DECLINED
	with pytest.raises(rules.WorkSummaryError):
		rules.consolidate([north, north])
	counts = rules.consolidate_counts([("Quality", 3), ("Delivery", 1), ("Quality", 2)])
	assert [(r.key, r.count) for r in counts] == [("Quality", 5), ("Delivery", 1)]


def test_company_summary_needs_approved_regions():
	with pytest.raises(rules.WorkSummaryError, match="no submitted"):
		rules.check_company_can_submit(2025, date(2026, 1, 5), [])
	with pytest.raises(rules.WorkSummaryError, match="South"):
		rules.check_company_can_submit(2025, date(2026, 1, 5), [("North", rules.APPROVED), ("South", None)])
	rules.check_company_can_submit(2025, date(2026, 1, 5), [("North", rules.APPROVED)])
