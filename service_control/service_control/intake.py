"""Converting what reached the desk into a case: a register entry (Customer Contact Log), an
ERPNext Issue or Warranty Claim becomes a Customer Complaint or a Repair Request.

The case carries the customer, contact, channel and the received time of the first contact (its
clocks start when the customer first spoke), the attachments and the mail thread; the source and
the case link each other. The source row is locked before its links are read, so a double click
returns the case the first click made (``core.front_desk.check_conversion``).
"""

from dataclasses import dataclass
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import get_datetime

from service_control.core import front_desk as rules
from service_control.utils import domain_errors

CASES = ("Customer Complaint", "Repair Request")

#: Each source's fields linking it to the case it became.
SOURCE_LINKS = {
	"Customer Contact Log": {"Customer Complaint": "customer_complaint", "Repair Request": "repair_request"},
	"Issue": {"Customer Complaint": "sc_customer_complaint", "Repair Request": "sc_repair_request"},
	"Warranty Claim": {"Customer Complaint": "sc_customer_complaint", "Repair Request": "sc_repair_request"},
}


@dataclass
class Intake:
	"""What a source says about the customer's contact, whatever its doctype."""

	company: str | None
	customer: str | None
	contact: str | None
	received_on: datetime
	channel: str
	subject: str | None
	description: str | None
	cancelled: bool = False
	item_code: str | None = None
	serial_no: str | None = None
	email: str | None = None
	phone: str | None = None


def _from_contact_log(doc) -> Intake:
	return Intake(
		company=doc.company,
		customer=doc.customer,
		contact=doc.contact,
		received_on=get_datetime(doc.received_on),
		channel=rules.CASE_CHANNELS[doc.contact_type],
		subject=doc.subject,
		description=doc.content or doc.subject,
		cancelled=doc.status == rules.CANCELLED,
		item_code=doc.item_code,
		email=doc.sender_email,
		phone=doc.caller_phone,
	)


def _from_issue(doc) -> Intake:
	opened = get_datetime(f"{doc.opening_date} {doc.opening_time or '00:00:00'}")
	return Intake(
		company=doc.company,
		customer=doc.customer,
		contact=doc.contact,
		received_on=opened,
		channel="Portal" if doc.via_customer_portal else "E-mail" if doc.raised_by else "Other",
		subject=doc.subject,
		description=doc.description or doc.subject,
		email=doc.raised_by,
	)


def _from_warranty_claim(doc) -> Intake:
	# the claim's date has no time: the claim was received when it was recorded, on that day
	created = get_datetime(doc.creation)
	received = created if created.date() == get_datetime(doc.complaint_date).date() else doc.complaint_date
	return Intake(
		company=doc.company,
		customer=doc.customer,
		contact=doc.contact_person,
		received_on=get_datetime(received),
		channel="Other",
		subject=doc.item_name or doc.item_code,
		description=doc.complaint,
		cancelled=doc.status == "Cancelled",
		item_code=doc.item_code,
		serial_no=doc.serial_no,
		email=doc.contact_email,
		phone=doc.contact_mobile,
	)


READERS = {
	"Customer Contact Log": _from_contact_log,
	"Issue": _from_issue,
	"Warranty Claim": _from_warranty_claim,
}


def _case_fields(target: str, source, intake: Intake) -> dict:
	common = {
		"company": intake.company,
		"customer": intake.customer,
		"contact": intake.contact,
		"channel": intake.channel,
		"serial_no": intake.serial_no,
		"item_code": intake.item_code,
		"contact_phone": intake.phone,
		"intake_doctype": source.doctype,
		"intake_name": source.name,
	}
	if target == "Customer Complaint":
		return {
			**common,
			"received_on": intake.received_on,
			"description": intake.description,
			"contact_email": intake.email,
		}
	return {
		**common,
		"reported_on": intake.received_on,
		"fault_type": intake.subject,
		"fault_description": intake.description,
		"warranty_claim": source.name if source.doctype == "Warranty Claim" else None,
	}


@frappe.whitelist()
def convert(source_doctype: str, source_name: str, target: str) -> str:
	"""Make ``target`` (Customer Complaint or Repair Request) from a desk record; the existing
	case when it was converted into one before."""
	if source_doctype not in SOURCE_LINKS or target not in CASES:
		frappe.throw(_("{0} cannot be converted into {1}.").format(_(source_doctype), _(target)))
	frappe.has_permission(source_doctype, "write", source_name, throw=True)
	frappe.has_permission(target, "create", throw=True)
	links = SOURCE_LINKS[source_doctype]
	# the row lock first: a second click waits here and then finds the first click's case
	frappe.db.get_value(source_doctype, source_name, "name", for_update=True)
	source = frappe.get_doc(source_doctype, source_name)
	intake = READERS[source_doctype](source)
	with domain_errors(title=_("Cannot convert")):
		existing = rules.check_conversion(
			target,
			{dt: source.get(field) for dt, field in links.items()},
			intake.cancelled,
			intake.customer,
			intake.item_code,
		)
	if existing:
		return existing
	case = frappe.new_doc(target)
	case.update(_case_fields(target, source, intake))
	case.insert()
	copy_attachments(source, case)
	link_thread(source, case)
	if source_doctype == "Customer Contact Log":
		source.set(links[target], case.name)
		source.converted_on = frappe.utils.now_datetime()
		source.flags.ignore_permissions = True
		source.save()
	else:
		source.db_set(links[target], case.name)
	return case.name


def copy_attachments(source, case) -> None:
	"""The files of the source and of the mails filed under it, attached to the case too (the
	same stored file, a second File record)."""
	file = frappe.qb.DocType("File")
	communication = frappe.qb.DocType("Communication")
	thread = (
		frappe.qb.from_(communication)
		.select(communication.name)
		.where(
			(communication.reference_doctype == source.doctype)
			& (communication.reference_name == source.name)
		)
	)
	rows = (
		frappe.qb.from_(file)
		.select(file.file_url, file.file_name, file.is_private)
		.where(
			((file.attached_to_doctype == source.doctype) & (file.attached_to_name == source.name))
			| ((file.attached_to_doctype == "Communication") & file.attached_to_name.isin(thread))
		)
		.where(file.is_folder == 0)
		.run(as_dict=True)
	)
	for row in rows:
		frappe.get_doc(
			{
				"doctype": "File",
				"file_url": row.file_url,
				"file_name": row.file_name,
				"is_private": row.is_private,
				"attached_to_doctype": case.doctype,
				"attached_to_name": case.name,
			}
		).insert(ignore_permissions=True)


def link_thread(source, case) -> None:
	"""Show the source's mails on the case's timeline too (Frappe's Communication timeline links),
	so the agent reads the whole conversation where the case is handled."""
	names = frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": source.doctype,
			"reference_name": source.name,
			"communication_type": "Communication",
		},
		pluck="name",
	)
	for name in names:
		communication = frappe.get_doc("Communication", name)
		communication.add_link(case.doctype, case.name)
		communication.flags.ignore_permissions = True
		communication.save()
