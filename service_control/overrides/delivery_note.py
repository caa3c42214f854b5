"""Delivery Note: acceptance status and exceptional release (紧急放行).

ERPNext 15 stops the submit of a Delivery Note whose item has *Inspection Required before
Delivery* when the row's Quality Inspection is missing, not submitted or rejected
(``StockController.validate_inspection``, with Stock Settings' *Action If Quality Inspection
Is Not Submitted / Is Rejected* = Stop). ERPNext has no hook or setting that exempts one row
of one document: the Stock Settings are global (flipping them would let every concurrent
delivery through), ``allow_to_make_quality_inspection_after_purchase_or_delivery`` only waives
a missing inspection and does so for everyone, and ``override_doctype_class`` would replace the
whole Delivery Note class (and collide with any other app that extends it).

The one row-level exemption in that check is ``row.get("is_scrap_item")``: ERPNext skips such a
row. Delivery Note Item has no such column, so ``before_validate`` (which Frappe runs before the
controller's ``validate``) sets it in memory on the rows a submitted Exceptional Release covers,
and this module's ``validate`` hook (run after the controller's) removes it again: nothing is
stored, nothing else reads it, and every other row, and every other document, is checked by
ERPNext as before. The integration test submits a real delivery of an item that needs an
inspection with ERPNext's own settings, so an ERPNext upgrade that changes the check fails it.
"""

import frappe

from service_control.core import delivery as rules
from service_control.service_control import delivery as dn
from service_control.service_control import installed_base, service_indicators

_EXEMPT = "is_scrap_item"


def before_validate(doc, method=None):
	if doc.docstatus != 1 or doc.get("is_return"):
		return
	release = frappe.db.get_value(
		"Exceptional Release", {"delivery_note": doc.name, "docstatus": 1}, "name", for_update=True
	)
	if not release:
		return
	rows = {
		row.name: rules.DeliveredRow(
			item_code=row.item_code,
			qty=abs(row.stock_qty or row.qty or 0),
			serials=frozenset(rules.parse_serials(row.serial_no))
			| bundle_serials(row.serial_and_batch_bundle),
			batch_no=row.batch_no,
		)
		for row in doc.items
	}
	covered = rules.released_rows(rows, dn.claimed_rows(frappe.get_doc("Exceptional Release", release)))
	for row in doc.items:
		if row.name in covered:
			setattr(row, _EXEMPT, 1)
	if covered:
		doc.sc_exceptional_release = release


def validate(doc, method=None):
	for row in doc.get("items") or []:
		row.__dict__.pop(_EXEMPT, None)


def before_submit(doc, method=None):
	if not doc.get("is_return"):
		doc.sc_acceptance_status = rules.AWAITING_ACCEPTANCE


def on_cancel(doc, method=None):
	"""The delivery links its release and the release links the delivery: the delivery is
	cancelled first (the release refuses to go while the delivery stands), so Frappe's back-link
	check must not count the release against it."""
	if doc.get("sc_exceptional_release"):
		doc.ignore_linked_doctypes = (*(doc.get("ignore_linked_doctypes") or ()), "Exceptional Release")
	installed_base.delivery_cancelled(doc)
	service_indicators.delivery_note_cancelled(doc.name)


def on_submit(doc, method=None):
	installed_base.delivery_submitted(doc)


def bundle_serials(bundle: str | None) -> frozenset[str]:
	if not bundle:
		return frozenset()
	return frozenset(
		frappe.get_all(
			"Serial and Batch Entry",
			filters={"parent": bundle, "serial_no": ("is", "set")},
			pluck="serial_no",
		)
	)
