# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class ServiceSLAClock(Document):
	pass


def on_doctype_update():
	"""The sweep selects clocks by state and a timestamp (state changes) and by state and the
	level already escalated (escalation): one index each, so a sweep with nothing new reads
	almost nothing."""
	frappe.db.add_index("Service SLA Clock", ["state", "due_on"])
	frappe.db.add_index("Service SLA Clock", ["state", "at_risk_on"])
	frappe.db.add_index("Service SLA Clock", ["state", "escalated_level"])
