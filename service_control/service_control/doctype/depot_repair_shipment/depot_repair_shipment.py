# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""返修: the return shipment of a unit received for depot repair, and its delivery to the
customer. Thin adapter: the rules are in service_control.core.depot; nothing moves stock."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime

from service_control.core import depot as rules
from service_control.service_control import depot
from service_control.utils import domain_errors


class DepotRepairShipment(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amended_from: DF.Link | None
		carrier: DF.Data
		company: DF.Link | None
		customer: DF.Link | None
		customer_name: DF.Data | None
		delivered_on: DF.Datetime | None
		depot_repair_receipt: DF.Link | None
		item_code: DF.Link | None
		naming_series: DF.Literal["DRS-.YYYY.-"]
		received_by_customer: DF.Data | None
		repair_request: DF.Link
		returned_unrepaired: DF.Check
		serial_no: DF.Link | None
		ship_to: DF.SmallText | None
		shipped_on: DF.Datetime
		status: DF.Literal["Shipped", "Delivered", "Cancelled"]
		tracking_no: DF.Data
		unrepaired_reason: DF.SmallText | None
	# end: auto-generated types

	def validate(self):
		request = depot.load_request(self.repair_request, for_update=True)
		if not self.serial_no:
			self.serial_no = request.serial_no
		receipt = (
			depot.receipt_facts(self.depot_repair_receipt)
			if self.depot_repair_receipt
			else depot.unit_receipt(self.repair_request, self.serial_no)
		)
		other = (
			frappe.db.get_value(
				"Depot Repair Shipment",
				{
					"depot_repair_receipt": receipt.name,
					"docstatus": ("<", 2),
					"name": ("!=", self.name or ""),
				},
				"name",
			)
			if receipt
			else None
		)
		with domain_errors(title=_("Invalid return shipment")):
			rules.check_shipment(
				request,
				self.serial_no,
				receipt,
				bool(self.returned_unrepaired),
				self.unrepaired_reason,
				_datetime(self.shipped_on),
				other_shipment=other,
			)
			rules.check_delivered(
				_datetime(self.shipped_on), _datetime(self.delivered_on), self.received_by_customer
			)
		self.depot_repair_receipt = receipt.name
		self.status = rules.DELIVERED if self.delivered_on else rules.SHIPPED

	def before_update_after_submit(self):
		with domain_errors(title=_("Invalid return shipment")):
			rules.check_delivered(
				_datetime(self.shipped_on), _datetime(self.delivered_on), self.received_by_customer
			)
		self.status = rules.DELIVERED if self.delivered_on else rules.SHIPPED

	def on_submit(self):
		depot.refresh_receipt(self.depot_repair_receipt)
		depot.unit_back_in_use(self.serial_no)

	def on_update_after_submit(self):
		depot.refresh_receipt(self.depot_repair_receipt)

	def on_cancel(self):
		self.db_set("status", rules.CANCELLED)
		depot.refresh_receipt(self.depot_repair_receipt)
		depot.unit_in_repair(self.serial_no)


def _datetime(value):
	return get_datetime(value) if value else None
