"""Shared plumbing of the scheduled jobs: set-based logs, then one notification per claimed row.

The SLA sweep and the daily CAPA run work the same way: an ``INSERT IGNORE ... SELECT`` writes
one log row per event, named by a hash of the event, so a second run or a concurrent worker
inserts nothing; then each run claims a bounded batch of Pending rows and sends each once.
"""

from collections.abc import Callable

import frappe
from frappe.utils import add_to_date, now_datetime

#: Rows claimed longer ago than this belong to a worker that died; they are claimed again.
STALE_CLAIM_HOURS = 1
#: Tries of a row whose sending lost a deadlock to a concurrent save.
SEND_ATTEMPTS = 3


def rowcount() -> int:
	"""Rows touched by the last statement (set-based updates return no result set)."""
	return frappe.db._cursor.rowcount if getattr(frappe.db, "_cursor", None) else 0


def get_enabled_users_with_role(role: str) -> list[str]:
	"""Enabled desk users holding ``role`` (one query)."""
	user, has_role = frappe.qb.DocType("User"), frappe.qb.DocType("Has Role")
	return (
		frappe.qb.from_(user)
		.join(has_role)
		.on(has_role.parent == user.name)
		.select(user.name)
		.distinct()
		.where((has_role.role == role) & (has_role.parenttype == "User") & (user.enabled == 1))
		.where(user.user_type == "System User")
		.run(pluck=True)
	)


def real_users(users) -> list[str]:
	"""Distinct, sorted, without Administrator and Guest (who never act on a notification)."""
	return sorted({u for u in users if u and u not in ("Administrator", "Guest")})


def alert(users: list[str], subject: str, doctype: str, name: str, from_user: str = "Administrator") -> None:
	"""A desk notification (Notification Log, type Alert) about a document, to each user."""
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	if users:
		make_notification_logs(
			{
				"subject": subject,
				"type": "Alert",
				"document_type": doctype,
				"document_name": name,
				"from_user": from_user,
			},
			users,
		)


def assign(
	users: list[str], subject: str, doctype: str, name: str, *, date=None, notify: bool = False
) -> None:
	"""Assign the document to each user (an open ToDo in their "Assigned to me").

	The document's row is locked first, as a save of it does before it touches its ToDos: a job
	that assigned first and then updated the row's ``_assign`` would wait on a user's save that
	holds the row and waits on the job's new ToDo (a deadlock)."""
	from frappe.desk.form.assign_to import add

	if users:
		frappe.db.get_value(doctype, name, "name", for_update=True)
		add(
			{
				"assign_to": users,
				"doctype": doctype,
				"name": name,
				"description": subject,
				"date": date,
				"notify": int(notify),
			},
			ignore_permissions=True,
		)


def lost_deadlock(error: BaseException) -> bool:
	"""Whether ``error`` is MariaDB rolling this transaction back to break a deadlock."""
	if isinstance(error, frappe.QueryDeadlockError):
		return True
	return bool(error.args) and isinstance(error.args[0], int) and frappe.db.is_deadlocked(error)


def send_pending(
	log_doctype: str,
	fields: list[str],
	send: Callable[[dict], list[str]],
	*,
	error_title: str,
	reference: Callable[[dict], tuple[str, str]],
	limit: int = 500,
) -> int:
	"""Claim up to ``limit`` Pending rows of ``log_doctype`` for this run and send each once.

	``send(row)`` notifies and returns the recipients. A row that fails is rolled back to its
	savepoint, marked Failed with the traceback and logged against ``reference(row)``; the others
	go on. Outside tests each row is committed on its own, so a later failure never re-sends or
	loses one. A row whose sending lost a deadlock (MariaDB rolled back the whole transaction,
	savepoint included) is sent again, up to ``SEND_ATTEMPTS`` times, then left Pending for the
	next run: sending is idempotent until its row is marked Sent. The log doctype has the fields
	status (Pending / Sending / Sent / Failed), claim, recipients, notified_on and error; an index
	on status keeps the claim cheap.
	"""
	claim, now = frappe.generate_hash(length=12), now_datetime()
	# A worker that died mid-run leaves rows in Sending: after an hour they are sent again
	# (at least once beats never; the claim time is kept in `modified`).
	frappe.db.sql(
		f"""update `tab{log_doctype}` set status = 'Pending'
		where status = 'Sending' and modified < %s""",
		(add_to_date(now, hours=-STALE_CLAIM_HOURS),),
	)
	frappe.db.sql(
		f"""update `tab{log_doctype}` set status = 'Sending', claim = %s, modified = %s
		where status = 'Pending' limit %s""",
		(claim, now, limit),
	)
	rows = frappe.get_all(
		log_doctype, filters={"claim": claim, "status": "Sending"}, fields=["name", *fields]
	)
	if not frappe.flags.in_test:
		frappe.db.commit()  # the claim holds whatever happens to the rows below
	sent = 0
	for row in rows:
		for attempt in range(1, SEND_ATTEMPTS + 1):
			frappe.db.savepoint("sc_notify")
			try:
				recipients = send(row)
				frappe.db.set_value(
					log_doctype,
					row.name,
					{"status": "Sent", "recipients": "\n".join(recipients), "notified_on": now_datetime()},
					update_modified=False,
				)
				sent += 1
			except Exception as e:
				if lost_deadlock(e) and not frappe.flags.in_test:
					# the whole transaction is gone: this row's work only, the rows before are committed
					frappe.db.rollback()
					if attempt < SEND_ATTEMPTS:
						continue
					frappe.db.set_value(log_doctype, row.name, "status", "Pending", update_modified=False)
				else:
					frappe.db.rollback(save_point="sc_notify")
					frappe.db.set_value(
						log_doctype, row.name, {"status": "Failed", "error": frappe.get_traceback()[-1000:]}
					)
					reference_doctype, reference_name = reference(row)
					frappe.log_error(
						title=error_title, reference_doctype=reference_doctype, reference_name=reference_name
					)
			break
		if not frappe.flags.in_test:
			frappe.db.commit()  # nosemgrep: one row per transaction, see the docstring
	return sent
