"""Complaints repeat the state of each stage clock (``first_reply_sla`` …), which SLA Performance
counts without a lookup of a clock per complaint. One statement per stage fills them."""

import frappe

from service_control.service_control.sla.clocks import CLOCK_PARENTS


def execute():
	for stage, fieldname in CLOCK_PARENTS["Customer Complaint"]["stage_fields"].items():
		frappe.db.sql(
			f"""update `tabCustomer Complaint` c
			join `tabService SLA Clock` k
				on k.parent = c.name and k.parenttype = 'Customer Complaint' and k.stage = %s
			set c.`{fieldname}` = k.state""",
			stage,
		)
