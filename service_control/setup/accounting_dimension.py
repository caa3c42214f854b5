"""The "Customer Complaint" Accounting Dimension: every GL entry of a compensation, a scrap loss or
a free replacement carries the complaint, so the cost of poor quality is read from the ledger.

ERPNext adds the dimension's Link field to each of its accounting doctypes (GL Entry, Journal
Entry Account, Stock Entry Detail, Sales Invoice Item, Delivery Note Item, Payment Entry ...).
It does that in a background job; install and migrate run it at once, so the columns exist when
the first compensation posts.
"""

import frappe

DIMENSION_DOCTYPE = "Customer Complaint"
DIMENSION_FIELD = "customer_complaint"


def get_dimension_name() -> str | None:
	return frappe.db.get_value("Accounting Dimension", {"document_type": DIMENSION_DOCTYPE}, "name")


def get_dimension_field() -> str | None:
	"""The dimension's fieldname on the accounting doctypes, or None when it is missing."""
	name = get_dimension_name()
	return frappe.db.get_value("Accounting Dimension", name, "fieldname") if name else None


def ensure_dimension() -> None:
	from erpnext.accounts.doctype.accounting_dimension.accounting_dimension import (
		make_dimension_in_accounting_doctypes,
	)

	name = get_dimension_name()
	if name:
		doc = frappe.get_doc("Accounting Dimension", name)
	else:
		doc = frappe.new_doc("Accounting Dimension")
		doc.document_type = DIMENSION_DOCTYPE
		doc.flags.ignore_permissions = True
		doc.insert()
	# idempotent: ERPNext skips the doctypes that already have the field
	if not frappe.get_meta("GL Entry").has_field(doc.fieldname) or not name:
		make_dimension_in_accounting_doctypes(doc=doc)
	# the Cost of Poor Quality report reads the ledger by this column
	frappe.db.add_index("GL Entry", [doc.fieldname])
	frappe.flags.accounting_dimensions = None


def is_used() -> bool:
	field = get_dimension_field()
	if not field or not frappe.db.has_column("GL Entry", field):
		return False
	return bool(frappe.db.sql(f"select 1 from `tabGL Entry` where ifnull(`{field}`, '') != '' limit 1"))


def remove_dimension() -> None:
	"""On uninstall, only when no GL entry carries a complaint: the ledger's history stays readable."""
	from erpnext.accounts.doctype.accounting_dimension.accounting_dimension import (
		delete_accounting_dimension,
	)

	name = get_dimension_name()
	if not name or is_used():
		return
	doc = frappe.get_doc("Accounting Dimension", name)
	delete_accounting_dimension(doc=doc)
	frappe.db.delete("Accounting Dimension Detail", {"parent": name})
	frappe.db.delete("Accounting Dimension", {"name": name})
	frappe.flags.accounting_dimensions = None
