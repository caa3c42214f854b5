# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.tests.delivery_factories import GROUP, make_delivery_masters
from service_control.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE


class TestDeliveryChecklistTemplate(FrappeTestCase):
	def test_one_template_per_item_group(self):
		make_delivery_masters()
		self.assertTrue(frappe.db.exists("Delivery Checklist Template", GROUP))
		duplicate = frappe.get_doc(
			{"doctype": "Delivery Checklist Template", "item_group": GROUP, "items": [{"document": "Manual"}]}
		)
		self.assertRaises(frappe.DuplicateEntryError, duplicate.insert)
