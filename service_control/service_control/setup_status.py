"""The guided first setup on the site: what is missing (``core.setup_status``), shown on the
Service Control Settings form, and the Module Onboarding's steps marked done only when the core
finds nothing they set missing."""

import frappe

from service_control.core import setup_status as rules
from service_control.core.errors import DomainError
from service_control.notifications import get_enabled_users_with_role
from service_control.utils import get_settings, translate_domain_error

ONBOARDING = "Service Control"


def read_facts() -> rules.SetupFacts:
	settings = get_settings()
	companies = tuple(frappe.get_all("Company", pluck="name", order_by="name"))
	defaults = {row.company: row.as_dict() for row in settings.get("company_defaults") or []}
	with_holidays = tuple(
		company
		for company in companies
		if (defaults.get(company) or {}).get("holiday_list")
		or frappe.get_cached_value("Company", company, "default_holiday_list")
	)
	return rules.SetupFacts(
		working_hours=len(settings.get("working_hours") or []),
		complaint_targets=len(
			[
				row
				for row in settings.get("sla_targets") or []
				if (row.get("document_type") or "Customer Complaint") == "Customer Complaint"
			]
		),
		escalation_levels=len(settings.get("escalation_levels") or []),
		companies=companies,
		company_defaults=defaults,
		companies_with_holidays=with_holidays,
		role_users={role: len(get_enabled_users_with_role(role)) for role in rules.REQUIRED_ROLES},
		survey_templates=frappe.db.count("Satisfaction Survey Template"),
		portal_users=frappe.db.count("Portal User", {"parenttype": "Customer"}),
		go_live_on=settings.get("go_live_on"),
	)


@frappe.whitelist()
def setup_status() -> dict:
	"""What is still missing, for the settings form's headline; marks the onboarding steps done
	or not done as the core finds them (a step is done when nothing it sets is missing)."""
	frappe.only_for(("System Manager", "Quality Manager"))
	missing = rules.missing_setup(read_facts())
	steps = frappe.get_all("Onboarding Step", filters={"name": ("like", "SC %")}, pluck="name")
	for step, done in rules.steps_done(missing, steps).items():
		if frappe.db.get_value("Onboarding Step", step, "is_complete") != int(done):
			frappe.db.set_value("Onboarding Step", step, "is_complete", int(done), update_modified=False)
	return {
		"blocking": [_message(item) for item in missing if item.blocking],
		"missing": [_message(item) for item in missing if not item.blocking],
	}


def _message(item: rules.Missing) -> str:
	return translate_domain_error(DomainError(item.message, *item.args))
