# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.service_control.doctype.customer_training_record.customer_training_record import (
	template_topics,
)
from service_control.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE


class TestCustomerTrainingTemplate(FrappeTestCase):
	def test_topics_are_copied_covered(self):
		name = "_Test SC Template Topics"
		if not frappe.db.exists("Customer Training Template", name):
			frappe.get_doc(
				{
					"doctype": "Customer Training Template",
					"template_name": name,
					"topics": [{"topic": "Start-up"}],
				}
			).insert()
		self.assertEqual(template_topics(name), [{"topic": "Start-up", "description": None, "covered": 1}])
