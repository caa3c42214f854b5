# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from service_control.service_control.sla.notify import notify_pending
from service_control.service_control.sla.review import ReviewJob, log_name
from service_control.service_control.sla.sweep import review_due, run_sweep
from service_control.tests.utils import TEST_IGNORE, make_complaint

test_ignore = TEST_IGNORE


class TestServiceEscalationLog(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_a_level_is_logged_once_per_document_and_stage(self):
		doc = make_complaint(received_on=now_datetime() - timedelta(hours=50), urgency="Urgent")
		first = review_due(now_datetime())["escalations"]
		self.assertGreaterEqual(first, 1)
		level2 = frappe.get_all(
			"Service Escalation Log", filters={"reference_name": doc.name, "level": 2}, pluck="name"
		)
		self.assertTrue(level2)
		self.assertIn(log_name("Customer Complaint", doc.name, "Arrangement", 2), level2)
		# a second worker that had not seen the first's clock update still inserts nothing
		frappe.db.sql("update `tabService SLA Clock` set escalated_level = 0 where parent = %s", doc.name)
		with ReviewJob(now_datetime()) as job:
			second = job.review("Customer Complaint", [doc.name])["escalations"]
		self.assertEqual(second, 0)
		self.assertEqual(
			frappe.db.count("Service Escalation Log", {"reference_name": doc.name, "level": 2}), len(level2)
		)

	def test_closed_or_met_clocks_are_not_escalated(self):
		doc = make_complaint(received_on=now_datetime() - timedelta(hours=2))
		run_sweep()
		self.assertFalse(frappe.db.exists("Service Escalation Log", {"reference_name": doc.name, "level": 2}))

	def test_rows_left_sending_by_a_dead_worker_are_sent_again(self):
		doc = make_complaint(received_on=now_datetime() - timedelta(hours=50), urgency="Urgent")
		review_due(now_datetime())
		log = frappe.get_all("Service Escalation Log", filters={"reference_name": doc.name}, pluck="name")[0]
		# claimed by a worker that died: a fresh claim is left alone, an hour-old one is taken again
		frappe.db.set_value(
			"Service Escalation Log",
			log,
			{"status": "Sending", "claim": "dead-worker"},
			update_modified=False,
		)
		frappe.db.sql(
			"update `tabService Escalation Log` set modified = %s where name = %s",
			(now_datetime() - timedelta(minutes=10), log),
		)
		notify_pending()
		self.assertEqual(frappe.db.get_value("Service Escalation Log", log, "status"), "Sending")
		frappe.db.sql(
			"update `tabService Escalation Log` set modified = %s where name = %s",
			(now_datetime() - timedelta(hours=2), log),
		)
		notify_pending()
		self.assertEqual(frappe.db.get_value("Service Escalation Log", log, "status"), "Sent")
