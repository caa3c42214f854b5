"""The daily survey job: creates each due period's requests, expires old links, e-mails new ones.

Set-based and idempotent:

1. for each active plan of the year and each period due today, one SELECT finds the customers
   of the plan that have no request for that period and one INSERT IGNORE adds them (unique
   ``survey_key`` = plan|period|customer, so a second run or a concurrent worker adds nothing);
2. one UPDATE marks unanswered links past their expiry Expired;
3. each request not yet e-mailed is claimed by a conditional UPDATE (``sent_on IS NULL``) and
   only then e-mailed (queued), so a period is never sent twice;
4. the key-customer visit reminders (``visits.remind_key_customer_visits``).

Staff resend a link from the form (``resend_link``).
"""

import frappe
from frappe import _
from frappe.model.naming import parse_naming_series
from frappe.utils import cint, getdate, now_datetime

from service_control.core import survey as rules
from service_control.notifications import rowcount
from service_control.service_control.survey.links import (
	PLAN,
	RESPONSE,
	get_template,
	issue_token,
	survey_url,
)
from service_control.service_control.survey.visits import remind_key_customer_visits

RESPONSE_SERIES = "SSR-.YYYY.-"


def daily() -> None:
	"""Scheduler entry point (daily): heavy enough for the long queue, one job at a time."""
	frappe.enqueue(
		"service_control.service_control.survey.dispatch.run_daily",
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
