"""Sales Invoice events: an invoice made from a Repair Feedback bills it once and links back."""

import frappe

from service_control.service_control.doctype.repair_feedback.repair_feedback import check_not_billed


def validate(doc, method=None):
	if not doc.get("sc_repair_feedback"):
		return
	# the form's row serialises two users billing it at once; the second sees the first's invoice
	frappe.db.get_value("Repair Feedback", doc.sc_repair_feedback, "name", for_update=True)
	check_not_billed(doc.sc_repair_feedback, doc.name)


def on_submit(doc, method=None):
	if doc.get("sc_repair_feedback"):
		frappe.db.set_value("Repair Feedback", doc.sc_repair_feedback, "sales_invoice", doc.name)


def on_cancel(doc, method=None):
	if doc.get("sc_repair_feedback"):
		frappe.db.set_value("Repair Feedback", doc.sc_repair_feedback, "sales_invoice", None)
