# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE


class TestContinuityReminderLog(FrappeTestCase):
	"""The log is written by the daily job only; its rows are proven in test_continuity_plan."""

	def test_only_the_job_writes_it(self):
		meta = frappe.get_meta("Continuity Reminder Log")
		self.assertTrue(meta.in_create)
		self.assertFalse(any(p.create or p.write for p in meta.permissions))
