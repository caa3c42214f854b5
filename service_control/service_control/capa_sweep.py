"""The daily CAPA run: reminders, overdue escalation, effectiveness checks that fall due.

Set-based and idempotent, like the SLA sweep: one INSERT IGNORE per event writes a row to
Corrective Action Log whose name is derived from the event and the action (or check) row, so
a second run, or a concurrent worker, inserts nothing; only the rows a run claims are
notified. The selection is the core's (service_control.core.capa: needs_reminder, is_overdue,
check_falls_due; the same statuses and windows, and never a CAPA of imported history), written
here as SQL so the database does the work on indexed columns instead of loading every CAPA; the
site test ``test_corrective_action_log.test_daily_job_selects_what_the_core_selects`` runs this
job on generated CAPAs and asserts it logs exactly the rows those core functions select.

- Reminder: open actions of a live CAPA due within ``capa_reminder_days``; the owner gets a
  notification, once per row and due date (moving the date earns a new reminder).
- Overdue: open actions past their due date; escalated once per row to the Quality Managers
  (notification and assignment) and stamped ``escalated_on`` on the row.
- Effectiveness Due: the current round's check with no result whose planned date has come;
  assigned (ToDo) to the verifier (or the approver).
"""

from datetime import date

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from service_control.core import capa as rules
from service_control.notifications import (
	alert,
	assign,
	get_enabled_users_with_role,
	real_users,
	rowcount,
	send_pending,
)
from service_control.utils import get_settings

CAPA = "Corrective Action"
REMINDER = "Reminder"
OVERDUE = "Overdue"
EFFECTIVENESS_DUE = "Effectiveness Due"

#: The due-date condition of each action event, on top of "open action of a live CAPA that is not
#: imported history": the SQL of core.capa.needs_reminder (within the reminder window) and
#: is_overdue (before today).
ACTION_DUE = {
	REMINDER: "i.due_date between %(start)s and %(end)s",
	OVERDUE: "i.due_date < %(start)s",
}


def run_daily(today: date | None = None) -> dict:
	"""Scheduler entry point (hooks: scheduler_events["daily_long"])."""
	today = getdate(today)
	days = get_settings().capa_reminder_days or 0
	start, end = rules.reminder_window(today, days)
	stats = {
		REMINDER: _log_actions(REMINDER, ACTION_DUE[REMINDER], start, end),
		OVERDUE: _log_actions(OVERDUE, ACTION_DUE[OVERDUE], start, end),
		EFFECTIVENESS_DUE: _log_checks(today),
	}
	stats["notified"] = notify_pending()
	return stats


def _log_actions(event: str, due_condition: str, start: date, end: date) -> int:
	# Reminders are keyed by row and due date; an escalation by row only (exactly once).
	key = (
		"concat_ws('|', %(event)s, i.name, i.due_date)"
		if event == REMINDER
		else "concat_ws('|', %(event)s, i.name)"
	)
	frappe.db.sql(
		f"""
		insert ignore into `tabCorrective Action Log`
			(name, creation, modified, owner, modified_by, docstatus,
			corrective_action, event, row_name, due_date, status)
		select md5({key}), %(now)s, %(now)s, 'Administrator', 'Administrator', 0,
			p.name, %(event)s, i.name, i.due_date, 'Pending'
		from `tabCorrective Action Item` i
		join `tabCorrective Action` p on p.name = i.parent
		where i.parenttype = 'Corrective Action'
			and p.status in %(live)s
			and p.is_history = 0
			and i.status in %(open)s
			and {due_condition}
		""",
		{
			"event": event,
			"now": now_datetime(),
			"live": rules.ACTION_LIVE_STATUSES,
			"open": rules.OPEN_ACTION_STATUSES,
			"start": start,
			"end": end,
		},
	)
	return rowcount()


def _log_checks(today: date) -> int:
	frappe.db.sql(
		"""
		insert ignore into `tabCorrective Action Log`
			(name, creation, modified, owner, modified_by, docstatus,
			corrective_action, event, row_name, due_date, status)
		select md5(concat_ws('|', %(event)s, e.name)), %(now)s, %(now)s, 'Administrator', 'Administrator', 0,
			p.name, %(event)s, e.name, e.planned_date, 'Pending'
		from `tabCorrective Action Effectiveness` e
		join `tabCorrective Action` p on p.name = e.parent
		where e.parenttype = 'Corrective Action'
			and p.status in %(live)s
			and p.is_history = 0
			and e.`round` = p.current_round
			and coalesce(e.result, '') = ''
			and e.planned_date <= %(today)s
		""",
		{
			"event": EFFECTIVENESS_DUE,
			"now": now_datetime(),
			"live": rules.CHECK_LIVE_STATUSES,
			"today": today,
		},
	)
	return rowcount()


def notify_pending(limit: int = 500) -> int:
	"""Notify the log rows this run claims; each is sent once, failures logged and kept."""
	return send_pending(
		"Corrective Action Log",
		["corrective_action", "event", "row_name", "due_date"],
		lambda row: _SENDERS[row.event](row),
		error_title=_("CAPA notification failed"),
		reference=lambda row: ("Corrective Action", row.corrective_action),
		limit=limit,
	)


def _send_reminder(row) -> list[str]:
	owner, action = frappe.db.get_value("Corrective Action Item", row.row_name, ["action_owner", "action"])
	users = real_users([owner])
	subject = _("CAPA {0}: your action is due on {1}: {2}").format(
		row.corrective_action, frappe.format(row.due_date, "Date"), (action or "")[:80]
	)
	alert(users, subject, CAPA, row.corrective_action)
	return users


def _send_escalation(row) -> list[str]:
	owner, action = frappe.db.get_value("Corrective Action Item", row.row_name, ["action_owner", "action"])
	users = real_users(get_enabled_users_with_role(rules.QUALITY_MANAGER))
	subject = _("CAPA {0}: action of {1} overdue since {2}: {3}").format(
		row.corrective_action, owner or _("nobody"), frappe.format(row.due_date, "Date"), (action or "")[:80]
	)
	alert(users, subject, CAPA, row.corrective_action)
	assign(users, subject, CAPA, row.corrective_action)
	frappe.db.set_value(
		"Corrective Action Item", row.row_name, "escalated_on", getdate(), update_modified=False
	)
	return users


def _send_check_due(row) -> list[str]:
	verifier, approver, capa_owner = frappe.db.get_value(
		"Corrective Action", row.corrective_action, ["verifier", "approver", "capa_owner"]
	)
	users = real_users([verifier or approver or capa_owner])
	subject = _("CAPA {0}: the effectiveness check planned for {1} is due.").format(
		row.corrective_action, frappe.format(row.due_date, "Date")
	)
	assign(users, subject, CAPA, row.corrective_action, date=row.due_date)
	return users


_SENDERS = {REMINDER: _send_reminder, OVERDUE: _send_escalation, EFFECTIVENESS_DUE: _send_check_due}
