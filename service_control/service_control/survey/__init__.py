"""Satisfaction-survey adapters, one module per job (see each module); re-exports the names imported from here before the split."""

from service_control.service_control.survey.answers import (
	answer,
	get_permission_query_conditions,
	has_permission,
	load_for_portal_user,
	load_for_token,
	open_surveys_of,
	submit_survey,
)
from service_control.service_control.survey.capa import create_capa, lowest_response
from service_control.service_control.survey.dispatch import (
	create_requests,
	daily,
	dispatch,
	expire_requests,
	resend_link,
	run_daily,
	send_link,
	send_pending,
)
from service_control.service_control.survey.links import (
	get_secret,
	get_site_secret,
	get_template,
	issue_token,
	survey_url,
	template_criteria,
)
from service_control.service_control.survey.visits import (
	overdue_key_customers,
	plan_key_customer_visits,
	remind_key_customer_visits,
)

__all__ = [
	"answer",
	"create_capa",
	"create_requests",
	"daily",
	"dispatch",
	"expire_requests",
	"get_permission_query_conditions",
	"get_secret",
	"get_site_secret",
	"get_template",
	"has_permission",
	"issue_token",
	"load_for_portal_user",
	"load_for_token",
	"lowest_response",
	"open_surveys_of",
	"overdue_key_customers",
	"plan_key_customer_visits",
	"remind_key_customer_visits",
	"resend_link",
	"run_daily",
	"send_link",
	"send_pending",
	"submit_survey",
	"survey_url",
	"template_criteria",
]
