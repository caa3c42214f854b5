"""Online answers to a survey: by the personal link (a guest) or in the customer portal.

The link is checked by the core (signature, expiry, latest link of the request, not answered
yet) before anything is saved; a portal user answers only the surveys of their own customers and
reads only those (``get_permission_query_conditions`` / ``has_permission``, wired in hooks).
"""

import json

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import getdate

from service_control.core import survey as rules
from service_control.portal import customer_condition, get_portal_customers, is_portal_user
from service_control.service_control.survey.links import (
	RESPONSE,
	get_secret,
	get_site_secret,
	get_template,
)
from service_control.utils import domain_errors


def load_for_token(token: str):
	"""The request a genuine, unexpired, unused link points at; SurveyTokenError otherwise."""
	today = getdate()
	# links sent before the derived key were signed with the site secret itself: they open until
	# they expire (and only the latest link of a request, which check_token_matches ensures)
	name, _expires = rules.verify_token(token, get_secret(), today, earlier_secrets=[get_site_secret()])
	values = frappe.db.get_value(RESPONSE, name, ["token_hash", "status", "expires_on"], as_dict=True)
	if not values:
		raise rules.SurveyTokenError(
			_("This survey link is not valid. Please use the link from your e-mail.")
		)
	rules.check_token_matches(token, values.token_hash)
	rules.check_can_answer(
		values.status, getdate(values.expires_on) if values.expires_on else None, today, online=True
	)
	return frappe.get_doc(RESPONSE, name)


def load_for_portal_user(name: str, user: str | None = None):
	"""A request of one of the portal user's own customers, still open."""
	user = user or frappe.session.user
	if user == "Guest":
		raise frappe.PermissionError(_("Log in or use the link from your e-mail."))
	doc = frappe.get_doc(RESPONSE, name)
	if doc.customer not in get_portal_customers(user):
		raise frappe.PermissionError(_("This survey is not addressed to you."))
	rules.check_can_answer(
		doc.status, getdate(doc.expires_on) if doc.expires_on else None, getdate(), online=True
	)
	return doc


def open_surveys_of(user: str | None = None) -> list[dict]:
	customers = get_portal_customers(user)
	if not customers:
		return []
	return frappe.get_all(
		RESPONSE,
		filters={"customer": ("in", customers), "status": ("in", rules.OPEN_STATUSES)},
		fields=["name", "customer_name", "period", "expires_on", "template"],
		order_by="creation desc",
		ignore_permissions=True,
	)


def _parse_scores(scores) -> dict:
	if isinstance(scores, str):
		scores = json.loads(scores or "{}")
	return dict(scores or {})


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=20, seconds=60)
def submit_survey(
	token: str | None = None,
	name: str | None = None,
	scores: str | dict | None = None,
	nps_score: str | int | None = None,
	comments: str | None = None,
) -> dict:
	"""Store an online answer. With ``token`` (the e-mailed link) no login is needed; without it the
	logged-in portal user must belong to the surveyed customer. Checked by the core, then saved with
	ignore_permissions; a reused, altered or expired link is refused and nothing is saved."""
	with domain_errors(title=_("Satisfaction survey")):
		doc = load_for_token(token) if token else load_for_portal_user(name)
	answer(doc, _parse_scores(scores), nps_score, comments, online=True)
	return {"name": doc.name, "weighted_score": doc.weighted_score}


def answer(doc, scores: dict, nps_score=None, comments: str | None = None, online: bool = False):
	"""Put the scores {criterion: score} on the request and save it (the controller validates)."""
	template = get_template(doc.template)
	doc.set("scores", [])
	for row in template.criteria:
		value = scores.get(row.label_en)
		doc.append(
			"scores",
			{
				"criterion": row.label_en,
				"label_zh": row.label_zh,
				"weight": row.weight,
				"score": "" if value in (None, "") else str(value),
			},
		)
	doc.nps_score = "" if nps_score in (None, "") else str(nps_score)
	doc.comments = comments
	if online:
		doc.source = rules.SOURCE_ONLINE
		doc.flags.online_answer = True
	doc.flags.ignore_permissions = True
	doc.save()
	return doc


# ------------------------------------------------------------------------------------------
# Permissions: portal users read the surveys of their own customer only.


def get_permission_query_conditions(user: str | None = None) -> str:
	return customer_condition("Satisfaction Survey Response", user) or ""


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if not is_portal_user(user):
		return True
	return doc.customer in get_portal_customers(user)
