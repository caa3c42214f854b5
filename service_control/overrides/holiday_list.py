"""Holiday List hooks: a changed calendar moves the deadlines of open SLA clocks."""

import frappe
from frappe.utils import getdate

from service_control.utils import clear_calendar_cache


def on_update(doc, method=None):
	"""Review, in the background, the open cases of the companies on this list whose deadlines
	reach the first date added or removed."""
	before = doc.get_doc_before_save()
	old = {getdate(row.holiday_date) for row in before.holidays} if before else set()
	new = {getdate(row.holiday_date) for row in doc.holidays}
	changed = old ^ new
	if not changed:
		return
	clear_calendar_cache()
	since, until = min(changed), max(changed)
	frappe.enqueue(
		"service_control.service_control.sla.recompute.recompute_open_clocks",
		queue="long",
		# one job per range of dates: a second edit with another range must not be deduplicated
		job_id=f"service_control:recompute:{doc.name}:{since}:{until}",
		deduplicate=True,
		holiday_list=doc.name,
		since=since,
		enqueue_after_commit=True,
	)
