"""Holiday List hooks: a changed calendar moves the deadlines of open SLA clocks."""

import frappe

from service_control.utils import clear_calendar_cache


def on_update(doc, method=None):
	clear_calendar_cache()
	frappe.enqueue(
		"service_control.service_control.sla.recompute_open_clocks",
		queue="long",
		job_id=f"service_control:recompute:{doc.name}",
		deduplicate=True,
		holiday_list=doc.name,
		enqueue_after_commit=True,
	)
