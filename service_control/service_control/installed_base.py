"""The installed base on Frappe: reads and writes a serial number's placement (end customer, site,
service status, in use since: custom fields on Serial No) and follows the records that move it.
The rules are service_control.core.installed_base's.

The handlers below are doc events (hooks.py) of the records that move a unit: Delivery Note
(through overrides/delivery_note.py), Delivery Acceptance, Compensation (a settled free
replacement), Return Disposition (scrap). Depot repair and transfers call ``set_placement`` /
``set_status`` from their controllers.
"""

import frappe
from frappe.utils import getdate

from service_control.core import installed_base as rules

FIELDS = ("sc_end_customer", "sc_site_address", "sc_service_status", "sc_in_use_since")


def placement(serial_no: str, for_update: bool = False) -> rules.Placement:
	values = frappe.db.get_value("Serial No", serial_no, list(FIELDS), as_dict=True, for_update=for_update)
	if not values:
		return rules.Placement()
	return rules.Placement(
		values.sc_end_customer,
		values.sc_site_address,
		values.sc_service_status,
		getdate(values.sc_in_use_since) if values.sc_in_use_since else None,
	)


def set_placement(serial_no: str, value: rules.Placement) -> None:
	# written straight to the row: ERPNext's Serial No controller has nothing to re-check, and
	# its own fields (customer, warehouse, warranty) are left as ERPNext keeps them
	frappe.db.set_value(
		"Serial No",
		serial_no,
		dict(
			zip(
				FIELDS,
				(value.end_customer, value.site_address, value.status, value.in_use_since),
				strict=False,
			)
		),
		update_modified=False,
	)


def set_status(serials, status: str | None, only_from: tuple[str, ...] | None = None) -> None:
	"""Each serial's status; with ``only_from``, only the serials whose status is one of those."""
	for serial_no in serials:
		current = placement(serial_no)
		if only_from is not None and current.status not in only_from:
			continue
		set_placement(serial_no, rules.with_status(current, status))


def voucher_serials(voucher_type: str, voucher_no: str) -> set[str]:
	"""The serial numbers a submitted stock voucher moved (its Serial and Batch Bundles)."""
	bundles = frappe.get_all(
		"Serial and Batch Bundle",
		filters={"voucher_type": voucher_type, "voucher_no": voucher_no, "docstatus": 1},
		pluck="name",
	)
	if not bundles:
		return set()
	return set(
		frappe.get_all(
			"Serial and Batch Entry",
			filters={"parent": ("in", bundles), "serial_no": ("is", "set")},
			pluck="serial_no",
		)
	)


# ---- Delivery Note ----------------------------------------------------------------------------


def delivery_submitted(doc) -> None:
	"""A delivery places its units at the customer's delivery address, in use from its date; a
	return brings them back (Returned, the last end customer kept)."""
	from service_control.service_control.delivery import delivered_rows

	serials = set().union(*(row.serials for row in delivered_rows(doc.name).values()))
	if doc.get("is_return"):
		set_status(serials, rules.RETURNED)
		return
	value = rules.delivered(
		doc.customer,
		doc.get("shipping_address_name") or doc.get("customer_address"),
		getdate(doc.posting_date),
	)
	for serial_no in serials:
		set_placement(serial_no, value)


def delivery_cancelled(doc) -> None:
	"""A cancelled delivery never placed its units; a cancelled return leaves them in use."""
	from service_control.service_control.delivery import delivered_rows

	serials = set().union(*(row.serials for row in delivered_rows(doc.name).values()))
	for serial_no in serials:
		if doc.get("is_return"):
			set_status([serial_no], rules.IN_USE, only_from=(rules.RETURNED,))
		else:
			set_placement(serial_no, rules.Placement())


# ---- doc events of the app's records ------------------------------------------------------------


def acceptance_submitted(doc, method=None) -> None:
	"""The customer's signed acceptance dates the start of use of the units it names."""
	from service_control.core.delivery import parse_serials

	for row in doc.get("items") or []:
		for serial_no in parse_serials(row.get("serial_no")):
			current = placement(serial_no)
			if current.end_customer == doc.customer:
				set_placement(
					serial_no, rules.accepted(current, getdate(doc.signed_on) if doc.signed_on else None)
				)


def compensation_submitted(doc, method=None) -> None:
	"""A settled free replacement of a unit: the old one Replaced, the new one in use where the old
	one was (the replacement Delivery Note placed it at the buying customer)."""
	old, new = _replacement(doc)
	if not (old and new):
		return
	current = placement(old)
	if current.end_customer:
		delivered_on = frappe.db.get_value("Delivery Note", doc.replacement_delivery, "posting_date")
		set_placement(new, rules.replacement_of(current, getdate(delivered_on)))
	set_placement(old, rules.with_status(current, rules.REPLACED))


def compensation_cancelled(doc, method=None) -> None:
	"""The replacement Delivery Note is cancelled with the compensation (which clears the new
	unit); the old unit is in use again."""
	old, new = _replacement(doc)
	if old and new:
		set_status([old], rules.IN_USE, only_from=(rules.REPLACED,))


def _replacement(doc) -> tuple[str | None, str | None]:
	if doc.get("is_history") or not (doc.get("replacement_delivery") and doc.get("replacement_serial_no")):
		return None, None
	old = None
	if doc.get("repair_request"):
		old = frappe.db.get_value("Repair Request", doc.repair_request, "serial_no")
	if not old and doc.get("customer_complaint"):
		old = frappe.db.get_value("Customer Complaint", doc.customer_complaint, "serial_no")
	return old, doc.replacement_serial_no


def disposition_submitted(doc, method=None) -> None:
	"""Returned units the disposition scraps are Scrapped."""
	set_status(_scrapped(doc), rules.SCRAPPED)


def disposition_cancelled(doc, method=None) -> None:
	set_status(_scrapped(doc), rules.RETURNED, only_from=(rules.SCRAPPED,))


def _scrapped(doc) -> set[str]:
	serials: set[str] = set()
	for entry in {row.get("scrap_stock_entry") for row in doc.get("items") or []} - {None, ""}:
		serials |= voucher_serials("Stock Entry", entry)
	return serials


def fill_case_customer(doc, method=None) -> None:
	"""A repair request for a serial number takes its customer (the end customer the installed base
	has for it, else the customer ERPNext delivered it to) and site when none is given."""
	if not doc.get("serial_no") or doc.get("customer"):
		return
	values = frappe.db.get_value(
		"Serial No", doc.serial_no, ["sc_end_customer", "customer", "sc_site_address"], as_dict=True
	)
	if not values:
		return
	doc.customer = values.sc_end_customer or values.customer
	if doc.customer and doc.meta.has_field("customer_name") and not doc.get("customer_name"):
		doc.customer_name = frappe.db.get_value("Customer", doc.customer, "customer_name")
	if values.sc_site_address and doc.meta.has_field("service_address") and not doc.get("service_address"):
		from frappe.contacts.doctype.address.address import get_address_display

		doc.service_address = get_address_display(values.sc_site_address)
