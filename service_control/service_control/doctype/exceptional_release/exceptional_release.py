# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""紧急放行单: goods delivered before every planned inspection is complete.

Made against a draft Delivery Note, it names the rows (items, serial numbers, batches) whose
item needs an inspection before delivery that is missing, not submitted or rejected, the reason,
and the customer's recorded consent (who, when, how, the letter or e-mail attached). A Quality
Manager other than the requester approves it by submitting it. With it submitted, the Delivery
Note passes ERPNext's inspection check for exactly those rows (see
``service_control.overrides.delivery_note``) and links the release; the rows here are the record
of what was released by exception, which the Exceptionally Released Goods report lists for
recall or replacement. Cancelling is refused once the delivery is submitted (cancel it first).
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from service_control.core import delivery as rules
from service_control.service_control import delivery as dn
from service_control.utils import domain_errors


class ExceptionalRelease(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.exceptional_release_item.exceptional_release_item import (
			ExceptionalReleaseItem,
		)

		amended_from: DF.Link | None
		approved_by: DF.Link | None
		approved_on: DF.Datetime | None
		company: DF.Link | None
		consent_attachment: DF.Attach | None
		consent_given_by: DF.Data
		consent_method: DF.Literal["", "Letter", "E-mail", "Fax", "Phone", "Visit", "Contract Clause"]
		consent_on: DF.Datetime
		customer: DF.Link | None
		customer_name: DF.Data | None
		delivery_note: DF.Link
		follow_up: DF.SmallText | None
		items: DF.Table[ExceptionalReleaseItem]
		naming_series: DF.Literal["ER-.YYYY.-"]
		reason: DF.SmallText
		requested_by: DF.Link | None
	# end: auto-generated types

	def validate(self):
		header = dn.lock_delivery(self.delivery_note)
		if self.is_new() or not self.requested_by:
			self.requested_by = self.requested_by or frappe.session.user
		with domain_errors(title=_("Cannot record the exceptional release")):
			rules.check_delivery_draft(self.delivery_note, header.docstatus, header.is_return)
			rules.check_no_other_open(
				self.delivery_note,
				dn.other_open(self.doctype, self.delivery_note, None if self.is_new() else self.name),
				_("Exceptional Release"),
			)
			if not self.items:
				self.set("items", rows_awaiting_inspection(self.delivery_note))
			pending = awaiting_inspection(self.delivery_note)
			rules.check_release_rows(dn.claimed_rows(self), pending, self.delivery_note)
			rules.check_rows_on_delivery(
				dn.claimed_rows(self), dn.delivered_rows(self.delivery_note), self.delivery_note
			)
			rules.check_consent(self.consent_given_by, self.consent_on, self.consent_method)
		qi = frappe._dict(
			frappe.get_all(
				"Delivery Note Item",
				filters={"parent": self.delivery_note},
				fields=["name", "quality_inspection"],
				as_list=True,
			)
		)
		for row in self.items:
			row.quality_inspection = qi.get(row.dn_detail)
			row.inspection_status = pending.get(row.dn_detail)

	def before_submit(self):
		with domain_errors(title=_("Cannot approve the exceptional release")):
			rules.check_release_approver(frappe.session.user, self.requested_by, frappe.get_roles())
		self.approved_by = frappe.session.user
		self.approved_on = now_datetime()

	def before_cancel(self):
		docstatus = frappe.db.get_value("Delivery Note", self.delivery_note, "docstatus")
		with domain_errors(title=_("Cannot cancel the exceptional release")):
			rules.check_release_cancel(self.delivery_note, docstatus)


def awaiting_inspection(delivery_note: str) -> dict[str, str]:
	"""dn_detail -> inspection state of the rows whose item needs an inspection before delivery
	that has not passed (missing, not submitted, rejected)."""
	rows = frappe.get_all(
		"Delivery Note Item",
		filters={"parent": delivery_note, "parenttype": "Delivery Note"},
		fields=["name", "item_code", "quality_inspection"],
	)
	out = {}
	for row in rows:
		if not frappe.get_cached_value("Item", row.item_code, "inspection_required_before_delivery"):
			continue
		qi = (
			frappe.db.get_value(
				"Quality Inspection", row.quality_inspection, ["docstatus", "status"], as_dict=True
			)
			if row.quality_inspection
			else None
		) or frappe._dict()
		state = rules.inspection_state(row.quality_inspection, qi.docstatus, qi.status)
		if state != rules.QI_ACCEPTED:
			out[row.name] = state
	return out


def rows_awaiting_inspection(delivery_note: str) -> list[dict]:
	pending = awaiting_inspection(delivery_note)
	return [
		{k: v for k, v in row.items() if k != "item_group"}
		for row in dn.rows_from_delivery(delivery_note)
		if row["dn_detail"] in pending
	]


@frappe.whitelist()
def make_exceptional_release(source_name: str, target_doc: str | dict | None = None) -> Document:
	"""A new release for draft Delivery Note ``source_name`` with its rows awaiting inspection."""
	frappe.has_permission("Delivery Note", "read", source_name, throw=True)
	header = dn.lock_delivery(source_name)
	with domain_errors(title=_("Cannot record the exceptional release")):
		rules.check_delivery_draft(source_name, header.docstatus, header.is_return)
	doc = frappe.new_doc("Exceptional Release")
	doc.update({"delivery_note": source_name, "company": header.company, "customer": header.customer})
	doc.customer_name = frappe.db.get_value("Delivery Note", source_name, "customer_name")
	doc.set("items", rows_awaiting_inspection(source_name))
	return doc
