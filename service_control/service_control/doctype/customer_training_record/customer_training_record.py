# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""客户培训记录表: engineers train the customer's staff on use and operation; the customer
evaluates the training's effect and signs.

The record names the customer, the site (an Address of the customer), the delivery it belongs to
(a submitted Delivery Note of that customer, or an Installation Note of it) and the serial
numbers trained on (which that delivery must have delivered), the trainers (users or employees),
date and duration, the topics (copied from a Customer Training Template, editable) and the
trainees with their attendance. Submitting needs the customer's evaluation and signature.

Which deliveries need training is decided per item group (*Training Required* on Item Group,
``sc_training_required``): training is planned per product family, as the acceptance checklist
is, and the Delivery Note row stores its item group, so the report finds deliveries that need
training with one join. A delivery is trained once a submitted record names it.
"""

import frappe
from frappe import _
from frappe.model.document import Document

from service_control.core import delivery as rules
from service_control.service_control import delivery as dn
from service_control.utils import domain_errors


class CustomerTrainingRecord(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.customer_training_topic.customer_training_topic import (
			CustomerTrainingTopic,
		)
		from service_control.service_control.doctype.customer_training_trainee.customer_training_trainee import (
			CustomerTrainingTrainee,
		)
		from service_control.service_control.doctype.customer_training_trainer.customer_training_trainer import (
			CustomerTrainingTrainer,
		)

		amended_from: DF.Link | None
		company: DF.Link
		customer: DF.Link
		customer_comments: DF.SmallText | None
		customer_name: DF.Data | None
		delivery_note: DF.Link | None
		duration_hours: DF.Float
		evaluation: DF.Literal["", "Excellent", "Good", "Satisfactory", "Poor"]
		installation_note: DF.Link | None
		naming_series: DF.Literal["CTR-.YYYY.-"]
		serial_no: DF.SmallText | None
		signed_on: DF.Date | None
		signer_name: DF.Data | None
		signer_position: DF.Data | None
		site: DF.Link | None
		template: DF.Link | None
		topics: DF.Table[CustomerTrainingTopic]
		trainees: DF.Table[CustomerTrainingTrainee]
		trainers: DF.Table[CustomerTrainingTrainer]
		training_date: DF.Date
	# end: auto-generated types

	def validate(self):
		if self.template and not self.topics:
			self.set("topics", template_topics(self.template))
		for row in self.trainers:
			if not row.trainer_name:
				row.trainer_name = (
					frappe.db.get_value("User", row.user, "full_name")
					if row.user
					else frappe.db.get_value("Employee", row.employee, "employee_name")
					if row.employee
					else None
				)
		with domain_errors(title=_("Cannot record the training")):
			self._check_delivery()
			rules.check_training(self._facts(), submitting=False)

	def before_submit(self):
		with domain_errors(title=_("Cannot submit the training record")):
			rules.check_training(self._facts(), submitting=True)

	def _facts(self) -> rules.Training:
		return rules.Training(
			duration_hours=self.duration_hours or 0,
			trainers=[(r.idx, r.user, r.employee) for r in self.trainers],
			trainees_attended=sum(1 for r in self.trainees if r.attended),
			topics=len(self.topics),
			evaluation=self.evaluation,
			signer_name=self.signer_name,
			signature=self.signature,
			signed_on=self.signed_on,
		)

	def _check_delivery(self) -> None:
		if self.site and not frappe.db.exists(
			"Dynamic Link",
			{
				"parenttype": "Address",
				"parent": self.site,
				"link_doctype": "Customer",
				"link_name": self.customer,
			},
		):
			raise rules.DeliveryError(
				_("Address {0} is not an address of customer {1}."), self.site, self.customer
			)
		if self.installation_note:
			note = frappe.db.get_value(
				"Installation Note", self.installation_note, ["docstatus", "customer"], as_dict=True
			)
			if not note or note.docstatus != 1:
				raise rules.DeliveryError(
					_("Installation Note {0} is not submitted."), self.installation_note
				)
			if note.customer != self.customer:
				raise rules.DeliveryError(
					_("Installation Note {0} belongs to another customer."), self.installation_note
				)
			if not self.delivery_note:
				self.delivery_note = frappe.db.get_value(
					"Installation Note Item", {"parent": self.installation_note}, "prevdoc_docname"
				)
		if not self.delivery_note:
			if self.serial_no:
				raise rules.DeliveryError(_("Name the Delivery Note the serial numbers were delivered on."))
			return
		header = frappe.db.get_value(
			"Delivery Note",
			self.delivery_note,
			["docstatus", "is_return", "customer", "company"],
			as_dict=True,
		)
		rules.check_delivery_submitted(self.delivery_note, header.docstatus, header.is_return)
		rules.check_same_customer(self.delivery_note, header.customer, self.customer)
		self.company = self.company or header.company
		serials = tuple(rules.parse_serials(self.serial_no))
		if serials:
			delivered = dn.delivered_rows(self.delivery_note)
			on_delivery = frozenset().union(*(r.serials for r in delivered.values()))
			missing = [s for s in serials if s not in on_delivery]
			if missing:
				raise rules.DeliveryError(
					_("Row {0}: serial no {1} was not delivered on Delivery Note {2}."),
					1,
					", ".join(missing),
					self.delivery_note,
				)


def template_topics(template: str) -> list[dict]:
	return [
		{"topic": r.topic, "description": r.description, "covered": 1}
		for r in frappe.get_doc("Customer Training Template", template).topics
	]


@frappe.whitelist()
def make_training_record(source_name: str, target_doc: str | dict | None = None) -> Document:
	"""A new training record for submitted Delivery Note ``source_name``: customer, site (its
	shipping address), serials, and the template of its first item group that has one."""
	frappe.has_permission("Delivery Note", "read", source_name, throw=True)
	note = frappe.get_doc("Delivery Note", source_name)
	with domain_errors(title=_("Cannot record the training")):
		rules.check_delivery_submitted(source_name, note.docstatus, note.is_return)
	doc = frappe.new_doc("Customer Training Record")
	doc.update(
		{
			"customer": note.customer,
			"customer_name": note.customer_name,
			"company": note.company,
			"site": note.shipping_address_name or note.customer_address,
			"delivery_note": note.name,
			"serial_no": "\n".join(
				sorted(frozenset().union(*(r.serials for r in dn.delivered_rows(source_name).values())))
			),
		}
	)
	for row in note.items:
		template = frappe.db.get_value("Customer Training Template", {"item_group": row.item_group})
		if template:
			doc.template = template
			doc.set("topics", template_topics(template))
			break
	return doc
