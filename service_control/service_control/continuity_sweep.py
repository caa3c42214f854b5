"""The daily run of service continuity: reminders of approved plans past their review date and of
plans not tested within their interval, each once per plan and due date.

Set-based and idempotent like the daily CAPA and feedback runs, on the same plumbing
(service_control.notifications): one ``INSERT IGNORE ... SELECT`` per event writes a Continuity
Reminder Log row named by the md5 of event, plan and due date, so a second run or a concurrent
worker inserts nothing; then the rows a run claims are sent, each once. A review or a test moves
the date and so opens the next period, which earns a new reminder. The selection is the core's
(service_control.core.continuity: review_is_due, is_test_overdue), written as SQL on the indexed
date columns; ``test_continuity_plan.test_daily_job_selects_what_the_core_selects`` runs this job
on generated plans and asserts it logs exactly what those functions select.
"""

from datetime import date

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from service_control.notifications import alert, real_users, rowcount, send_pending

PLAN = "Continuity Plan"
LOG = "Continuity Reminder Log"
REVIEW_DUE = "Review Due"
TEST_DUE = "Test Due"

#: The date column of each event: core.continuity.review_is_due / is_test_overdue as SQL
#: (an approved plan whose date is before today).
DATE_FIELD = {REVIEW_DUE: "next_review_date", TEST_DUE: "next_test_due"}


def run_daily(today: date | None = None) -> dict:
	"""Scheduler entry point (hooks: scheduler_events["daily_long"])."""
	today = getdate(today)
	stats = {event: _log(event, today) for event in (REVIEW_DUE, TEST_DUE)}
	stats["notified"] = notify_pending()
	return stats


def _log(event: str, today: date) -> int:
	column = DATE_FIELD[event]
	frappe.db.sql(
		f"""
		insert ignore into `tabContinuity Reminder Log`
			(name, creation, modified, owner, modified_by, docstatus, plan, event, due_date, status)
		select md5(concat_ws('|', %(event)s, p.name, p.{column})), %(now)s, %(now)s,
			'Administrator', 'Administrator', 0, p.name, %(event)s, p.{column}, 'Pending'
		from `tabContinuity Plan` p
		where p.docstatus = 1 and p.{column} < %(today)s
		""",
		{"event": event, "now": now_datetime(), "today": today},
	)
	return rowcount()


def notify_pending(limit: int = 500) -> int:
	return send_pending(
		LOG,
		["plan", "event", "due_date"],
		_send,
		error_title=_("Continuity reminder failed"),
		reference=lambda row: (PLAN, row.plan),
		limit=limit,
	)


def _send(row) -> list[str]:
	plan = (
		frappe.db.get_value(PLAN, row.plan, ["title", "plan_owner", "owner"], as_dict=True) or frappe._dict()
	)
	users = real_users([plan.plan_owner or plan.owner])
	if row.event == REVIEW_DUE:
		subject = _("Continuity plan {0} ({1}) was due for review on {2}.")
	else:
		subject = _("Continuity plan {0} ({1}) was due for a test on {2}.")
	alert(
		users, subject.format(row.plan, plan.title or "", frappe.format(row.due_date, "Date")), PLAN, row.plan
	)
	return users
