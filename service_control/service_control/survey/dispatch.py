"""Satisfaction surveys on Frappe: the daily dispatch, personal links, portal answers, reminders.

The rules (weights, scores, periods, link signing) are the core's (service_control.core.survey);
this module loads, stores and sends. Why not ERPNext's Quality Feedback: it stores ratings
against a template but has no plan, no sending, no periods and no analysis; the survey
documents here are the app's own, linked to ERPNext's Customer, Contact and Company.

Daily job (``daily``), set-based and idempotent:

1. for each active plan of the year and each period due today, one SELECT finds the customers
   of the plan that have no request for that period and one INSERT IGNORE adds them (unique
   ``survey_key`` = plan|period|customer, so a second run or a concurrent worker adds nothing);
2. one UPDATE marks unanswered links past their expiry Expired;
3. each request not yet e-mailed is claimed by a conditional UPDATE (``sent_on IS NULL``) and
   only then e-mailed (queued), so a period is never sent twice;
4. key customers without a completed visit for ``key_customer_visit_months`` get one planned
   visit and a reminder ToDo, once.
"""

import json
from urllib.parse import quote

import frappe
from frappe import _
from frappe.model.naming import parse_naming_series
from frappe.rate_limiter import rate_limit
from frappe.utils import add_days, add_months, cint, flt, get_url, getdate, now_datetime

from service_control.core import survey as rules
from service_control.notifications import rowcount
from service_control.portal import customer_condition, get_portal_customers, is_portal_user
from service_control.utils import domain_errors, get_settings

RESPONSE = "Satisfaction Survey Response"
PLAN = "Satisfaction Survey Plan"
RESPONSE_SERIES = "SSR-.YYYY.-"
DEFAULT_TOKEN_DAYS = 30
DEFAULT_VISIT_MONTHS = 12


# ------------------------------------------------------------------------------------------
# Templates and links


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


# ------------------------------------------------------------------------------------------
# Daily dispatch


def daily() -> None:
	"""Scheduler entry point (daily): heavy enough for the long queue, one job at a time."""
	frappe.enqueue(
		"service_control.service_control.survey.run_daily",
		queue="long",
		job_id="service_control:satisfaction_surveys",
		deduplicate=True,
	)


def run_daily(today=None) -> dict:
	today = getdate(today)
	stats = dispatch(today)
	stats["visit_reminders"] = remind_key_customer_visits(today)
	return stats


def dispatch(today=None) -> dict:
	today = getdate(today)
	stats = {"created": 0, "expired": 0, "sent": 0}
	plans = frappe.get_all(
		PLAN,
		filters={"is_active": 1, "plan_year": today.year, "docstatus": 0},
		fields=["name", "plan_year", "frequency", "selection", "customer_group", "company", "template"],
	)
	for plan in plans:  # a handful of plans a year; each statement below is set-based
		for period in rules.due_periods(plan.plan_year, plan.frequency, today):
			try:
				stats["created"] += create_requests(plan, period.key)
			except Exception:
				frappe.log_error(title=_("Satisfaction survey requests of {0} failed").format(plan.name))
	stats["expired"] = expire_requests(today)
	stats["sent"] = send_pending(today)
	return stats


def _selection_condition(plan) -> tuple[str, dict]:
	if plan.selection == "Key Customers":
		return "cu.sc_key_customer = 1", {}
	if plan.selection == "Customer Group":
		return (
			"""cu.customer_group in (
				select g.name from `tabCustomer Group` g, `tabCustomer Group` root
				where root.name = %(customer_group)s and g.lft >= root.lft and g.rgt <= root.rgt)""",
			{"customer_group": plan.customer_group},
		)
	return (
		"""cu.name in (select pc.customer from `tabSatisfaction Survey Plan Customer` pc
			where pc.parent = %(plan)s and pc.parenttype = 'Satisfaction Survey Plan')""",
		{},
	)


def missing_customers(plan, period: str) -> list[dict]:
	"""Enabled customers of the plan without a request for ``period``, with their primary contact."""
	condition, values = _selection_condition(plan)
	return frappe.db.sql(
		f"""
		select cu.name as customer, cu.customer_name, cu.customer_group,
			coalesce(cu.customer_primary_contact, (
				select dl.parent from `tabDynamic Link` dl join `tabContact` c on c.name = dl.parent
				where dl.parenttype = 'Contact' and dl.link_doctype = 'Customer' and dl.link_name = cu.name
					and ifnull(c.email_id, '') != ''
				order by c.is_primary_contact desc, c.creation limit 1)) as contact
		from `tabCustomer` cu
		where cu.disabled = 0 and {condition}
			and not exists (select 1 from `tabSatisfaction Survey Response` r
				where r.survey_key = concat(%(plan)s, '|', %(period)s, '|', cu.name))
		order by cu.name
		""",
		{"plan": plan.name, "period": period, **values},
		as_dict=True,
	)


def reserve_names(series: str, count: int) -> list[str]:
	"""``count`` names of the naming series in one locked update, as Frappe's autoname would give."""
	prefix = parse_naming_series(series)
	current = frappe.db.sql("select current from `tabSeries` where name = %s for update", prefix)
	if not current:
		frappe.db.sql("insert into `tabSeries` (name, current) values (%s, 0)", prefix)
		start = 0
	else:
		start = cint(current[0][0])
	frappe.db.sql("update `tabSeries` set current = current + %s where name = %s", (count, prefix))
	return [f"{prefix}{n:05d}" for n in range(start + 1, start + count + 1)]


def create_requests(plan, period: str) -> int:
	"""INSERT IGNORE the missing (plan, period, customer) requests; returns how many were added."""
	rows = missing_customers(plan, period)
	if not rows:
		return 0
	emails = dict(
		frappe.db.sql(
			"select name, email_id from `tabContact` where name in %(names)s",
			{"names": tuple({r.contact for r in rows if r.contact}) or ("",)},
		)
	)
	now, user = now_datetime(), frappe.session.user
	fields = [
		"name",
		"naming_series",
		"title",
		"customer",
		"customer_name",
		"customer_group",
		"contact",
		"contact_email",
		"status",
		"company",
		"plan",
		"period",
		"template",
		"source",
		"survey_key",
		"docstatus",
		"idx",
		"owner",
		"modified_by",
		"creation",
		"modified",
	]
	values = [
		(
			name,
			RESPONSE_SERIES,
			r.customer_name or r.customer,
			r.customer,
			r.customer_name,
			r.customer_group,
			r.contact,
			emails.get(r.contact),
			rules.PENDING,
			plan.company,
			plan.name,
			period,
			plan.template,
			rules.SOURCE_ONLINE,
			rules.survey_key(r.customer, plan.name, period),
			0,
			0,
			user,
			user,
			now,
			now,
		)
		for name, r in zip(reserve_names(RESPONSE_SERIES, len(rows)), rows, strict=True)
	]
	before = frappe.db.count(RESPONSE, {"plan": plan.name, "period": period})
	frappe.db.bulk_insert(RESPONSE, fields, values, ignore_duplicates=True)
	return frappe.db.count(RESPONSE, {"plan": plan.name, "period": period}) - before


def expire_requests(today=None) -> int:
	response = frappe.qb.DocType(RESPONSE)
	query = (
		frappe.qb.update(response)
		.set(response.status, rules.EXPIRED)
		.where((response.status == rules.SENT) & (response.expires_on < getdate(today)))
	)
	query.run()
	return rowcount()


def send_pending(today=None) -> int:
	"""E-mail every request of an e-mailing plan that has a contact address and was never sent."""
	response, plan = frappe.qb.DocType(RESPONSE), frappe.qb.DocType(PLAN)
	pending = (
		frappe.qb.from_(response)
		.join(plan)
		.on(plan.name == response.plan)
		.select(response.name)
		.where(
			(response.status == rules.PENDING)
			& response.sent_on.isnull()
			& (plan.send_email == 1)
			& (response.contact_email.isnotnull())
			& (response.contact_email != "")
		)
		.run(pluck=True)
	)
	sent = 0
	for name in pending:  # one e-mail per request is the job; each is claimed before it is sent
		frappe.db.savepoint("sc_survey_send")
		try:
			sent += send_link(name, today, claim=True)
		except Exception:
			# undo the claim: the request stays Pending and the next run tries again
			frappe.db.rollback(save_point="sc_survey_send")
			frappe.log_error(title=_("Satisfaction survey {0} could not be sent").format(name))
	return sent


def send_link(name: str, today=None, claim: bool = False) -> int:
	"""Sign a new link, store its hash and queue the e-mail. With ``claim`` only a never-sent request
	is taken (a conditional UPDATE), so two workers cannot both send it."""
	token, expires_on = issue_token(name, today)
	response = frappe.qb.DocType(RESPONSE)
	query = (
		frappe.qb.update(response)
		.set(response.token_hash, rules.token_hash(token))
		.set(response.expires_on, expires_on)
		.set(response.sent_on, now_datetime())
		.set(response.status, rules.SENT)
		.where(response.name == name)
		.where(response.status != rules.ANSWERED)
	)
	if claim:
		query = query.where(response.sent_on.isnull())
	query.run()
	if not rowcount():
		return 0
	doc = frappe.get_doc(RESPONSE, name)
	template = get_template(doc.template)
	frappe.sendmail(
		recipients=[doc.contact_email],
		subject=_("Customer Satisfaction Survey {0} / 顾客满意度调查").format(doc.period or ""),
		template="satisfaction_survey",
		args={
			"customer_name": doc.customer_name or doc.customer,
			"period": doc.period,
			"link": survey_url(token),
			"expires_on": frappe.format(expires_on, "Date"),
			"intro_en": template.intro_en,
			"intro_zh": template.intro_zh,
		},
		reference_doctype=RESPONSE,
		reference_name=name,
		now=False,
	)
	return 1


@frappe.whitelist()
def resend_link(name: str) -> None:
	"""Staff: send (or send again) the personal link of a request; the old link stops working."""
	doc = frappe.get_doc(RESPONSE, name)
	doc.check_permission("write")
	if not doc.contact_email:
		frappe.throw(_("Request {0} has no contact e-mail.").format(name))
	if doc.status == rules.ANSWERED:
		frappe.throw(_("This survey has already been answered. Thank you."))
	send_link(name)
	frappe.msgprint(_("The survey link was e-mailed to {0}.").format(doc.contact_email), alert=True)


# ------------------------------------------------------------------------------------------
# Online answers: a personal link (guest) or the customer portal


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


# ------------------------------------------------------------------------------------------
# Key customers: a visit at least every ``key_customer_visit_months`` months


def visit_interval() -> int:
	value = get_settings().key_customer_visit_months
	return DEFAULT_VISIT_MONTHS if value is None else cint(value)


def overdue_key_customers(today=None) -> list[dict]:
	"""Enabled key customers with no completed visit in the interval and nothing planned (one query).

	``company`` is the company the customer deals with: that of its latest visit, else of its
	latest submitted sales invoice, else the first company it is allowed to transact with; None
	when nothing names one."""
	months = visit_interval()
	if months <= 0:
		return []
	cutoff = add_months(getdate(today), -months)
	return frappe.db.sql(
		"""
		select cu.name as customer, cu.customer_name, cu.account_manager,
			(select max(v.visit_date) from `tabKey Customer Visit` v
				where v.customer = cu.name and v.status = 'Completed') as last_visit,
			coalesce(
				(select v.company from `tabKey Customer Visit` v where v.customer = cu.name
					order by v.visit_date desc, v.creation desc limit 1),
				(select si.company from `tabSales Invoice` si where si.customer = cu.name and si.docstatus = 1
					order by si.posting_date desc, si.creation desc limit 1),
				(select a.company from `tabAllowed To Transact With` a
					where a.parenttype = 'Customer' and a.parent = cu.name order by a.idx limit 1)
			) as company
		from `tabCustomer` cu
		where cu.disabled = 0 and cu.sc_key_customer = 1
			and not exists (select 1 from `tabKey Customer Visit` v
				where v.customer = cu.name
					and ((v.status = 'Completed' and v.visit_date > %(cutoff)s) or v.status = 'Planned'))
		order by cu.name
		""",
		{"cutoff": cutoff},
		as_dict=True,
	)


def plan_visit(
	customer: str,
	company: str | None,
	day,
	owner: str | None,
	purpose: str,
	todo: str,
	ignore_permissions: bool = False,
):
	"""A Planned Key Customer Visit with a ToDo for its visitor: a Planned visit stops further
	reminders, so it carries its own ToDo (closed when the visit is completed or cancelled)."""
	visit = frappe.get_doc(
		{
			"doctype": "Key Customer Visit",
			"customer": customer,
			"company": company,
			"status": "Planned",
			"visit_date": day,
			"visited_by": owner,
			"purpose": purpose,
		}
	).insert(ignore_permissions=ignore_permissions)
	frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": owner,
			"reference_type": "Key Customer Visit",
			"reference_name": visit.name,
			"date": day,
			"priority": "Medium",
			"description": todo,
		}
	).insert(ignore_permissions=True)
	return visit


def remind_key_customer_visits(today=None) -> int:
	"""Plan a visit and give its owner a ToDo, once: the Planned visit stops further reminders.

	The visit belongs to the customer's own company (``overdue_key_customers``); the site's
	default company only for a key customer that no visit, invoice or allowed company ties to one
	(a visit must name a company)."""
	today = getdate(today)
	months = visit_interval()
	fallback = get_settings().management_representative
	made = 0
	for row in overdue_key_customers(today):  # only the overdue key customers: a short list
		owner = row.account_manager or fallback
		last = frappe.format(row.last_visit, "Date") if row.last_visit else _("never")
		plan_visit(
			row.customer,
			row.company or frappe.defaults.get_global_default("company"),
			add_days(today, 30),
			owner,
			_("Yearly key-customer visit"),
			_("Key customer {0} has had no visit for {1} months (last visit: {2}). Plan the visit.").format(
				row.customer_name or row.customer, months, last
			),
			ignore_permissions=True,
		)
		made += 1
	return made


@frappe.whitelist()
def plan_key_customer_visits(year: int | str, company: str | None = None) -> int:
	"""The annual visit plan: one Planned visit in ``year`` for every enabled key customer that has
	no visit (planned or completed) dated in that year yet. Running it again adds nothing.

	The day is when the last completed visit falls due again in that year (see
	rules.planned_visit_date), else as early as possible; the visitor is the customer's account
	manager. The plan is the list of Planned visits of the year (list view, filter by status)."""
	frappe.has_permission("Key Customer Visit", "create", throw=True)
	year, today = cint(year), getdate()
	company = company or frappe.defaults.get_user_default("Company")
	company = company or frappe.defaults.get_global_default("company")
	if not company or not frappe.db.exists("Company", company):
		frappe.throw(_("Choose the company whose key customers are visited."))
	with domain_errors(title=_("Annual visit plan")):
		rules.planned_visit_date(None, year, today, visit_interval())  # checks the year
	rows = frappe.db.sql(
		"""
		select cu.name as customer, cu.customer_name, cu.account_manager,
			(select max(v.visit_date) from `tabKey Customer Visit` v
				where v.customer = cu.name and v.status = 'Completed') as last_visit
		from `tabCustomer` cu
		where cu.disabled = 0 and cu.sc_key_customer = 1
			and not exists (select 1 from `tabKey Customer Visit` v
				where v.customer = cu.name and v.status != 'Cancelled'
					and v.visit_date between %(first)s and %(last)s)
		order by cu.name
		""",
		{"first": f"{year}-01-01", "last": f"{year}-12-31"},
		as_dict=True,
	)
	months = visit_interval()
	fallback = get_settings().management_representative
	for row in rows:  # the key customers without a visit that year: a short list
		day = rules.planned_visit_date(
			getdate(row.last_visit) if row.last_visit else None, year, today, months
		)
		owner = row.account_manager or fallback
		plan_visit(
			row.customer,
			company,
			day,
			owner,
			_("Annual key-customer visit {0}").format(year),
			_("Visit key customer {0} on {1} (annual visit plan {2}).").format(
				row.customer_name or row.customer, frappe.format(day, "Date"), year
			),
		)
	return len(rows)


# ------------------------------------------------------------------------------------------
# CAPA from the analysis report


@frappe.whitelist()
def create_capa(criterion: str, filters: str | dict | None = None) -> str:
	"""Open a Corrective Action for a criterion below the satisfaction target.

	The index is recomputed here from the same filters (the browser's figure is not trusted);
	the CAPA's source is the answered response that scored the criterion lowest, its owner the
	plan's owner when the report is filtered by plan. An open CAPA from that response is reused.
	"""
	from service_control.service_control.report.satisfaction_analysis import satisfaction_analysis as report

	frappe.has_permission("Corrective Action", "create", throw=True)
	filters = frappe._dict(json.loads(filters) if isinstance(filters, str) else (filters or {}))
	filters.group_by = report.BY_CRITERION
	_columns, data, *_rest = report.execute(filters)
	row = next((r for r in data if r["group"] == criterion), None)
	if not row or not row["below_target"]:
		frappe.throw(_("Criterion {0} is not below the satisfaction target.").format(criterion))
	source = lowest_response(criterion, report.prepare_filters(filters))
	existing = frappe.db.get_value(
		"Corrective Action",
		{
			"source_type": RESPONSE,
			"source_name": source.name,
			"status": ("not in", ("Closed", "Cancelled")),
		},
	)
	if existing:
		return existing
	owner = frappe.db.get_value(PLAN, filters.plan, "plan_owner") if filters.get("plan") else None
	capa = frappe.get_doc(
		{
			"doctype": "Corrective Action",
			"company": filters.get("company") or source.company,
			"opened_on": getdate(),
			"capa_owner": owner or frappe.session.user,
			"source_type": RESPONSE,
			"source_name": source.name,
			"problem_what": _(
				"Customer satisfaction with {0} is {1}%, below the target of {2}% ({3} responses, {4} to {5})."
			).format(
				criterion,
				row["index"],
				row["target"],
				row["responses"],
				frappe.format(filters.get("from_date") or "", "Date"),
				frappe.format(filters.get("to_date") or "", "Date"),
			),
			"problem_where": _("Satisfaction survey criterion {0}").format(criterion),
			"problem_when": getdate(),
		}
	)
	capa.insert()
	return capa.name


def lowest_response(criterion: str, filters) -> frappe._dict:
	"""The answered response in the report's selection that scored ``criterion`` lowest."""
	response, score = frappe.qb.DocType(RESPONSE), frappe.qb.DocType("Satisfaction Survey Score")
	query = (
		frappe.qb.from_(score)
		.join(response)
		.on(response.name == score.parent)
		.select(response.name, response.company, response.period, response.survey_date)
		.where(
			(score.parenttype == RESPONSE)
			& (score.criterion == criterion)
			& (response.status == rules.ANSWERED)
		)
		.orderby(score.score_percent)
		.orderby(response.responded_on, order=frappe.qb.desc)
	)
	for field in ("company", "plan"):
		if filters.get(field):
			query = query.where(response[field] == filters[field])
	for row in query.run(as_dict=True):
		day = (
			rules.parse_period(row.period).start
			if row.period
			else (getdate(row.survey_date) if row.survey_date else None)
		)
		if day and filters.from_date <= day <= filters.to_date:
			return row
	frappe.throw(_("No answered survey rates {0} in this selection.").format(criterion))
