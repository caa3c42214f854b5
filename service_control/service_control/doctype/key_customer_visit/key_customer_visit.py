# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate


class KeyCustomerVisit(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		attendees: DF.SmallText | None
		company: DF.Link
		customer: DF.Link
		customer_attendees: DF.SmallText | None
		customer_name: DF.Data | None
		findings: DF.Text | None
		follow_up_actions: DF.Text | None
		follow_up_due: DF.Date | None
		follow_up_owner: DF.Link | None
		naming_series: DF.Literal["KCV-.YYYY.-"]
		purpose: DF.SmallText | None
		status: DF.Literal["Planned", "Completed", "Cancelled"]
		visit_date: DF.Date
		visited_by: DF.Link | None
	# end: auto-generated types

	def validate(self):
		if self.status == "Completed":
			if getdate(self.visit_date) > getdate():
				frappe.throw(_("A completed visit cannot be dated in the future."))
			if not (self.findings or "").strip():
				frappe.throw(_("Record the findings of the completed visit."))
		if self.is_new() and frappe.db.get_value("Customer", self.customer, "disabled"):
			frappe.throw(_("Customer {0} is disabled.").format(self.customer))
		if not frappe.db.get_value("Customer", self.customer, "sc_key_customer"):
			frappe.msgprint(
				_("{0} is not flagged as a key customer.").format(self.customer_name or self.customer),
				indicator="orange",
				alert=True,
			)

	def on_update(self):
		if self.status in ("Completed", "Cancelled"):
			self._close_reminders()

	def _close_reminders(self) -> None:
		todo = frappe.qb.DocType("ToDo")
		frappe.qb.update(todo).set(todo.status, "Closed").where(
			(todo.reference_type == self.doctype)
			& (todo.reference_name == self.name)
			& (todo.status == "Open")
		).run()
