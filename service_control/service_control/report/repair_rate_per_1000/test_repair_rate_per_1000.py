# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from service_control.core.repair import period_key
from service_control.service_control.report.repair_rate_per_1000.repair_rate_per_1000 import execute
from service_control.tests.repair_factories import make_repair_masters, make_repair_request
from service_control.tests.utils import (
	TEST_COMPANY,
	TEST_IGNORE,
	make_customer,
	make_delivery_note,
	make_item,
)

test_ignore = TEST_IGNORE
ITEM = "_Test SC R1000 Item"


class TestRepairRatePer1000(FrappeTestCase):
	def setUp(self):
		make_repair_masters()
		make_item(ITEM)

	def tearDown(self):
		frappe.db.rollback()

	def test_repairs_per_thousand_delivered(self):
		make_delivery_note(make_customer(), ITEM, qty=1500, rate=10)
		make_delivery_note(make_customer(), ITEM, qty=500, rate=10)
		for _i in range(3):
			make_repair_request(None, item_code=ITEM)
		cancelled = make_repair_request(None, item_code=ITEM)
		cancelled.change_status("Cancelled", "Registered twice")
		today = getdate()
		_columns, data, _message, _chart, summary = execute(
			{"company": TEST_COMPANY, "item_code": ITEM, "from_date": today.replace(day=1), "to_date": today}
		)
		self.assertEqual(len(data), 1)
		row = data[0]
		self.assertEqual(row["period"], period_key(today))
		self.assertEqual((row["repairs"], row["delivered_qty"], row["r_per_1000"]), (3, 2000, 1.5))
		self.assertEqual({s["label"]: s["value"] for s in summary}["R/1000"], 1.5)
