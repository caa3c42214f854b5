# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from service_control.service_control.capa_sweep import OVERDUE, _log_actions, notify_pending
from service_control.tests.utils import TEST_IGNORE, advance_capa_to, make_corrective_action

test_ignore = TEST_IGNORE


class TestCorrectiveActionLog(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_an_overdue_row_is_logged_once_and_claimed_once(self):
		capa = make_corrective_action(days_ago=20)
		advance_capa_to(capa, "Approved", actions=[{"action": "x", "due_date": add_days(getdate(), -1)}])
		today = getdate()
		self.assertGreaterEqual(_log_actions(OVERDUE, "i.due_date < %(start)s", today, today), 1)
		self.assertEqual(_log_actions(OVERDUE, "i.due_date < %(start)s", today, today), 0)
		log = frappe.get_all(
			"Corrective Action Log",
			filters={"row_name": capa.actions[0].name},
			fields=["name", "status", "event", "corrective_action"],
		)
		self.assertEqual(len(log), 1)
		self.assertEqual(
			(log[0].status, log[0].event, log[0].corrective_action), ("Pending", OVERDUE, capa.name)
		)
		self.assertGreaterEqual(notify_pending(), 1)
		self.assertEqual(frappe.db.get_value("Corrective Action Log", log[0].name, "status"), "Sent")
		self.assertEqual(notify_pending(), 0)
