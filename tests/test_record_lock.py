from datetime import date, datetime, timedelta

import pytest

from service_control.core import record_lock as lock
from service_control.core.errors import ComplaintError, DomainError

FIELDS = [
	("status", "Select"),
	("reported_on", "Datetime"),
	("delivery_date", "Date"),
	("visits", "Int"),
	("verified", "Check"),
	("labour_rate", "Currency"),
	("fault_description", "Text"),
	("start_time", "Time"),
	("section", "Section Break"),
	("sla_clocks", "Table"),
	("sla_state", "Select"),
	("modified", "Datetime"),
	("change_reason", "Small Text"),
]

SAVED = {
	"status": "Closed",
	"reported_on": datetime(2026, 11, 20, 9, 30),
	"delivery_date": date(2026, 11, 1),
	"visits": 1,
	"verified": 1,
	"labour_rate": 80.0,
	"fault_description": "No power",
	"start_time": timedelta(hours=8, minutes=30),
	"sla_clocks": [1, 2],
	"sla_state": "Met",
	"modified": datetime(2026, 11, 21),
	"change_reason": None,
}


def test_same_values_in_other_shapes_are_not_changes():
	typed = {
		**SAVED,
		"reported_on": "2026-11-20 09:30:00",
		"delivery_date": "2026-11-01",
		"visits": "1",
		"verified": 1.0,
		"labour_rate": "80",
		"start_time": "08:30:00",
	}
	assert lock.changed_fields(FIELDS, SAVED, typed) == []
	# empty text, None and zero numbers are the same nothing
	assert (
		lock.changed_fields([("note", "Data"), ("qty", "Float")], {"note": None, "qty": 0}, {"note": ""})
		== []
	)


def test_changed_value_fields_found_bookkeeping_and_tables_skipped():
	edited = {
		**SAVED,
		"fault_description": "No power; burnt smell",
		"delivery_date": "2026-11-02",
		"sla_clocks": [],
		"sla_state": "Breached",
		"modified": datetime(2026, 11, 27),
		"change_reason": "Customer corrected the fault",
	}
	assert lock.changed_fields(FIELDS, SAVED, edited, ignore={"change_reason"}) == [
		"delivery_date",
		"fault_description",
	]
	assert lock.changed_fields(FIELDS, None, edited) == []  # a new record has nothing before it


def test_objects_with_get_and_attributes_are_read():
	class Doc:
		def __init__(self, **kw):
			self.values = kw

		def get(self, key):
			return self.values.get(key)

	class Row:
		status = "Open"

	assert lock.changed_fields([("status", "Select")], Doc(status="Closed"), Row()) == ["status"]


def check(old, changed, roles, reason):
	lock.check_final_edit(
		old,
		changed,
		roles,
		reason,
		final_statuses=("Closed", "Cancelled"),
		locked_message="Record is {0} and can no longer be edited.",
		reason_message="Give a reason for changing a {0} record.",
	)


def test_final_edit_rules():
	check("Open", ["description"], [], None)  # not final: anyone
	check("Closed", [], ["Quality Manager"], None)  # nothing changed: a plain save passes
	check(None, ["description"], [], None)  # new record
	with pytest.raises(DomainError, match="Cancelled and can no longer be edited"):
		check("Cancelled", ["description"], ["Quality Manager", "General Manager"], "x")
	with pytest.raises(DomainError, match="reason for changing a Closed"):
		check("Closed", ["description"], ["System Manager"], "   ")
	check("Closed", ["description"], ["System Manager"], "Typo in the fault description")


def test_error_class_is_the_callers():
	with pytest.raises(ComplaintError):
		lock.check_final_edit(
			"Closed",
			["x"],
			[],
			None,
			final_statuses=("Closed",),
			locked_message="{0}",
			reason_message="{0}",
			error=ComplaintError,
		)
