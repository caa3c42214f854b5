from datetime import datetime, timedelta

import pytest

from service_control.core import indicators as ind

T0 = datetime(2026, 1, 10, 9, 0)


def test_rate_rounds_and_handles_empty():
	assert ind.rate(1, 3) == 33.3
	assert ind.rate(2, 3) == 66.7
	assert ind.rate(0, 5) == 0.0
	assert ind.rate(0, 0) is None


def test_month_label():
	assert ind.month_label(2026, 3) == "2026-03"
	assert ind.month_label(None, 3) is None


def test_on_time_rate_counts_only_decided_clocks():
	rows = [
		("Urgent", "First Reply", "Met", 6),
		("Urgent", "First Reply", "Met Late", 2),
		("Urgent", "First Reply", "Breached", 2),
		("Urgent", "First Reply", "At Risk", 3),
		("Urgent", "First Reply", "On Track", 5),
		("Urgent", "First Reply", "Paused", 1),
	]
	(out,) = ind.sla_performance(rows)
	assert (out.met, out.met_late, out.breached, out.at_risk) == (6, 2, 2, 3)
	assert out.decided == 10
	assert out.open == 9
	assert out.total == 19
	assert out.on_time_rate == 60.0
	assert out.late_rate == 40.0
	assert out.as_dict()["on_track"] == 6  # paused clocks are still running


def test_open_clocks_only_have_no_rate():
	(out,) = ind.sla_performance([("Normal", "Closure", "On Track", 4)])
	assert out.on_time_rate is None
	assert out.decided == 0


def test_groups_and_stages_are_ordered():
	rows = [
		(None, "Closure", "Met", 1),
		("Normal", "Resolution", "Met", 1),
		("Normal", "First Reply", "Met", 1),
		("Urgent", "First Reply", "Breached", 1),
		("Normal", "Repair", "Met", 1),  # a stage of another document: ignored
	]
	out = ind.sla_performance(rows)
	assert [(o.group, o.stage) for o in out] == [
		("Normal", "First Reply"),
		("Normal", "Resolution"),
		("Urgent", "First Reply"),
		(None, "Closure"),
	]


def test_group_order_puts_months_in_sequence():
	rows = [("2026-02", "First Reply", "Met", 1), ("2025-12", "First Reply", "Met", 1)]
	out = ind.sla_performance(rows, group_order=["2025-12", "2026-01", "2026-02"])
	assert [o.group for o in out] == ["2025-12", "2026-02"]


def test_stage_filter():
	rows = [("A", "First Reply", "Met", 1), ("A", "Closure", "Met", 1)]
	assert [o.stage for o in ind.sla_performance(rows, stages=("Closure",))] == ["Closure"]


def test_totals_by_stage_sum_groups():
	rows = [
		("A", "First Reply", "Met", 3),
		("B", "First Reply", "Met Late", 1),
		("B", "First Reply", "Breached", 1),
		("A", "Resolution", "At Risk", 2),
	]
	totals = {t.stage: t for t in ind.totals_by_stage(ind.sla_performance(rows))}
	assert set(totals) == {"First Reply", "Resolution"}
	assert totals["First Reply"].on_time_rate == 60.0
	assert totals["Resolution"].at_risk == 2
	assert totals["Resolution"].on_time_rate is None


def test_pareto_shares_and_cumulative():
	out = ind.pareto([("Packaging", 10), ("Delivery", 30), ("Quality", 50), ("Billing", 10)])
	assert [r.key for r in out] == ["Quality", "Delivery", "Billing", "Packaging"]
	assert [r.count for r in out] == [50, 30, 10, 10]
	assert [r.share for r in out] == [50.0, 30.0, 10.0, 10.0]
	assert [r.cumulative_share for r in out] == [50.0, 80.0, 90.0, 100.0]
	# the row that crosses 80 % is still one of the vital few; the ones after it are not
	assert [r.vital_few for r in out] == [True, True, False, False]


def test_pareto_crossing_row_is_vital():
	out = ind.pareto([("a", 7), ("b", 2), ("c", 1)])
	assert [r.vital_few for r in out] == [True, True, False]
	assert out[-1].cumulative_share == 100.0


def test_pareto_merges_duplicates_drops_zero_and_puts_empty_last():
	out = ind.pareto([("x", 2), (None, 2), ("x", 1), ("y", 0), ("a", 2)])
	assert [(r.key, r.count) for r in out] == [("x", 3), ("a", 2), (None, 2)]
	assert ind.pareto([]) == []


def test_pareto_rounding_ends_at_100():
	out = ind.pareto([("a", 1), ("b", 1), ("c", 1)])
	assert [r.share for r in out] == [33.3, 33.3, 33.3]
	assert out[-1].cumulative_share == 100.0


def test_repeat_episodes_chain_within_window():
	key = ("CUST-1", "ITEM-1")
	events = [
		(key, "CC-3", T0 + timedelta(days=80)),
		(key, "CC-1", T0),
		(key, "CC-2", T0 + timedelta(days=30)),
		(key, "CC-4", T0 + timedelta(days=300)),  # far from the others: not a repeat
		(("CUST-2", "ITEM-1"), "CC-5", T0),
	]
	(episode,) = ind.repeat_episodes(events, 90)
	assert episode.key == key
	assert episode.complaints == ["CC-1", "CC-2", "CC-3"]
	assert episode.count == 3
	assert episode.first_on == T0
	assert episode.span_days == 80.0


def test_repeat_window_boundary_is_inclusive():
	key = ("SN-1",)
	events = [(key, "A", T0), (key, "B", T0 + timedelta(days=90))]
	assert ind.repeat_episodes(events, 90)[0].complaints == ["A", "B"]
	assert ind.repeat_episodes(events, 89) == []


def test_repeat_episodes_split_and_sort_longest_first():
	a, b = ("C1", "I1"), ("C2", "I2")
	events = [
		(a, "A1", T0),
		(a, "A2", T0 + timedelta(days=5)),
		(a, "A3", T0 + timedelta(days=200)),
		(a, "A4", T0 + timedelta(days=201)),
		(b, "B1", T0 + timedelta(days=1)),
		(b, "B2", T0 + timedelta(days=2)),
		(b, "B3", T0 + timedelta(days=3)),
	]
	out = ind.repeat_episodes(events, 10)
	assert [e.complaints for e in out] == [["B1", "B2", "B3"], ["A1", "A2"], ["A3", "A4"]]


def test_repeat_window_must_be_positive():
	with pytest.raises(ValueError):
		ind.repeat_episodes([], 0)
