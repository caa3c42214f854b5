"""Service indicators by months in service: the core against brute-force counts."""

import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service_control.core import service_indicators as si
from service_control.core.dates import add_months
from service_control.core.errors import SettingsError

DAYS = st.dates(min_value=date(2023, 1, 1), max_value=date(2028, 12, 31))


def brute_mis(delivered: date, on: date) -> int:
	"""The definition: the smallest k >= 1 with on < add_months(delivered, k); 0 before delivery."""
	if on < delivered:
		return 0
	k = 1
	while on >= add_months(delivered, k):
		k += 1
	return k


@given(DAYS, DAYS)
def test_months_in_service_matches_the_definition(delivered, on):
	mis = si.months_in_service(delivered, on)
	if on < delivered:
		assert mis <= 0
	else:
		assert mis == brute_mis(delivered, on)


@given(DAYS, DAYS, st.integers(1, 36))
def test_in_window_is_within_w_months_of_delivery(delivered, on, months):
	assert si.in_window(delivered, on, months) == (delivered <= on < add_months(delivered, months))


@given(DAYS, st.integers(1, 36))
def test_maturity_cutoff_is_the_last_mature_delivery(as_of, months):
	cutoff = si.maturity_cutoff(as_of, months)
	assert si.is_mature(cutoff, as_of, months)
	# everything after it up to two months on is immature, everything two months before is mature
	for offset in range(1, 62):
		assert not si.is_mature(cutoff + timedelta(days=offset), as_of, months)
		assert si.is_mature(cutoff - timedelta(days=offset), as_of, months)


def test_month_ends_clamp():
	# 31 Jan + 1 month = 28 Feb: an event on 28 Feb is in the second month in service
	assert si.months_in_service(date(2027, 1, 31), date(2027, 2, 27)) == 1
	assert si.months_in_service(date(2027, 1, 31), date(2027, 2, 28)) == 2
	assert si.months_in_service(date(2027, 1, 15), date(2027, 1, 15)) == 1
	assert si.months_in_service(date(2027, 1, 15), date(2027, 2, 14)) == 1
	assert si.months_in_service(date(2027, 1, 15), date(2027, 2, 15)) == 2
	# on 30 Apr a delivery of 31 Mar has finished its first month
	assert si.maturity_cutoff(date(2027, 4, 30), 1) == date(2027, 3, 31)
	assert si.maturity_cutoff(date(2027, 4, 29), 1) == date(2027, 3, 29)
	assert si.maturity_cutoff(date(2027, 3, 30), 1) == date(2027, 2, 28)


def test_windows_refuse_zero_negative_and_inverted():
	assert si.validate_windows(3, 12) == si.IndicatorWindows(3, 12)
	for short, long in ((0, 12), (-1, 12), (3, 0), (3, -12), (None, 12), (13, 12), (3, 121)):
		with pytest.raises(SettingsError):
			si.validate_windows(short, long)
	assert si.IndicatorWindows(3, 12).months(si.LONG_TERM) == 12
	with pytest.raises(si.IndicatorError):
		si.IndicatorWindows().months("Medium")


def test_rates_and_empty_groups():
	w = si.WindowFigures(units=2000, defects=30, repairs=3, cost=1500)
	assert (w.tgw, w.r_per_1000, w.cpu) == (1.5, 1.5, 0.75)
	assert w.value(si.R1000) == 1.5
	assert si.WindowFigures(units=0, defects=2).tgw is None  # every unit returned: not rated
	with pytest.raises(si.IndicatorError):
		w.value("MTBF")


# ------------------------------------------------------------------------------------------
# Property: grouped rows as the report's SQL builds them == a brute-force count per unit


GROUPS = ("A", "B", "C")


def generate(rng: random.Random):
	start = date(2025, 1, 1)
	deliveries = []  # (name, group, delivered, qty)
	for i in range(rng.randint(1, 25)):
		deliveries.append(
			(f"DN{i}", rng.choice(GROUPS), start + timedelta(days=rng.randint(0, 700)), rng.randint(1, 50))
		)
	returns = []  # (delivery, qty): a return nets the units of the delivery it returns
	events = []  # (delivery, kind, on, amount)
	for name, _group, delivered, qty in deliveries:
		if rng.random() < 0.3:
			returns.append((name, -rng.randint(1, qty)))
		for _j in range(rng.randint(0, 6)):
			on = delivered + timedelta(days=rng.randint(-20, 500))
			kind = rng.choice(("defect", "repair", "cost"))
			events.append((name, kind, on, rng.randint(-50, 400) if kind == "cost" else 1))
	as_of = start + timedelta(days=rng.randint(0, 1000))
	return deliveries, returns, events, as_of


def brute_force(deliveries, returns, events, as_of, months):
	"""Per unit, by the definitions: mature when add_months(d, W) <= as_of; an event counts when
	d <= e < add_months(d, W)."""
	by_name = {name: (group, delivered) for name, group, delivered, _q in deliveries}
	out = {}

	def fig(group):
		return out.setdefault(group, si.WindowFigures())

	for _name, group, delivered, qty in deliveries:
		if add_months(delivered, months) <= as_of:
			fig(group).units += qty
	for name, qty in returns:
		group, delivered = by_name[name]
		if add_months(delivered, months) <= as_of:
			fig(group).units += qty
	for name, kind, on, amount in events:
		group, delivered = by_name[name]
		if add_months(delivered, months) <= as_of and delivered <= on < add_months(delivered, months):
			f = fig(group)
			if kind == "defect":
				f.defects += 1
			elif kind == "repair":
				f.repairs += 1
			else:
				f.cost += amount
	return out


def grouped_rows(deliveries, returns, events, as_of, windows):
	"""What the report's GROUP BY returns: per group, one CASE sum per window, with the cutoff
	from the core and the MIS formula the SQL uses."""
	by_name = {name: (group, delivered) for name, group, delivered, _q in deliveries}
	cutoffs = [si.maturity_cutoff(as_of, w) for w in windows]
	units, defects, repairs, cost = {}, {}, {}, {}

	def add(table, group, values):
		row = table.setdefault(group, [0] * len(windows))
		for i, v in enumerate(values):
			row[i] += v

	for name, qty in [(n, q) for n, _g, _d, q in deliveries] + returns:
		group, delivered = by_name[name]
		add(units, group, [qty if delivered <= c else 0 for c in cutoffs])
	for name, kind, on, amount in events:
		group, delivered = by_name[name]
		mis = si.months_in_service(delivered, on)
		values = [
			amount if delivered <= c and 1 <= mis <= w else 0 for c, w in zip(cutoffs, windows, strict=True)
		]
		add({"defect": defects, "repair": repairs, "cost": cost}[kind], group, values)

	def rows(table):
		return [(g, *v) for g, v in table.items()]

	return [
		("units", rows(units)),
		("defects", rows(defects)),
		("repairs", rows(repairs)),
		("cost", rows(cost)),
	]


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 6), st.integers(1, 12))
def test_grouped_rows_equal_a_brute_force_count(seed, short, extra):
	long = short + extra
	deliveries, returns, events, as_of = generate(random.Random(seed))
	windows = [short, long]
	merged = si.merge(grouped_rows(deliveries, returns, events, as_of, windows), windows, keys=1)
	for months in windows:
		expected = brute_force(deliveries, returns, events, as_of, months)
		for group in GROUPS:
			got = merged.get((group,))
			got = got.windows.get(months) if got else None
			want = expected.get(group, si.WindowFigures())
			got = got or si.WindowFigures()
			assert (got.units, got.defects, got.repairs, round(got.cost, 6)) == (
				want.units,
				want.defects,
				want.repairs,
				round(want.cost, 6),
			)
			assert (got.tgw, got.r_per_1000, got.cpu) == (want.tgw, want.r_per_1000, want.cpu)


def test_merge_sorts_and_totals():
	windows = [3, 12]
	merged = si.merge(
		[
			("units", [("B", 100, 50), (None, 10, 0), ("A", 1000, 400)]),
			("defects", [("A", 15, 20)]),
			("repairs", [("A", 2, 3), ("B", 1, 1)]),
			("cost", [("A", 300.0, 800.0)]),
		],
		windows,
		keys=1,
	)
	groups = si.sort_groups(merged)
	assert [g.group for g in groups] == [("A",), ("B",), (None,)]
	a = groups[0]
	assert (a.windows[3].tgw, a.windows[3].r_per_1000, a.windows[3].cpu) == (1.5, 2.0, 0.3)
	assert (a.windows[12].tgw, a.windows[12].r_per_1000, a.windows[12].cpu) == (5.0, 7.5, 2.0)
	t = si.total(groups, windows)
	assert (t.windows[3].units, t.windows[3].repairs) == (1110, 3)
	with pytest.raises(si.IndicatorError):
		si.merge([("units", [("A", 1)])], windows, keys=1)


def test_binding_rules():
	assert si.check_binding(None, None, None, None) is None
	assert si.check_binding(si.R1000, si.SHORT_TERM, "Repairs per 1000 Units", " 2.5 ", "C") == 2.5
	with pytest.raises(si.IndicatorError):
		si.check_binding(si.R1000, si.SHORT_TERM, "Nos", "2", "C")  # unit of measure must match
	with pytest.raises(si.IndicatorError):
		si.check_binding(si.TGW, None, "Defects per 100 Units", "2", "C")
	with pytest.raises(si.IndicatorError):
		si.check_binding(si.CPU, si.LONG_TERM, "Cost per Unit", "low", "C")
	with pytest.raises(si.IndicatorError):
		si.check_binding("MTBF", si.LONG_TERM, "Cost per Unit", "1", "C")
	with pytest.raises(si.IndicatorError):
		si.check_binding(si.CPU, si.LONG_TERM, "Cost per Unit", "1", None)


def test_review_status_and_period():
	assert si.review_status(1.5, 2) == si.PASSED
	assert si.review_status(2.0, 2) == si.PASSED
	assert si.review_status(2.01, 2) == si.FAILED
	assert si.review_status(None, 2) == si.OPEN
	assert si.review_period(date(2027, 5, 1), "Quarterly") == "2027-Q2"
	assert si.review_period(date(2027, 5, 1), "Daily") == "2027-05"


def test_cohort_windows():
	assert si.cohort_windows(3) == [1, 2, 3]
	with pytest.raises(si.IndicatorError):
		si.cohort_windows(0)


def test_worked_example_of_docs_indicators_md():
	"""The example computed by hand in docs/indicators.md."""
	deliveries = [
		("DN-A", "Pumps", date(2026, 1, 31), 100),
		("DN-B", "Pumps", date(2027, 1, 31), 50),
		("DN-C", "Pumps", date(2027, 2, 10), 30),
	]
	returns = [("DN-B", -10)]
	events = [
		("DN-A", "defect", date(2026, 4, 30), 1),  # complaint, MIS 4
		("DN-A", "repair", date(2026, 4, 29), 1),  # repair, MIS 3 ...
		("DN-A", "defect", date(2026, 4, 29), 1),  # ... whose feedback found a fault
		("DN-B", "defect", date(2027, 2, 28), 1),  # complaint, MIS 2
		("DN-B", "cost", date(2027, 3, 5), 200),  # its compensation, MIS 2
		("DN-C", "repair", date(2027, 3, 1), 1),  # DN-C is not mature for 3 months
		("DN-A", "cost", date(2027, 3, 10), 500),  # MIS 14: outside both windows
	]
	as_of = date(2027, 4, 30)
	assert si.maturity_cutoff(as_of, 3) == date(2027, 1, 31)
	assert si.maturity_cutoff(as_of, 12) == date(2026, 4, 30)
	assert [si.months_in_service(date(2026, 1, 31), d) for d in (date(2026, 4, 29), date(2026, 4, 30))] == [
		3,
		4,
	]
	merged = si.merge(grouped_rows(deliveries, returns, events, as_of, [3, 12]), [3, 12], keys=1)
	short, long = merged[("Pumps",)].windows[3], merged[("Pumps",)].windows[12]
	assert (short.units, short.defects, short.repairs, short.cost) == (140, 2, 1, 200)
	assert (short.tgw, short.r_per_1000, short.cpu) == (1.43, 7.14, 1.43)
	assert (long.units, long.defects, long.repairs, long.cost) == (100, 2, 1, 0)
	assert (long.tgw, long.r_per_1000, long.cpu) == (2.0, 10.0, 0.0)


_name = st.one_of(st.none(), st.just(""), st.sampled_from(("North", "South", "Retail", "Trade")))


@given(_name, _name, _name, _name)
def test_an_event_counts_under_its_notes_region_else_its_customers(note_t, note_g, cust_t, cust_g):
	territory, group = si.event_region(note_t, note_g, cust_t, cust_g)
	assert territory == (note_t if note_t else cust_t)
	assert group == (note_g if note_g else cust_g)
	# each field falls back on its own
	assert si.event_region(note_t, None, cust_t, cust_g)[1] == cust_g
