"""The daily run of the feedback handling forms (信息反馈处理单): reminders and overdue escalation of
rectification rows; and the result reported once when a form closes.

Set-based and idempotent, like the daily CAPA run (capa_sweep) and on the same plumbing
(service_control.notifications): one INSERT IGNORE per event writes a Feedback Rectification Log
row named by the md5 of the event and the row (and the due date, for reminders), so a second run
or a concurrent worker inserts nothing; then the rows a run claims are sent, each once. The
selection is the core's (service_control.core.feedback: needs_reminder, is_overdue), written as
SQL on indexed columns; ``test_feedback_handling_form.test_daily_job_selects_what_the_core_selects``
runs this job on generated rows and asserts it logs exactly what those functions select.

- Reminder: open rows of a form in Rectifying due within ``core.feedback.REMINDER_DAYS``; the row's
  owner gets a notification, once per row and due date (moving the date earns a new reminder).
- Overdue: open rows past their due date; escalated once per row to the form's investigator and
  the Quality Managers (notification and assignment), and ``escalated_on`` stamped on the row.
- Result: logged when a form closes (``log_result``) and sent at once; a sending that fails stays
  Pending and the next daily run sends it.
"""

import hashlib
from datetime import date

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from service_control.core import feedback as rules
from service_control.notifications import (
	alert,
	assign,
	get_enabled_users_with_role,
	real_users,
	rowcount,
	send_pending,
)

FORM = "Feedback Handling Form"
ROW = "Feedback Rectification"
LOG = "Feedback Rectification Log"
REMINDER = "Reminder"
OVERDUE = "Overdue"
RESULT = "Result"

#: The due-date condition of each event on top of "open row of a form in Rectifying": the SQL of
#: core.feedback.needs_reminder (within the window) and is_overdue (before today).
ROW_DUE = {
	REMINDER: "r.due_date between %(start)s and %(end)s",
	OVERDUE: "r.due_date < %(start)s",
}


def run_daily(today: date | None = None, days: int | None = None) -> dict:
	"""Scheduler entry point (hooks: scheduler_events["daily_long"])."""
	today = getdate(today)
	start, end = rules.reminder_window(today, rules.REMINDER_DAYS if days is None else days)
	stats = {event: _log_rows(event, start, end) for event in (REMINDER, OVERDUE)}
	stats["notified"] = notify_pending()
	return stats


def _log_rows(event: str, start: date, end: date) -> int:
	# a reminder is keyed by row and due date; an escalation by row only (exactly once)
	key = (
		"concat_ws('|', %(event)s, r.name, r.due_date)"
		if event == REMINDER
		else "concat_ws('|', %(event)s, r.name)"
	)
	frappe.db.sql(
		f"""
		insert ignore into `tabFeedback Rectification Log`
			(name, creation, modified, owner, modified_by, docstatus,
			feedback_form, event, row_name, due_date, status)
		select md5({key}), %(now)s, %(now)s, 'Administrator', 'Administrator', 0,
			f.name, %(event)s, r.name, r.due_date, 'Pending'
		from `tabFeedback Rectification` r
		join `tabFeedback Handling Form` f on f.name = r.parent
		where r.parenttype = 'Feedback Handling Form'
			and f.status in %(live)s
			and r.status = %(open)s
			and {ROW_DUE[event]}
		""",
		{
			"event": event,
			"now": now_datetime(),
			"live": rules.LIVE_STATUSES,
			"open": rules.ROW_OPEN,
			"start": start,
			"end": end,
		},
	)
	return rowcount()


def notify_pending(limit: int = 500) -> int:
	"""Notify the log rows this run claims; each is sent once, failures logged and kept."""
	return send_pending(
		LOG,
		["feedback_form", "event", "row_name", "due_date"],
		lambda row: _SENDERS[row.event](row),
		error_title=_("Feedback notification failed"),
		reference=lambda row: (FORM, row.feedback_form),
		limit=limit,
	)


def log_result(form: str) -> bool:
	"""Called when ``form`` closes: log its result once and send it now. False when it was logged
	before (a form is closed once; a save of a closed form sends nothing). A sending that fails
	is logged in the Error Log and left Pending for the daily run; the closing itself stands."""
	name = hashlib.md5(f"{RESULT}|{form}".encode()).hexdigest()
	now = now_datetime()
	frappe.db.sql(
		"""insert ignore into `tabFeedback Rectification Log`
			(name, creation, modified, owner, modified_by, docstatus, feedback_form, event, row_name, status)
		values (%s, %s, %s, 'Administrator', 'Administrator', 0, %s, %s, %s, 'Pending')""",
		(name, now, now, form, RESULT, form),
	)
	if not rowcount():
		return False
	frappe.db.savepoint("sc_feedback_result")
	try:
		recipients = _send_result(frappe._dict(feedback_form=form, row_name=form))
		frappe.db.set_value(
			LOG,
			name,
			{"status": "Sent", "recipients": "\n".join(recipients), "notified_on": now_datetime()},
			update_modified=False,
		)
	except Exception:
		frappe.db.rollback(save_point="sc_feedback_result")
		frappe.log_error(title=_("Feedback notification failed"), reference_doctype=FORM, reference_name=form)
	return True


# ------------------------------------------------------------------------------------------
# Senders: each returns the recipients


def _row(row_name: str):
	return (
		frappe.db.get_value(ROW, row_name, ["action_owner", "action", "department"], as_dict=True)
		or frappe._dict()
	)


def _send_reminder(row) -> list[str]:
	item = _row(row.row_name)
	users = real_users([item.action_owner])
	subject = _("Feedback {0}: your rectification is due on {1}: {2}").format(
		row.feedback_form, frappe.format(row.due_date, "Date"), (item.action or "")[:80]
	)
	alert(users, subject, FORM, row.feedback_form)
	return users


def _send_escalation(row) -> list[str]:
	item = _row(row.row_name)
	investigator = frappe.db.get_value(FORM, row.feedback_form, "investigated_by")
	users = real_users([investigator, *get_enabled_users_with_role(rules.QUALITY_MANAGER)])
	subject = _("Feedback {0}: rectification by {1} ({2}) overdue since {3}: {4}").format(
		row.feedback_form,
		item.action_owner or _("nobody"),
		item.department or "",
		frappe.format(row.due_date, "Date"),
		(item.action or "")[:80],
	)
	alert(users, subject, FORM, row.feedback_form)
	assign(users, subject, FORM, row.feedback_form)
	frappe.db.set_value(ROW, row.row_name, "escalated_on", getdate(), update_modified=False)
	return users


def _send_result(row) -> list[str]:
	"""The result to the receiving unit's user, and to the customer's contact when they asked."""
	form = frappe.get_doc(FORM, row.feedback_form)
	sent = []
	user_email = frappe.db.get_value("User", form.receiving_user, "email") if form.receiving_user else None
	if user_email and form.receiving_user in real_users([form.receiving_user]):
		frappe.sendmail(
			recipients=[user_email],
			subject=_("Feedback {0} is closed: the result").format(form.name),
			message=_result_message(form, internal=True),
			reference_doctype=FORM,
			reference_name=form.name,
			now=False,
		)
		sent.append(user_email)
	if form.answer_requested and form.contact_email:
		frappe.sendmail(
			recipients=[form.contact_email],
			subject=_("Our answer to your feedback {0}").format(form.name),
			message=_result_message(form, internal=False),
			reference_doctype=FORM,
			reference_name=form.name,
			now=False,
		)
		sent.append(form.contact_email)
	return sent


def _result_message(form, internal: bool) -> str:
	parts = []
	if internal:
		parts.append(
			"<p>{}</p>".format(
				frappe.utils.escape_html(
					_("Feedback {0} from {1}, received on {2}, is closed.").format(
						form.name,
						form.customer_name or form.customer or "",
						frappe.format(form.received_on, "Date"),
					)
				)
			)
		)
		parts.append("<h4>{}</h4>{}".format(_("Feedback"), form.feedback or ""))
	else:
		parts.append(
			"<p>{}</p>".format(frappe.utils.escape_html(_("Thank you for your feedback. Our answer:")))
		)
	parts.append("<h4>{}</h4>{}".format(_("Result"), form.result or ""))
	return "".join(parts)


_SENDERS = {
	REMINDER: _send_reminder,
	OVERDUE: _send_escalation,
	RESULT: lambda row: _send_result(frappe._dict(feedback_form=row.feedback_form)),
}
