"""What an administrator still has to set up before the app works (the guided first setup).

``missing_setup`` reads plain facts about the site (counted by the adapter) and lists what is
missing, each item with the onboarding step that sets it and whether a complaint can be saved
without it. The Service Control Settings form shows the list; the Module Onboarding's steps
walk through the same items.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from service_control.core.errors import _


@dataclass(frozen=True)
class SetupFacts:
	"""Counts and names the adapter reads from the site."""

	working_hours: int = 0
	complaint_targets: int = 0
	escalation_levels: int = 0
	companies: tuple[str, ...] = ()
	#: company → its row in the settings' company defaults (empty when it has none)
	company_defaults: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
	#: companies whose holiday list is known (the company's own, or one in its defaults row)
	companies_with_holidays: tuple[str, ...] = ()
	#: role → enabled desk users holding it
	role_users: Mapping[str, int] = field(default_factory=dict)
	survey_templates: int = 0
	portal_users: int = 0
	go_live_on: object = None


@dataclass(frozen=True)
class Missing:
	step: str  # the Onboarding Step that sets it
	message: str
	args: tuple = ()
	#: a complaint cannot be saved without it
	blocking: bool = False


#: The roles somebody must hold for complaints to move (register, investigate, approve, pay).
REQUIRED_ROLES = ("Customer Service User", "Quality Manager", "General Manager", "Accounts User")
#: The company defaults the returns and compensation need.
ACCOUNT_FIELDS = ("compensation_expense_account", "scrap_loss_account")
WAREHOUSE_FIELDS = ("pending_warehouse", "scrap_warehouse", "rework_warehouse", "sellable_warehouse")


def missing_setup(facts: SetupFacts) -> list[Missing]:
	"""What is not set up yet, blocking items first."""
	out: list[Missing] = []
	if not facts.working_hours:
		out.append(Missing("SC Settings", _("Enter the weekly working hours."), blocking=True))
	if not facts.complaint_targets:
		out.append(Missing("SC SLA Targets", _("Enter the SLA targets of complaints."), blocking=True))
	for company in facts.companies:
		if company not in facts.companies_with_holidays:
			out.append(
				Missing("SC Holiday Lists", _("Company {0} has no holiday list."), (company,), blocking=True)
			)
	if not facts.escalation_levels:
		out.append(Missing("SC Escalation", _("Enter the escalation levels.")))
	for company in facts.companies:
		row = facts.company_defaults.get(company) or {}
		if not row.get("quality_manager_limit"):
			out.append(Missing("SC Approval Limits", _("Company {0} has no approval limits."), (company,)))
		if not all(row.get(f) for f in ACCOUNT_FIELDS + WAREHOUSE_FIELDS):
			out.append(
				Missing(
					"SC Accounts and Warehouses",
					_("Company {0}: set the accounts and warehouses of returns and compensation."),
					(company,),
				)
			)
	for role in REQUIRED_ROLES:
		if not facts.role_users.get(role):
			out.append(Missing("SC Roles and Users", _("No enabled user has the role {0}."), (role,)))
	if not facts.portal_users:
		out.append(Missing("SC Portal", _("No customer has portal users for the complaints portal.")))
	if not facts.survey_templates:
		out.append(Missing("SC Survey Template", _("Create a satisfaction survey template.")))
	if not facts.go_live_on:
		out.append(Missing("SC Settings", _("Set the Go-Live time before importing the registers' history.")))
	return sorted(out, key=_blocking_first)


def _blocking_first(item: Missing) -> int:
	return 0 if item.blocking else 1


def steps_done(missing: Iterable[Missing], steps: Iterable[str]) -> dict[str, bool]:
	"""Each onboarding step and whether nothing it sets is missing."""
	open_steps = {item.step for item in missing}
	return {step: step not in open_steps for step in steps}
