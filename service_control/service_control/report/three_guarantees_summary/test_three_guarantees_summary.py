# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from service_control.core.repair import period_key
from service_control.service_control.report.three_guarantees_summary.three_guarantees_summary import execute
from service_control.tests.repair_factories import make_repair_masters, make_repair_request
from service_control.tests.utils import (
	TEST_COMPANY,
	TEST_IGNORE,
	make_customer,
	make_delivery_note,
	make_item,
)

test_ignore = TEST_IGNORE
ITEM = "_Test SC 3G Item"


class TestThreeGuaranteesSummary(FrappeTestCase):
	def setUp(self):
		make_repair_masters()
		make_item(ITEM)

	def tearDown(self):
		frappe.db.rollback()

	def test_monthly_and_annual_counts(self):
		dn = make_delivery_note(make_customer(), ITEM, qty=5, rate=100)
		free = make_repair_request(None, item_code=ITEM, delivery_note=dn.name)
		self.assertEqual(free.chargeable, 0)
		make_repair_request(None, item_code=ITEM, delivery_note=dn.name, remedy="Replace")
		make_repair_request(None, item_code=ITEM, delivery_note=dn.name, remedy="Refund")
		charged = make_repair_request(None, item_code=ITEM)  # no delivery or warranty known
		self.assertEqual(charged.chargeable, 1)
		cancelled = make_repair_request(None, item_code=ITEM, delivery_note=dn.name)
		cancelled.change_status("Cancelled", "Wrong item")
		today = getdate()
		filters = {
			"company": TEST_COMPANY,
			"item_code": ITEM,
			"from_date": today.replace(day=1),
			"to_date": today,
		}
		for periodicity in ("Monthly", "Annual"):
			_columns, data, _message, chart = execute({**filters, "periodicity": periodicity})
			self.assertEqual(len(data), 1)
			row = data[0]
			self.assertEqual(row["period"], period_key(today, periodicity))
			self.assertEqual(
				(row["repair_free"], row["repair_chargeable"], row["replace"], row["refund"], row["total"]),
				(1, 1, 1, 1, 4),
			)
			self.assertTrue(chart)
