"""Adapters between the frappe-free core and Frappe: errors, settings, calendars."""

from contextlib import contextmanager
from datetime import date

import frappe
from frappe import _

from service_control.core import errors as core_errors
from service_control.core import settings as settings_rules
from service_control.core.working_time import CalendarClock, WorkingCalendar
from service_control.exceptions import (
	CompensationValidationError,
	ComplaintValidationError,
	DispositionValidationError,
	InvalidTransitionError,
	ServiceControlValidationError,
	SettingsValidationError,
)

_ERROR_MAP = {
	core_errors.SettingsError: SettingsValidationError,
	core_errors.TransitionError: InvalidTransitionError,
	core_errors.ComplaintError: ComplaintValidationError,
	core_errors.CompensationError: CompensationValidationError,
	core_errors.DispositionError: DispositionValidationError,
}


def translate_domain_error(error: core_errors.DomainError) -> str:
	"""A core error's message in the user's language; an error passed as an argument (one
	company's rule, wrapped with the company's name) is translated the same way."""
	args = [
		translate_domain_error(a)
		if isinstance(a, core_errors.DomainError)
		else _(a)
		if isinstance(a, str)
		else a
		for a in error.args_
	]
	return _(error.message).format(*args)


def throw_domain_error(error: core_errors.DomainError, title: str | None = None):
	"""Translate a core error's message and raise the matching frappe.ValidationError."""
	exc = next((v for k, v in _ERROR_MAP.items() if isinstance(error, k)), ServiceControlValidationError)
	frappe.throw(translate_domain_error(error), exc=exc, title=title)


@contextmanager
def domain_errors(title: str | None = None):
	"""``with domain_errors(): core_call(...)`` turns a core error into a translated ValidationError."""
	try:
		yield
	except core_errors.DomainError as e:
		throw_domain_error(e, title)


def get_settings():
	return frappe.get_cached_doc("Service Control Settings")


def get_company_defaults(company: str):
	"""The Service Company Defaults row of ``company`` (an empty dict when there is none)."""
	for row in get_settings().company_defaults:
		if row.company == company:
			return row
	return frappe._dict()


def get_holiday_list(company: str | None) -> str | None:
	if not company:
		return None
	return get_company_defaults(company).get("holiday_list") or frappe.get_cached_value(
		"Company", company, "default_holiday_list"
	)


def get_holidays(holiday_list: str | None) -> list[date]:
	if not holiday_list:
		return []
	return frappe.get_all(
		"Holiday", filters={"parent": holiday_list, "parenttype": "Holiday List"}, pluck="holiday_date"
	)


def get_working_calendar(company: str | None) -> WorkingCalendar:
	"""The company's weekly working hours from settings (its own rows, else the default ones)
	minus its holidays; cached per request by the week and the holiday list, so companies that
	share both share one calendar."""
	holiday_list = get_holiday_list(company)
	week = settings_rules.working_week(get_settings().working_hours, company)
	cache = getattr(frappe.local, "service_control_calendars", None)
	if cache is None:
		cache = frappe.local.service_control_calendars = {}
	key = (week, holiday_list)
	if key not in cache:
		cache[key] = WorkingCalendar.from_rows(week, get_holidays(holiday_list))
	return cache[key]


def get_clock(basis: str, company: str | None):
	return get_working_calendar(company) if basis == "Working Hours" else CalendarClock()


def clear_calendar_cache() -> None:
	frappe.local.service_control_calendars = {}
