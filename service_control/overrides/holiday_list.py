"""Holiday List hooks: a changed calendar moves the deadlines of open SLA clocks."""

from datetime import timedelta

import frappe
from frappe.utils import getdate

from service_control.utils import clear_calendar_cache


def on_update(doc, method=None):
	"""Recompute, in the background, only the clocks that can span a date added or removed."""
	before = doc.get_doc_before_save()
	old = {getdate(row.holiday_date) for row in before.holidays} if before else set()
	new = {getdate(row.holiday_date) for row in doc.holidays}
	changed = old ^ new
	if not changed:
		return
	clear_calendar_cache()
	since, until = min(changed), max(changed) + timedelta(days=1)
	frappe.enqueue(
		"service_control.service_control.sla.recompute.recompute_open_clocks",
		queue="long",
		# one job per range: a second edit with another range must not be deduplicated away
		job_id=f"service_control:recompute:{doc.name}:{since}:{until}",
		deduplicate=True,
		holiday_list=doc.name,
		since=since,
		until=until,
		enqueue_after_commit=True,
	)
