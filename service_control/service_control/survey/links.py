"""Survey templates and personal links: the doctype names, the template's criteria, link signing.

The rules (weights, link signing and checking) are the core's (service_control.core.survey);
this module supplies the site's secret, the link's lifetime from the settings and its URL. The
dispatch, the answers and the CAPA from the analysis import from here.

Why not ERPNext's Quality Feedback: it stores ratings against a template but has no plan, no
sending, no periods and no analysis; the survey documents here are the app's own, linked to
ERPNext's Customer, Contact and Company.
"""

from urllib.parse import quote

import frappe
from frappe.utils import add_days, cint, flt, get_url, getdate

from service_control.core import survey as rules
from service_control.utils import get_settings

RESPONSE = "Satisfaction Survey Response"
PLAN = "Satisfaction Survey Plan"
DEFAULT_TOKEN_DAYS = 30


def get_template(name: str):
	return frappe.get_cached_doc("Satisfaction Survey Template", name)


def template_criteria(template) -> list[rules.Criterion]:
	return [rules.Criterion(row.label_en, flt(row.weight)) for row in template.criteria]


def get_site_secret() -> str:
	"""The site's own secret (site_config ``encryption_key``): links of one site fail on another."""
	from frappe.utils.password import get_encryption_key

	return get_encryption_key()


def get_secret() -> str:
	"""The key survey links are signed with: derived from the site's secret for this use alone."""
	return rules.link_key(get_site_secret())


def token_days() -> int:
	return cint(get_settings().survey_token_days) or DEFAULT_TOKEN_DAYS


def survey_url(token: str) -> str:
	return get_url("/satisfaction-survey?token=" + quote(token))


def issue_token(name: str, today=None) -> tuple[str, object]:
	"""A new signed link for request ``name`` and its expiry date."""
	expires_on = add_days(getdate(today), token_days())
	return rules.sign_token(name, expires_on, get_secret()), expires_on
