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
