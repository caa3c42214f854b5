# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from service_control.service_control.report.depot_repair_turnaround.depot_repair_turnaround import execute
from service_control.tests.depot_factories import make_depot_masters, make_receipt, sent_in_unit
from service_control.tests.repair_factories import make_feedback, mute_emails
from service_control.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE


class TestDepotRepairTurnaround(FrappeTestCase):
	def setUp(self):
		make_depot_masters()
		mute_emails(self)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_hours_from_receipt_to_repair_and_shipment(self):
		"""A unit received, repaired 10 h later and shipped 2 h after that: 10 / 2 / 12 hours on its
		row, and a unit still in the depot counts only where it has both ends."""
		_serial, _dn, request = sent_in_unit()
		receipt = make_receipt(request, submit=True)
		make_feedback(request, submit=True)
		received = now_datetime() - timedelta(days=2)
		frappe.db.set_value(
			"Depot Repair Receipt",
			receipt.name,
			{
				"received_on": received,
				"repaired_on": received + timedelta(hours=10),
				"shipped_on": received + timedelta(hours=12),
			},
		)
		_serial, _dn, waiting = sent_in_unit()
		in_depot = make_receipt(waiting, submit=True)
		frappe.db.set_value("Depot Repair Receipt", in_depot.name, "received_on", received)

		_columns, data, _message, _chart, summary = execute(
			{"from_date": (received - timedelta(days=1)).date(), "to_date": now_datetime().date()}
		)
		rows = {row.name: row for row in data}
		shipped, waiting_row = rows[receipt.name], rows[in_depot.name]
		self.assertEqual((shipped.to_repair, shipped.to_ship, shipped.total), (10, 2, 12))
		self.assertEqual((waiting_row.to_repair, waiting_row.total), (None, None))
		means = {s["label"]: s["value"] for s in summary}
		mine = [r for r in data if r.total is not None]
		self.assertEqual(
			means["Received to Shipped (Hours)"], round(sum(r.total for r in mine) / len(mine), 2)
		)
