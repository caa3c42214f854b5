"""What a Delivery Note delivered, read for the delivery records (acceptance, release, training).

ERPNext 15 keeps a row's serial numbers and batches in a Serial and Batch Bundle (``Serial and
Batch Entry`` rows under ``serial_and_batch_bundle``); a row entered with *Use Serial / Batch
Fields* also keeps the text in ``serial_no`` / ``batch_no``, and on a draft the bundle may not
exist yet. Both are read, so a draft (for a release) and a submitted delivery (for an
acceptance) give the same answer.
"""

import frappe
from frappe import _

from service_control.core import delivery as rules


def lock_delivery(name: str) -> frappe._dict:
	"""The Delivery Note's header, its row locked: records of one delivery that must be unique
	(one open acceptance, one open release) queue on it before they look for each other."""
	values = frappe.db.get_value(
		"Delivery Note",
		name,
		["name", "docstatus", "is_return", "customer", "company", "sc_acceptance_status"],
		as_dict=True,
		for_update=True,
	)
	if not values:
		frappe.throw(_("Delivery Note {0} does not exist.").format(name), frappe.DoesNotExistError)
	return values


def delivered_rows(name: str) -> dict[str, rules.DeliveredRow]:
	"""dn_detail -> the row's item, stock qty, serials and batch."""
	rows = frappe.get_all(
		"Delivery Note Item",
		filters={"parent": name, "parenttype": "Delivery Note"},
		fields=["name", "item_code", "stock_qty", "qty", "serial_no", "batch_no", "serial_and_batch_bundle"],
		order_by="idx asc",
	)
	bundles = [r.serial_and_batch_bundle for r in rows if r.serial_and_batch_bundle]
	entries: dict[str, list] = {}
	if bundles:
		for e in frappe.get_all(
			"Serial and Batch Entry",
			filters={"parent": ("in", bundles)},
			fields=["parent", "serial_no", "batch_no"],
		):
			entries.setdefault(e.parent, []).append(e)
	out = {}
	for r in rows:
		bundle = entries.get(r.serial_and_batch_bundle) or []
		serials = set(rules.parse_serials(r.serial_no)) | {e.serial_no for e in bundle if e.serial_no}
		batches = {e.batch_no for e in bundle if e.batch_no}
		out[r.name] = rules.DeliveredRow(
			item_code=r.item_code,
			qty=abs(r.stock_qty or r.qty or 0),
			serials=frozenset(serials),
			batch_no=r.batch_no or (next(iter(batches)) if len(batches) == 1 else None),
		)
	return out


def claimed_rows(doc, table: str = "items") -> list[rules.ClaimedRow]:
	return [
		rules.ClaimedRow(
			idx=row.idx,
			item_code=row.item_code,
			qty=row.qty or 0,
			serials=tuple(rules.parse_serials(row.get("serial_no"))),
			batch_no=row.get("batch_no"),
			dn_detail=row.get("dn_detail"),
		)
		for row in doc.get(table)
	]


def rows_from_delivery(name: str) -> list[dict]:
	"""The delivery's rows as acceptance / release rows (item, qty, serials one a line, batch)."""
	groups = dict(
		frappe.get_all(
			"Delivery Note Item", filters={"parent": name}, fields=["name", "item_group"], as_list=True
		)
	)
	return [
		{
			"dn_detail": detail,
			"item_code": row.item_code,
			"item_group": groups.get(detail),
			"qty": row.qty,
			"serial_no": "\n".join(sorted(row.serials)),
			"batch_no": row.batch_no,
		}
		for detail, row in delivered_rows(name).items()
	]


def other_open(doctype: str, delivery_note: str, name: str | None) -> str | None:
	"""A draft or submitted ``doctype`` of the delivery other than ``name``."""
	return frappe.db.get_value(
		doctype,
		{"delivery_note": delivery_note, "docstatus": ("<", 2), "name": ("!=", name or "")},
		"name",
	)
