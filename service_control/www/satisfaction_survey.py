"""Public survey page (/satisfaction-survey): answer with the e-mailed link, or as a portal user.

``?token=…`` opens the request the signed link points at, without a login; the core verifies the
signature, expiry and that the link is the latest one sent and still unanswered. A logged-in
portal user without a token sees the open surveys of their own customer and answers them with
``?name=…``. Answers are posted to ``service_control.service_control.survey.answers.submit_survey``.
"""

import frappe
from frappe import _

from service_control.core import errors as core_errors
from service_control.core import survey as rules
from service_control.service_control.survey import answers
from service_control.service_control.survey.links import get_template

no_cache = 1


def get_context(context):
	context.no_cache = 1
	context.show_sidebar = frappe.session.user != "Guest"
	context.title = _("Customer Satisfaction Survey")
	context.token = frappe.form_dict.get("token") or ""
	context.survey_doc = None
	context.error = None
	context.surveys = []
	name = frappe.form_dict.get("name")
	try:
		if context.token:
			context.survey_doc = answers.load_for_token(context.token)
		elif name:
			context.survey_doc = answers.load_for_portal_user(name)
		elif frappe.session.user != "Guest":
			context.surveys = answers.open_surveys_of()
		else:
			context.error = _(
				"Please use the personal link from your e-mail, or log in to answer your surveys."
			)
	except core_errors.DomainError as e:
		context.error = _(e.message).format(*e.args_)
	except (frappe.PermissionError, frappe.DoesNotExistError):
		context.error = _("This survey is not addressed to you.")
	if context.survey_doc:
		template = get_template(context.survey_doc.template)
		low, high = rules.scale_bounds(template.scale)
		context.survey_template = template
		context.scale = list(range(low, high + 1))
		context.nps_scale = list(range(0, 11))
	return context
