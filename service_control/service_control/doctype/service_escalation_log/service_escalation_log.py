# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class ServiceEscalationLog(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		claim: DF.Data | None
		error: DF.SmallText | None
		level: DF.Int
		notified_on: DF.Datetime | None
		recipients: DF.SmallText | None
		reference_doctype: DF.Link
		reference_name: DF.DynamicLink
		stage: DF.Data | None
		status: DF.Literal["Pending", "Sending", "Sent", "Failed"]
		trigger: DF.Data | None
	# end: auto-generated types
	"""Written by the SLA sweep only (INSERT IGNORE keyed on document, stage and level)."""


# ------------------------------------------------------------------------------------------
# Permissions: a log row names its case, stage and recipients, so it is seen only by those who
# may read the case's doctype (internal complaints are HR's: customer service and quality, who
# read the customer cases' logs, do not see theirs).


def get_permission_query_conditions(user: str | None = None) -> str:
	from service_control.service_control.sla.clocks import CLOCK_PARENTS

	user = user or frappe.session.user
	hidden = [doctype for doctype in CLOCK_PARENTS if not frappe.has_permission(doctype, "read", user=user)]
	if not hidden:
		return ""
	return "`tabService Escalation Log`.`reference_doctype` not in ({})".format(
		", ".join(frappe.db.escape(doctype) for doctype in hidden)
	)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	if not doc.reference_doctype:
		return True
	return bool(frappe.has_permission(doc.reference_doctype, "read", user=user or frappe.session.user))
