# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""A unit of the installed base moves to another end customer (a dealer resells it, the customer
sells it on) or to another site. The submitted transfers of a serial number are its history: each
records where the unit came from and where it went; nothing is overwritten. Thin adapter: the
rules are in service_control.core.installed_base."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from service_control.core import installed_base as rules
from service_control.service_control import installed_base
from service_control.utils import domain_errors


class InstalledBaseTransfer(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amended_from: DF.Link | None
		from_address: DF.Link | None
		from_customer: DF.Link | None
		item_code: DF.Link | None
		naming_series: DF.Literal["IBT-.YYYY.-"]
		reason: DF.SmallText
		serial_no: DF.Link
		to_address: DF.Link | None
		to_customer: DF.Link
		transfer_date: DF.Date
	# end: auto-generated types

	def validate(self):
		# the serial's row first: two transfers of one unit queue here
		current = installed_base.placement(self.serial_no, for_update=True)
		if self.docstatus == 0:
			self.from_customer = current.end_customer
			self.from_address = current.site_address
		with domain_errors(title=_("Invalid transfer")):
			rules.check_from(self.serial_no, current, self.from_customer, self.from_address)
			rules.check_transfer(
				self.serial_no,
				current,
				self.to_customer,
				self.to_address,
				getdate(self.transfer_date),
				getdate(today()),
				last_moved_on=self._last_moved_on(current),
			)
			rules.check_address(self.to_address, _address_owners(self.to_address), self.to_customer)

	def on_submit(self):
		current = installed_base.placement(self.serial_no)
		installed_base.set_placement(
			self.serial_no, rules.transferred(current, self.to_customer, self.to_address)
		)

	def before_cancel(self):
		installed_base.placement(self.serial_no, for_update=True)
		with domain_errors(title=_("Cannot cancel the transfer")):
			rules.check_cancel_transfer(self.name, latest_transfer(self.serial_no))

	def on_cancel(self):
		current = installed_base.placement(self.serial_no)
		installed_base.set_placement(
			self.serial_no, rules.transferred(current, self.from_customer, self.from_address)
		)

	def _last_moved_on(self, current: rules.Placement):
		last = latest_transfer(self.serial_no, exclude=self.name)
		moved = (
			getdate(frappe.db.get_value("Installed Base Transfer", last, "transfer_date")) if last else None
		)
		return max(d for d in (moved, current.in_use_since) if d) if (moved or current.in_use_since) else None


def latest_transfer(serial_no: str, exclude: str | None = None) -> str | None:
	"""The newest submitted transfer of the unit."""
	return frappe.db.get_value(
		"Installed Base Transfer",
		{"serial_no": serial_no, "docstatus": 1, "name": ("!=", exclude or "")},
		"name",
		order_by="transfer_date desc, creation desc",
	)


def _address_owners(address: str | None) -> list[str]:
	if not address:
		return []
	return frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Address", "parent": address, "link_doctype": "Customer"},
		pluck="link_name",
	)
