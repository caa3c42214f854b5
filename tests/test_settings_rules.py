from datetime import time, timedelta

import pytest

from service_control.core import settings as s
from service_control.core.errors import SettingsError, UnsupportedVersionError
from service_control.core.versions import check_supported, major_of


def wh(day, a, b):
	return {"weekday": day, "from_time": a, "to_time": b}


def test_default_week_is_valid():
	rows = [wh(d, a, b) for d, a, b in s.DEFAULT_WORKING_HOURS]
	assert len(s.validate_working_hours(rows)) == 10


def test_frappe_time_values_are_accepted():
	rows = [
		wh("Monday", timedelta(hours=8, minutes=30), "12:00:00"),
		wh("Monday", "13:00", timedelta(hours=24)),
	]
	out = s.validate_working_hours(rows)
	assert out[0][1] == time(8, 30)
	assert out[1][2] == time(23, 59, 59, 999999)


@pytest.mark.parametrize(
	"rows,message",
	[
		([], "at least one"),
		([wh("Funday", "08:00", "09:00")], "not a weekday"),
		([wh("Monday", "10:00", "09:00")], "must end after"),
		([wh("Monday", "10:00", "10:00")], "must end after"),
		([wh("Monday", "08:00", None)], "set both"),
		([wh("Monday", "08:00", "12:00"), wh("Monday", "11:00", "13:00")], "overlap"),
	],
)
def test_bad_working_hours(rows, message):
	with pytest.raises(SettingsError, match=message):
		s.validate_working_hours(rows)


def test_sla_targets():
	ok = [
		{"document_type": "Customer Complaint", "urgency": u, "stage": st, "hours": h}
		for u, st, h in s.DEFAULT_COMPLAINT_TARGETS
	]
	s.validate_sla_targets(ok)
	with pytest.raises(SettingsError, match="greater than zero"):
		s.validate_sla_targets([{**ok[0], "hours": 0}])
	with pytest.raises(SettingsError, match="greater than zero"):
		s.validate_sla_targets([{**ok[0], "hours": -4}])
	with pytest.raises(SettingsError, match="set twice"):
		s.validate_sla_targets([ok[0], ok[0]])


def test_escalation_levels():
	good = [
		{"level": 1, "trigger": "At Risk", "delay_hours": 0, "notify_owner": 1},
		{"level": 2, "trigger": "Breached", "delay_hours": 0, "role": "Quality Manager"},
		{"level": 3, "trigger": "Breached", "delay_hours": 24, "role": "General Manager"},
	]
	s.validate_escalation_levels(good)
	with pytest.raises(SettingsError, match="fire before"):
		s.validate_escalation_levels([good[0], {**good[1], "delay_hours": 30}, good[2]])
	with pytest.raises(SettingsError, match="fire before"):
		s.validate_escalation_levels([{**good[0], "trigger": "Breached"}, {**good[1], "trigger": "At Risk"}])
	with pytest.raises(SettingsError, match="set twice"):
		s.validate_escalation_levels([good[0], {**good[1], "level": 1}])
	with pytest.raises(SettingsError, match="negative"):
		s.validate_escalation_levels([{**good[0], "delay_hours": -1}])
	with pytest.raises(SettingsError, match="role or Notify Owner"):
		s.validate_escalation_levels([{"level": 1, "trigger": "Breached"}])


ACCOUNTS = {
	"Comp - A": s.LinkInfo("Comp - A", "A"),
	"Comp - B": s.LinkInfo("Comp - B", "B"),
	"Group - A": s.LinkInfo("Group - A", "A", is_group=True),
}
WAREHOUSES = {
	"Pending - A": s.LinkInfo("Pending - A", "A"),
	"Stores - A": s.LinkInfo("Stores - A", "A"),
	"Old - A": s.LinkInfo("Old - A", "A", disabled=True),
	"All - A": s.LinkInfo("All - A", "A", is_group=True),
}


def company(**kw):
	return {"company": "A", "quality_manager_limit": 5000, "supplier_claim_limit": 2000, **kw}


def test_company_row_valid():
	s.validate_company_row(
		1,
		company(
			compensation_expense_account="Comp - A",
			pending_warehouse="Pending - A",
			sellable_warehouse="Stores - A",
		),
		ACCOUNTS,
		WAREHOUSES,
	)


@pytest.mark.parametrize(
	"kw,message",
	[
		({"quality_manager_limit": 0}, "greater than zero"),
		({"quality_manager_limit": -5}, "greater than zero"),
		({"supplier_claim_limit": 6000}, "between zero"),
		({"supplier_claim_limit": -1}, "between zero"),
		({"compensation_expense_account": "Comp - B"}, "belongs to B, not to A"),
		({"compensation_expense_account": "Group - A"}, "is a group"),
		({"compensation_expense_account": "Nope"}, "does not exist"),
		({"scrap_warehouse": "Old - A"}, "is disabled"),
		({"rework_warehouse": "All - A"}, "is a group"),
		({"pending_warehouse": "Stores - A", "sellable_warehouse": "Stores - A"}, "more than one purpose"),
	],
)
def test_company_row_rejects(kw, message):
	with pytest.raises(SettingsError, match=message):
		s.validate_company_row(1, company(**kw), ACCOUNTS, WAREHOUSES)


def test_misc_settings():
	s.validate_retention_years(3)
	with pytest.raises(SettingsError):
		s.validate_retention_years(0)
	s.validate_at_risk_percent(75)
	for bad in (0, 100, -3, 120):
		with pytest.raises(SettingsError):
			s.validate_at_risk_percent(bad)
	with pytest.raises(SettingsError, match="two rows"):
		s.validate_unique_companies([{"company": "A"}, {"company": "A"}])


def test_version_guard():
	assert major_of("15.75.0") == 15
	assert major_of("v16.0.0-dev") == 16
	check_supported("Frappe", "15.75.0")
	for bad in ("14.2.0", "16.0.0", "", "develop"):
		with pytest.raises(UnsupportedVersionError, match=r"15\.x only"):
			check_supported("Frappe", bad)


# ---- policy per company --------------------------------------------------------------------


def test_rows_for_company_own_rows_replace_the_defaults():
	default = [wh("Monday", "08:30", "17:30"), wh("Tuesday", "08:30", "17:30")]
	factory = [{**wh("Monday", "07:00", "19:00"), "for_company": "Factory"}]
	rows = [*default, *factory, {**wh("Sunday", "09:00", "12:00"), "for_company": "Sales"}]
	assert s.rows_for_company(rows, "Factory") == factory
	assert s.rows_for_company(rows, "Sales") == [rows[3]]
	# a company without rows of its own, and a record without a company: the default rows
	assert s.rows_for_company(rows, "Import Export") == default
	assert s.rows_for_company(rows, None) == default
	assert s.rows_for_company(rows, "") == default
	# a blank company is the default policy, whichever way Frappe hands it over
	blank = [{**default[0], "for_company": ""}, {**default[1], "for_company": None}]
	assert s.rows_for_company(blank, "X") == blank
	assert s.rows_for_company(factory, "Other") == []


def target(doctype, urgency, stage, hours, company=None, basis="Calendar Hours"):
	return {
		"document_type": doctype,
		"urgency": urgency,
		"stage": stage,
		"hours": hours,
		"basis": basis,
		"for_company": company,
	}


def test_targets_are_chosen_per_company_and_document_type():
	rows = [
		target("Customer Complaint", "Urgent", "First Reply", 48),
		target("Customer Complaint", "Normal", "First Reply", 48),
		target("Repair Request", "Urgent", "First Reply", 8),
		target("Customer Complaint", "Urgent", "First Reply", 4, "Factory", "Working Hours"),
	]
	assert s.targets_for(rows, "Factory", "Customer Complaint", "Urgent") == {
		"First Reply": (4, "Working Hours")
	}
	# the factory's complaint targets are its own: no default Normal target applies to it
	assert s.targets_for(rows, "Factory", "Customer Complaint", "Normal") == {}
	# it has no repair targets of its own, so it keeps the default ones
	assert s.targets_for(rows, "Factory", "Repair Request", "Urgent") == {
		"First Reply": (8, "Calendar Hours")
	}
	assert s.targets_for(rows, "Sales", "Customer Complaint", "Urgent") == {
		"First Reply": (48, "Calendar Hours")
	}
	assert s.targets_for(rows, None, "Customer Complaint", "Normal") == {
		"First Reply": (48, "Calendar Hours")
	}


def test_working_week_compares_equal_however_times_come():
	as_text = [wh("Monday", "08:30:00", "24:00:00"), wh("Tuesday", "08:30", "12:00")]
	as_delta = [
		wh("Tuesday", timedelta(hours=8, minutes=30), timedelta(hours=12)),
		wh("Monday", timedelta(hours=8, minutes=30), timedelta(hours=24)),
	]
	assert s.working_week(as_text, None) == s.working_week(as_delta, None)
	assert s.working_week(as_text, None)[0] == ("Monday", timedelta(hours=8, minutes=30), timedelta(hours=24))
	assert s.since_midnight(time(13, 15)) == timedelta(hours=13, minutes=15)
	assert s.since_midnight("") is None


def test_companies_with_changed_hours():
	companies = ["A", "B", "C"]
	default = [wh("Monday", "08:30", "17:30")]
	b_rows = [{**wh("Monday", "07:00", "19:00"), "for_company": "B"}]
	before = [*default, *b_rows]
	# nothing changed, or only the order of the rows and the form of the times
	assert s.companies_with_changed_hours(before, list(reversed(before)), companies) == []
	assert (
		s.companies_with_changed_hours(
			before, [wh("Monday", timedelta(hours=8.5), "17:30:00"), *b_rows], companies
		)
		== []
	)
	# B's own week changed: B only
	later_b = [*default, {**b_rows[0], "to_time": "20:00"}]
	assert s.companies_with_changed_hours(before, later_b, companies) == ["B"]
	# the default week changed: every company without its own week
	longer = [wh("Monday", "08:30", "18:00"), *b_rows]
	assert s.companies_with_changed_hours(before, longer, companies) == ["A", "C"]
	# C gets a week of its own equal to the default: its calendar does not move
	assert (
		s.companies_with_changed_hours(before, [*before, {**default[0], "for_company": "C"}], companies) == []
	)
	# B's own rows removed: B falls back to the default week
	assert s.companies_with_changed_hours(before, default, companies) == ["B"]
	# a single-company site whose hours change: that company, as the job always did
	assert s.companies_with_changed_hours(default, [wh("Monday", "09:00", "17:30")], ["A"]) == ["A"]


def test_escalation_scopes():
	rows = [
		{"level": 1, "trigger": "At Risk", "notify_owner": 1},
		{"level": 1, "trigger": "Breached", "role": "Quality Manager", "for_company": "B"},
		{"level": 2, "trigger": "Breached", "role": "General Manager"},
		{"level": 1, "trigger": "Breached", "role": "Quality Manager", "for_company": "A"},
	]
	scopes = {company: (group, exclude) for group, company, exclude in s.escalation_scopes(rows)}
	assert scopes[None] == ([rows[0], rows[2]], ("A", "B"))
	assert scopes["B"] == ([rows[1]], ())
	assert scopes["A"] == ([rows[3]], ())
	# a site without company rows: one scope, the default levels for every case
	assert s.escalation_scopes(rows[::2]) == [([rows[0], rows[2]], None, ())]


def test_validate_policies_checks_each_company_on_its_own():
	default = [wh(d, a, b) for d, a, b in s.DEFAULT_WORKING_HOURS]
	levels = [
		{"level": 1, "trigger": "At Risk", "delay_hours": 0, "notify_owner": 1},
		{"level": 2, "trigger": "Breached", "delay_hours": 0, "role": "Quality Manager"},
	]
	targets = [target("Customer Complaint", u, st, h) for u, st, h in s.DEFAULT_COMPLAINT_TARGETS]
	# the same weekday, target and level numbers again, but for a company: no clash with the defaults
	own_hours = [{**wh("Monday", "08:00", "20:00"), "for_company": "B"}]
	own_targets = [{**targets[0], "hours": 4, "for_company": "B"}]
	own_levels = [
		{**levels[1], "level": 1, "for_company": "B"},
		{**levels[1], "level": 2, "for_company": "A"},
	]
	s.validate_policies([*default, *own_hours], [*targets, *own_targets], [*levels, *own_levels])

	def refused(hours=(), targets_=(), levels_=(), message=""):
		with pytest.raises(SettingsError, match=message) as info:
			s.validate_policies([*default, *hours], [*targets, *targets_], [*levels, *levels_])
		return str(info.value)

	# overlapping hours within one company's rows, numbered as the table numbers them
	overlap = [
		{**wh("Monday", "08:00", "12:00"), "for_company": "B", "idx": 11},
		{**wh("Monday", "11:00", "13:00"), "for_company": "B", "idx": 12},
	]
	assert (
		refused(hours=overlap, message="overlap") == "Company B: Working hours on Monday overlap at 11:00:00."
	)
	bad_row = [{**wh("Monday", "12:00", "08:00"), "for_company": "B", "idx": 14}]
	assert "Company B: Working hours row 14" in refused(hours=bad_row, message="must end after")
	refused(targets_=[own_targets[0], own_targets[0]], message="Company B: .* set twice")
	refused(targets_=[{**own_targets[0], "hours": 0}], message="Company B: .*greater than zero")
	refused(
		levels_=[
			{**levels[0], "level": 2, "for_company": "B"},
			{**levels[1], "level": 1, "for_company": "B"},
		],
		message="Company B: Escalation level 2 would fire before level 1",
	)
	refused(levels_=[own_levels[0], own_levels[0]], message="Company B: Escalation level 1 is set twice")
	# the default rules still hold for the default rows, and say no company
	with pytest.raises(SettingsError, match="^Working hours on Monday overlap") as info:
		s.validate_policies([*default, wh("Monday", "11:00", "14:00")], targets, levels)
	assert "Company" not in str(info.value)
	# the default week cannot go: every company without its own hours uses it
	with pytest.raises(SettingsError, match="at least one"):
		s.validate_policies(own_hours, targets, levels)


def test_a_company_error_keeps_the_rule_it_wraps():
	with pytest.raises(SettingsError) as info:
		s.validate_policies(
			[
				*(wh(d, a, b) for d, a, b in s.DEFAULT_WORKING_HOURS),
				{**wh("Funday", "08:00", "09:00"), "for_company": "B"},
			],
			[],
			[],
		)
	error = info.value
	assert error.message == "Company {0}: {1}"
	assert error.args_[0] == "B"
	inner = error.args_[1]
	assert isinstance(inner, SettingsError)
	assert (inner.message, inner.args_) == ("Working hours row {0}: {1} is not a weekday.", (1, "Funday"))
