# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""送修登记: the receipt of a customer's unit for depot repair (brought in, sent by a carrier, or
received by logistics from another region). Thin adapter: the rules are in
service_control.core.depot; nothing moves stock (see service_control.service_control.depot)."""

import frappe
from frappe import _
from frappe.model.document import Document

from service_control.core import depot as rules
from service_control.service_control import depot
from service_control.utils import domain_errors


class DepotRepairReceipt(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.depot_repair_accessory.depot_repair_accessory import (
			DepotRepairAccessory,
		)

		accessories: DF.Table[DepotRepairAccessory]
		amended_from: DF.Link | None
		arrival_mode: DF.Literal["Brought In by Customer", "Carrier", "Logistics from Another Region"]
		brought_by: DF.Data | None
		carrier: DF.Data | None
		company: DF.Link | None
		condition: DF.SmallText
		customer: DF.Link | None
		customer_name: DF.Data | None
		delivered_on: DF.Datetime | None
		depot_repair_shipment: DF.Link | None
		from_region: DF.Data | None
		item_code: DF.Link | None
		naming_series: DF.Literal["DRR-.YYYY.-"]
		photo_1: DF.AttachImage | None
		photo_2: DF.AttachImage | None
		photo_3: DF.AttachImage | None
		received_by: DF.Link
		received_on: DF.Datetime
		repair_request: DF.Link
		repair_warehouse: DF.Link
		repaired_on: DF.Datetime | None
		serial_no: DF.Link | None
		shipped_on: DF.Datetime | None
		status: DF.Literal["Received", "Repaired", "Shipped", "Delivered", "Cancelled"]
		tracking_no: DF.Data | None
	# end: auto-generated types

	def validate(self):
		# the request's row first: two receipts of one request queue here before looking for each other
		request = depot.load_request(self.repair_request, for_update=True)
		if not self.serial_no:
			self.serial_no = request.serial_no
		other = depot.open_receipts({"repair_request": self.repair_request}, self.name)
		in_depot = depot.open_receipts({"serial_no": self.serial_no}, self.name) if self.serial_no else []
		with domain_errors(title=_("Invalid depot receipt")):
			rules.check_receipt(
				request,
				self.serial_no,
				other_receipt=other[0].name if other else None,
				serial_in_depot=(in_depot[0].name, in_depot[0].repair_request) if in_depot else None,
			)
			rules.check_arrival(self.arrival_mode, self.brought_by, self.carrier, self.tracking_no)
		self._check_warehouse()
		self.status = rules.receipt_status(self.docstatus, None, None, None)

	def on_submit(self):
		depot.unit_in_repair(self.serial_no)
		depot.refresh_receipt(self.name)  # a repair finished before the unit was logged in

	def on_cancel(self):
		self.db_set("status", rules.CANCELLED)
		depot.unit_back_in_use(self.serial_no)

	def _check_warehouse(self) -> None:
		company, is_group = frappe.db.get_value("Warehouse", self.repair_warehouse, ["company", "is_group"])
		if is_group or (self.company and company != self.company):
			frappe.throw(
				_("Repair Warehouse {0} must be a warehouse (not a group) of company {1}.").format(
					self.repair_warehouse, self.company
				),
				title=_("Invalid depot receipt"),
			)
