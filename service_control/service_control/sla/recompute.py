"""The recompute after a calendar or policy change: reviews every open case again.

Queued on the long queue when a Holiday List's dates, a company's working week, the escalation
levels or the at-risk share change (``overrides.holiday_list``, Service Control Settings). It
reviews the open cases of the companies concerned in keyset batches with the sweep's batch
review (``review.ReviewJob``, the core's ``review_case``), so every stored deadline, each case's
Due By and its next check follow the new calendar; only what changed is written.
"""

from datetime import date, datetime

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from service_control.service_control.sla.clocks import CLOCK_PARENTS
from service_control.service_control.sla.review import BATCH_SIZE, ReviewJob


def companies_using(holiday_list: str | None) -> list[str]:
	if not holiday_list:
		return frappe.get_all("Company", pluck="name")
	from service_control.utils import get_holiday_list

	return [c for c in frappe.get_all("Company", pluck="name") if get_holiday_list(c) == holiday_list]


def recompute_open_clocks(
	holiday_list: str | None = None,
	since: date | str | None = None,
	batch_size: int = BATCH_SIZE,
	now: datetime | None = None,
	companies: list[str] | None = None,
) -> int:
	"""Review the open cases again after a calendar or policy change; returns the cases reviewed.

	``holiday_list`` limits the job to the companies whose calendar uses that list,
	``companies`` to those named (a working-hours change passes the companies whose own working
	week changed, ``core.settings.companies_with_changed_hours``); neither: every company. A
	case is open here while it has a deadline or a next check (a case every clock of which is
	held by a pause has neither: its resume reviews it). ``since``, the first day a Holiday List
	edit changed: a case whose deadlines all fall before it cannot move (``sla_last_due``) and
	is not read. Each batch is committed on its own, so a failure leaves earlier batches done and
	a rerun finishes the job; progress goes to the desk.
	"""
	now = now or now_datetime()
	using = companies_using(holiday_list)
	companies = [c for c in using if c in companies] if companies is not None else using
	if not companies:
		return 0
	where = "company in %(companies)s and (due_by is not null or sla_next_on is not null)"
	params = {"companies": companies, "limit": batch_size}
	if since:
		where += " and sla_last_due >= %(since)s"
		params["since"] = getdate(since)
	total = sum(
		frappe.db.sql(f"select count(*) from `tab{parenttype}` where {where}", params)[0][0]
		for parenttype in CLOCK_PARENTS
	)
	reviewed = 0
	with ReviewJob(now) as job:
		for parenttype in CLOCK_PARENTS:
			params["last"] = ""
			while True:
				names, batch = job.next_batch(
					parenttype,
					f"""select name from `tab{parenttype}`
					where {where} and name > %(last)s
					order by name limit %(limit)s
					for update""",
					params,
				)
				if not names:
					break
				params["last"] = names[-1]
				reviewed += batch["reviewed"]
				frappe.publish_progress(
					reviewed * 100 / max(total, 1),
					title=_("Recomputing SLA deadlines"),
					description=f"{reviewed}/{total}",
				)
	if not total:
		frappe.publish_progress(100, title=_("Recomputing SLA deadlines"), description="0/0")
	return reviewed
