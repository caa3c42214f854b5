"""Escalation notifications: sends the Service Escalation Log rows the sweep logged.

Each row is claimed and sent once (``service_control.notifications.send_pending``) to the
escalation level of the case's company: the case owner and / or the users of the level's role,
by assignment and alert.
"""

import frappe
from frappe import _

from service_control.core import settings as settings_rules
from service_control.notifications import alert, assign, get_enabled_users_with_role, real_users, send_pending
from service_control.service_control.sla.clocks import CLOCK_PARENTS
from service_control.utils import get_settings


def notify_pending(limit: int = 500) -> int:
	"""Notify the escalation log rows this run claims; each row is sent once, to the level of
	the case's company (its own levels when it has any, else the default ones)."""
	rows = get_settings().escalation_levels
	per_company = any(settings_rules.row_company(row) for row in rows)
	levels: dict[str | None, dict] = {}

	def level_of(row):
		company = (
			frappe.db.get_value(row.reference_doctype, row.reference_name, "company") if per_company else None
		)
		if company not in levels:
			levels[company] = {lv.level: lv for lv in settings_rules.rows_for_company(rows, company)}
		return levels[company].get(row.level)

	def send(row) -> list[str]:
		recipients = _recipients(row, level_of(row))
		_notify(row, recipients)
		return recipients

	return send_pending(
		"Service Escalation Log",
		["reference_doctype", "reference_name", "stage", "level", "trigger"],
		send,
		error_title=_("SLA escalation failed"),
		reference=lambda row: (row.reference_doctype, row.reference_name),
		limit=limit,
	)


def _recipients(row, level) -> list[str]:
	"""The case owner (``notify_owner``) and the users of the level's role; a doctype with an
	``escalation_role`` in CLOCK_PARENTS (Internal Complaint: HR Manager) has every level with a
	role notify that role instead, so its escalations stay with the department that owns it."""
	users = []
	meta = CLOCK_PARENTS.get(row.reference_doctype, {})
	if level and level.notify_owner:
		owner, creator = frappe.db.get_value(
			row.reference_doctype, row.reference_name, [meta.get("owner_field") or "owner", "owner"]
		)
		users.append(owner or creator)
	if level and level.role:
		users += get_enabled_users_with_role(meta.get("escalation_role") or level.role)
	return real_users(users)


def _notify(row, recipients: list[str]) -> None:
	if not recipients:
		return
	subject = _("SLA {0}: {1} {2}, stage {3} (escalation level {4})").format(
		_(row.trigger), _(row.reference_doctype), row.reference_name, _(row.stage), row.level
	)
	assign(recipients, subject, row.reference_doctype, row.reference_name, notify=True)
	alert(recipients, subject, row.reference_doctype, row.reference_name)
