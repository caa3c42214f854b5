# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""货物交付验收清单: the customer checks a submitted delivery and signs for it.

The rows are the delivery's items and serial numbers (from the Delivery Note, serials read from
its Serial and Batch Bundles); the checklist is the documents and accessories the delivery's
item groups call for (Delivery Checklist Template, one per item group, rows per delivery or per
unit) plus the rows a contract adds by hand. Submitting records the customer's result on the
Delivery Note (``sc_acceptance_status``: Awaiting Acceptance from the delivery's submit, then
Accepted / Accepted with Remarks / Rejected); cancelling puts it back to Awaiting Acceptance.
A rejection offers a Customer Complaint with the delivery's references filled.

One open acceptance per delivery: a second draft or submitted one is refused while the first is
not cancelled. Saves of one delivery's acceptances queue on the Delivery Note's row (locked
before the check), so two users cannot both create one. The rules are
``service_control.core.delivery``'s.
"""

import frappe
from frappe import _
from frappe.model.document import Document

from service_control.core import delivery as rules
from service_control.portal import customer_condition, get_portal_customers, is_portal_user
from service_control.service_control import delivery as dn
from service_control.utils import domain_errors


class DeliveryAcceptance(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.delivery_acceptance_checklist.delivery_acceptance_checklist import (
			DeliveryAcceptanceChecklist,
		)
		from service_control.service_control.doctype.delivery_acceptance_item.delivery_acceptance_item import (
			DeliveryAcceptanceItem,
		)

		amended_from: DF.Link | None
		checklist: DF.Table[DeliveryAcceptanceChecklist]
		company: DF.Link | None
		customer: DF.Link | None
		customer_name: DF.Data | None
		delivery_date: DF.Date | None
		delivery_note: DF.Link
		installation_note: DF.Link | None
		items: DF.Table[DeliveryAcceptanceItem]
		naming_series: DF.Literal["DA-.YYYY.-"]
		remarks: DF.SmallText | None
		result: DF.Literal["", "Accepted", "Accepted with Remarks", "Rejected"]
		signature: DF.Signature | None
		signed_on: DF.Date | None
		signer_name: DF.Data | None
		signer_position: DF.Data | None
	# end: auto-generated types

	def validate(self):
		header = dn.lock_delivery(self.delivery_note)
		with domain_errors(title=_("Cannot record the acceptance")):
			rules.check_delivery_submitted(self.delivery_note, header.docstatus, header.is_return)
			rules.check_no_other_open(
				self.delivery_note,
				dn.other_open(self.doctype, self.delivery_note, None if self.is_new() else self.name),
				_("Delivery Acceptance"),
			)
			self._check_installation_note(header)
			if not self.items:
				self.set("items", dn.rows_from_delivery(self.delivery_note))
			rules.check_rows_on_delivery(
				dn.claimed_rows(self), dn.delivered_rows(self.delivery_note), self.delivery_note
			)
		if self.is_new() and not self.checklist:
			self.set("checklist", checklist_for(self.items))
		for row in self.checklist:
			row.delivered, row.delivered_qty = rules.normalise_checklist_row(
				row.delivered, row.delivered_qty or 0, row.required_qty or 0
			)

	def before_submit(self):
		short = rules.short_rows(
			(row.idx, row.document, row.required_qty, row.delivered_qty) for row in self.checklist
		)
		with domain_errors(title=_("Cannot submit the acceptance")):
			rules.check_acceptance_complete(
				self.result, self.remarks, self.signer_name, self.signed_on, self.signature, short
			)

	def on_submit(self):
		self._set_delivery_status(rules.delivery_status(self.result, submitted=True))

	def on_cancel(self):
		self._set_delivery_status(rules.delivery_status(self.result, submitted=False))

	def _set_delivery_status(self, status: str) -> None:
		frappe.db.set_value(
			"Delivery Note", self.delivery_note, "sc_acceptance_status", status, update_modified=False
		)

	def _check_installation_note(self, header) -> None:
		"""An installation note names the delivery it installed (its rows' Delivery Note)."""
		if not self.installation_note:
			return
		note = frappe.db.get_value(
			"Installation Note", self.installation_note, ["docstatus", "customer"], as_dict=True
		)
		if not note or note.docstatus != 1:
			raise rules.DeliveryError(_("Installation Note {0} is not submitted."), self.installation_note)
		rules.check_same_customer(self.delivery_note, header.customer, note.customer)
		if not frappe.db.exists(
			"Installation Note Item",
			{"parent": self.installation_note, "prevdoc_docname": self.delivery_note},
		):
			raise rules.DeliveryError(
				_("Installation Note {0} does not install Delivery Note {1}."),
				self.installation_note,
				self.delivery_note,
			)


def checklist_for(items) -> list[dict]:
	"""The checklist rows of the item groups on ``items`` (their enabled templates)."""
	units: dict[str, float] = {}
	for row in items:
		group = row.get("item_group") or frappe.get_cached_value("Item", row.get("item_code"), "item_group")
		if group:
			units[group] = units.get(group, 0) + (row.get("qty") or 0)
	templates = {}
	for group in units:
		name = frappe.db.get_value("Delivery Checklist Template", {"item_group": group, "disabled": 0})
		if name:
			templates[group] = [
				rules.TemplateRow(r.document, r.category, r.required_qty or 0, bool(r.per_unit))
				for r in frappe.get_doc("Delivery Checklist Template", name).items
			]
	return rules.checklist_from_templates(units, templates)


@frappe.whitelist()
def make_delivery_acceptance(source_name: str, target_doc: str | dict | None = None) -> Document:
	"""A new acceptance of Delivery Note ``source_name``, its rows and checklist filled."""
	frappe.has_permission("Delivery Note", "read", source_name, throw=True)
	doc = frappe.new_doc("Delivery Acceptance")
	doc.delivery_note = source_name
	header = dn.lock_delivery(source_name)
	with domain_errors(title=_("Cannot record the acceptance")):
		rules.check_delivery_submitted(source_name, header.docstatus, header.is_return)
	doc.update(
		frappe.db.get_value(
			"Delivery Note",
			source_name,
			["company", "customer", "customer_name", "posting_date as delivery_date"],
			as_dict=True,
		)
	)
	doc.set("items", dn.rows_from_delivery(source_name))
	doc.set("checklist", checklist_for(doc.items))
	return doc


@frappe.whitelist()
def make_customer_complaint(source_name: str, target_doc: str | dict | None = None) -> Document:
	"""A Customer Complaint about a rejected delivery: customer, company, Delivery Note, the first
	item (and its serial, if one) and the customer's remarks filled in."""
	acceptance = frappe.get_doc("Delivery Acceptance", source_name)
	acceptance.check_permission("read")
	if acceptance.docstatus != 1 or acceptance.result != rules.REJECTED:
		frappe.throw(_("Only a submitted, rejected acceptance opens a complaint."))
	complaint = frappe.new_doc("Customer Complaint")
	complaint.update(
		{
			"company": acceptance.company,
			"customer": acceptance.customer,
			"delivery_note": acceptance.delivery_note,
			"channel": "Visit",
			"description": _("Delivery rejected at acceptance {0}: {1}").format(
				acceptance.name, acceptance.remarks
			),
		}
	)
	if acceptance.items:
		row = acceptance.items[0]
		serials = rules.parse_serials(row.serial_no)
		complaint.update(
			{
				"item_code": row.item_code,
				"affected_qty": row.qty,
				"serial_no": serials[0] if len(serials) == 1 else None,
				"batch_no": row.batch_no,
			}
		)
	return complaint


# ------------------------------------------------------------------------------------------
# Permissions: a portal user (Customer role) reads and prints the acceptances of their own
# customers and nothing else; they sign through ``portal.sign``, never by writing the document.

PORTAL_PTYPES = ("read", "print")


def get_permission_query_conditions(user: str | None = None) -> str:
	return customer_condition("Delivery Acceptance", user) or ""


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if not is_portal_user(user):
		return True
	return (ptype or "read") in PORTAL_PTYPES and doc.customer in get_portal_customers(user)


def has_website_permission(doc, ptype, user, verbose=False) -> bool:
	return has_permission(doc, ptype, user)
