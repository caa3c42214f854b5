# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Complaints submitted from the customer portal (web form ``/complaints``).

A website user files a complaint for the customer their user is linked to (Customer > Portal
Users); they cannot pick another customer, nor fill the fields the company owns (assessment,
investigation, answer, closure). Everything else is validated by the same controller code as a
desk entry.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from service_control.portal import get_portal_customers, is_portal_user

#: Fields the company fills; a portal submission starts with them empty.
COMPANY_FIELDS = (
	"investigation_owner",
	"department",
	"first_response_on",
	"arrangement_plan",
	"arranged_on",
	"root_cause",
	"responsibility",
	"supplier",
	"answer_method",
	"replied_on",
	"replied_by",
	"reply",
	"satisfaction",
	"confirmed_on",
	"satisfaction_comment",
	"closed_on",
	"closed_by",
	"cancel_reason",
	"change_reason",
)
COMPANY_TABLES = ("containment_actions", "sla_clocks", "sla_pauses")


def apply_portal_defaults(doc) -> None:
	"""On a new complaint from a website user: their customer, channel Portal, received now."""
	if not is_portal_user():
		return
	customers = get_portal_customers()
	if not customers:
		frappe.throw(
			_("Your user is not linked to a customer; please contact us to file a complaint."),
			frappe.PermissionError,
		)
	if doc.customer not in customers:
		doc.customer = customers[0]
	doc.customer_name = frappe.db.get_value("Customer", doc.customer, "customer_name")
	doc.company = doc.company if doc.company and frappe.db.exists("Company", doc.company) else None
	doc.company = doc.company or default_company()
	doc.channel = "Portal"
	doc.received_on = now_datetime()
	meta = frappe.get_meta(doc.doctype)
	for fieldname in ("status", "urgency", "severity"):
		doc.set(fieldname, meta.get_field(fieldname).default)
	for fieldname in COMPANY_FIELDS:
		doc.set(fieldname, None)
	for table in COMPANY_TABLES:
		doc.set(table, [])
	_set_contact(doc)


def default_company() -> str | None:
	"""The site's default company, else the first company with service defaults, else the only one."""
	company = frappe.db.get_single_value("Global Defaults", "default_company")
	if company:
		return company
	rows = frappe.get_all(
		"Service Company Defaults",
		filters={"parenttype": "Service Control Settings"},
		pluck="company",
		limit=1,
	)
	if rows:
		return rows[0]
	companies = frappe.get_all("Company", pluck="name", limit=2)
	return companies[0] if len(companies) == 1 else None


def _set_contact(doc) -> None:
	"""The user's own Contact (linked to the customer), and its phone / e-mail where not given."""
	contact = frappe.db.get_value(
		"Contact",
		{"user": frappe.session.user},
		["name", "mobile_no", "phone", "email_id"],
		as_dict=True,
	)
	doc.contact = contact.name if contact else None
	if contact:
		doc.contact_phone = doc.contact_phone or contact.mobile_no or contact.phone
	doc.contact_email = doc.contact_email or (contact and contact.email_id) or frappe.session.user


# ------------------------------------------------------------------------------------------
# Link options of the web form. Frappe turns a web form's Link fields into autocompletes fed with
# either every record of the linked doctype or only those the user created (none, for invoices);
# the form's script replaces them with the documents of the user's own customers.

PORTAL_LINK_LIMIT = 500


@frappe.whitelist()
def get_portal_link_options() -> dict[str, list[dict]]:
	"""{fieldname: [{value, label}]} for the portal form: the user's customers' submitted invoices
	and delivery notes, their serial numbers, and the items on those documents."""
	out = {"sales_invoice": [], "delivery_note": [], "serial_no": [], "item_code": []}
	customers = get_portal_customers() if is_portal_user() else []
	if not customers:
		return out
	items: dict[str, str] = {}
	for doctype, fieldname in (("Sales Invoice", "sales_invoice"), ("Delivery Note", "delivery_note")):
		parent = frappe.qb.DocType(doctype)
		child = frappe.qb.DocType(f"{doctype} Item")
		docs = (
			frappe.qb.from_(parent)
			.select(parent.name, parent.posting_date)
			.where((parent.customer.isin(customers)) & (parent.docstatus == 1))
			.orderby(parent.posting_date, order=frappe.qb.desc)
			.limit(PORTAL_LINK_LIMIT)
			.run(as_dict=True)
		)
		out[fieldname] = [{"value": d.name, "label": f"{d.name} ({d.posting_date})"} for d in docs]
		if docs:
			for item_code, item_name in (
				frappe.qb.from_(child)
				.select(child.item_code, child.item_name)
				.where(child.parent.isin([d.name for d in docs]) & (child.parenttype == doctype))
				.distinct()
				.run()
			):
				items.setdefault(item_code, item_name)
	serial = frappe.qb.DocType("Serial No")
	out["serial_no"] = [
		{"value": name, "label": f"{name} ({item_code})"}
		for name, item_code in frappe.qb.from_(serial)
		.select(serial.name, serial.item_code)
		.where(serial.customer.isin(customers))
		.limit(PORTAL_LINK_LIMIT)
		.run()
	]
	out["item_code"] = [
		{"value": code, "label": f"{code}: {name}" if name and name != code else code}
		for code, name in sorted(items.items())
	]
	return out
