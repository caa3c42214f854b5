"""A reply deadline the customer asks for caps the first reply only once accepted.

Settings get the default minimum lead (4 working hours; a Single keeps no default of a field
added later). Complaints filed before keep the cap they had: their requested deadline counts as
accepted, by nobody in particular.
"""

import frappe


def execute():
	stored = frappe.db.sql(
		"""select 1 from `tabSingles`
		where doctype = 'Service Control Settings' and field = 'min_deadline_lead_hours'"""
	)
	if not stored:
		frappe.db.set_single_value("Service Control Settings", "min_deadline_lead_hours", 4)
	frappe.db.sql(
		"""update `tabCustomer Complaint` set accepted_deadline = customer_deadline
		where customer_deadline is not null and accepted_deadline is null"""
	)
