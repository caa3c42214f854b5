"""The scheduled SLA sweep: reviews the cases whose next check has come.

Runs every ten minutes on the long queue (hooks: ``scheduler_events``). Every case stores when
it must be looked at next (``sla_next_on``: a clock turns At Risk or Breached, an escalation
level fires), so the sweep reads the cases off that index; with nothing new it reads no row, at
any number of open cases. The cases it finds are reviewed in batches by the same core function
as a save (``core.sla_review.review_case``, see ``review``); the escalation log rows the batches
wrote are then sent by ``notify.notify_pending``.
"""

from datetime import datetime

import frappe
from frappe.utils import now_datetime

from service_control.service_control.sla.clocks import CLOCK_PARENTS
from service_control.service_control.sla.notify import notify_pending
from service_control.service_control.sla.review import BATCH_SIZE, ReviewJob


def schedule_sweep() -> None:
	"""Cron entry point: run the sweep on the long queue, one job at a time."""
	frappe.enqueue(
		"service_control.service_control.sla.sweep.run_sweep",
		queue="long",
		job_id="service_control:sla_sweep",
		deduplicate=True,
	)


def run_sweep(now: datetime | None = None, batch_size: int = BATCH_SIZE) -> dict:
	"""Review every case whose next check is at or before ``now`` (``review_due``), then send the
	escalations logged (``notify.notify_pending``). Returns the counts of both."""
	now = now or now_datetime()
	stats = review_due(now, batch_size)
	stats["notified"] = notify_pending()
	return stats


def review_due(now: datetime, batch_size: int = BATCH_SIZE) -> dict:
	"""Review, in batches, every case whose next check is at or before ``now``.

	Idempotent: a reviewed case's next check lies after ``now`` (or it has none), so a second run
	at the same instant finds nothing; an escalation log row is named by document, stage and
	level, so no level is logged twice, whatever runs concurrently. A case a user is saving at
	that moment is skipped (its row is locked): the save reviews it. A batch that loses a
	deadlock is reviewed again (``ReviewJob.next_batch``).
	"""
	stats = {"reviewed": 0, "breached": 0, "at_risk": 0, "escalations": 0}
	query = """select name from `tab{}`
		where sla_next_on <= %(now)s
		order by sla_next_on limit %(limit)s
		for update skip locked"""
	with ReviewJob(now) as job:
		for parenttype in CLOCK_PARENTS:
			while True:
				names, batch = job.next_batch(
					parenttype, query.format(parenttype), {"now": now, "limit": batch_size}
				)
				if not names:
					break
				for key, value in batch.items():
					stats[key] += value
	return stats
