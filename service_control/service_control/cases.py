"""What customer complaints and repair requests share as service cases on Frappe: how a save
locks the case (``ServiceCase``), loading the sales documents and serial numbers they point at
(the rules are in core.references), the pause rows of their SLA clocks, and which fields a user
changed."""

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from service_control.core.history import clock_start, review_instant
from service_control.core.record_lock import changed_fields
from service_control.core.references import ReferenceDoc, SerialFacts
from service_control.core.sla import pause_change
from service_control.service_control.history import ImportedHistory
from service_control.utils import domain_errors, get_settings

#: Child tables whose rows a save only adds or updates, never removes (both read-only).
SLA_ROW_TABLES = ("Service SLA Clock", "Service SLA Pause")


class ServiceCase(ImportedHistory):
	"""A case with SLA clocks (Customer Complaint, Repair Request): its saves take no gap lock in
	the clock and pause tables, where the newest cases would deadlock each other."""

	def __init__(self, *args, **kwargs):
		super().__init__(*args, **kwargs)
		# Frappe's save deletes a child table's rows ``where parent = %s and name not in (...)``:
		# under REPEATABLE READ that locks the gap after the case's rows in the ``parent`` index,
		# and two users saving the newest cases at once (each inserting its first pause, or a new
		# case its clocks) deadlock on each other's gap. These rows are written by the app alone
		# and never removed, so there is nothing for the delete to do.
		self.flags.ignore_children_type = SLA_ROW_TABLES

	def load_doc_before_save(self, *, raise_exception: bool = False):
		"""Lock the case's own row, then read the record as it was without locking its child rows.

		Frappe reads the record and every child table ``for update``. Under REPEATABLE READ that
		locks, in each child table's ``parent`` index, the gap after the case's rows; the newest
		cases all share the gap at the end, and two users putting them on hold at once (each
		inserting its first pause row) deadlock on each other's gap. The row lock alone
		serialises the saves of a case, since every writer of its rows (a save, the SLA sweep)
		takes it first; the case's fields are read with it (the latest committed, so
		``check_if_latest`` still sees a concurrent save), the child rows as this transaction sees
		them, which only the version diff reads.
		"""
		self._doc_before_save = None
		if self.is_new():
			return
		row = frappe.db.get_value(self.doctype, self.name, "*", as_dict=True, for_update=True)
		if not row:
			if raise_exception:
				raise frappe.DoesNotExistError(doctype=self.doctype)
			frappe.clear_last_message()
			return
		before = frappe.get_doc(self.doctype, self.name)
		before.update(row)
		self._doc_before_save = before


def load_reference(doctype: str, name: str) -> ReferenceDoc:
	"""The document with its item quantities, returns against it netted off (one query each)."""
	is_delivery = doctype != "Sales Order"  # an order has no returns and no is_return column
	customer, docstatus, *is_return = frappe.db.get_value(
		doctype, name, ["customer", "docstatus", *(["is_return"] if is_delivery else [])]
	)
	item_table = frappe.qb.DocType(f"{doctype} Item")
	parent = frappe.qb.DocType(doctype)
	qty = {
		row[0]: row[1]
		for row in frappe.qb.from_(item_table)
		.select(item_table.item_code, frappe.query_builder.functions.Sum(item_table.qty))
		.where((item_table.parent == name) & (item_table.parenttype == doctype))
		.groupby(item_table.item_code)
		.run()
	}
	if is_delivery:
		returned = (
			frappe.qb.from_(item_table)
			.join(parent)
			.on(parent.name == item_table.parent)
			.select(item_table.item_code, frappe.query_builder.functions.Sum(item_table.qty))
			.where((parent.return_against == name) & (parent.docstatus == 1) & (parent.is_return == 1))
			.groupby(item_table.item_code)
			.run()
		)
		for item_code, returned_qty in returned:
			if item_code in qty:
				qty[item_code] += returned_qty  # return quantities are negative
	return ReferenceDoc(doctype, name, customer, docstatus, qty, bool(is_return and is_return[0]))


def load_serial(serial_no: str) -> SerialFacts:
	item_code, customer, warehouse, end_customer = frappe.db.get_value(
		"Serial No", serial_no, ["item_code", "customer", "warehouse", "sc_end_customer"]
	)
	return SerialFacts(serial_no, item_code, customer, warehouse, end_customer)


def sync_pauses(doc, waiting: bool, now, reason: str | None = None) -> None:
	"""Waiting for the customer (or an internal complaint's complainant, ``reason``) opens a pause
	row (the clocks stop); leaving it closes the row (they go on with the time left)."""
	open_pause = next((p for p in doc.sla_pauses or [] if not p.resumed_on), None)
	if open_pause is not None and open_pause.get("continuity_invocation"):
		return  # a declared disruption holds the clocks; its invocation resumes them
	change = pause_change(waiting, open_pause is not None)
	if change == "open":
		doc.append("sla_pauses", {"paused_on": now, "reason": reason or _("Awaiting customer")})
	elif change == "close":
		open_pause.resumed_on = now


def user_changes(doc, before) -> list[str]:
	"""The fields a user changed (compared like with like; bookkeeping and tables left out)."""
	return changed_fields(
		((df.fieldname, df.fieldtype) for df in doc.meta.fields), before, doc, ignore={"change_reason"}
	)


# ------------------------------------------------------------------------------------------
# Imported history (core.history): where a case's clocks start and when a closed one ended.


def history_clock_start(doc, received):
	"""The case's clock start: its receipt, or the go-live instant of Service Control Settings for
	an imported case still open at go-live with "Start Clocks at Go-Live" ticked."""
	go_live = get_settings().get("go_live_on")
	with domain_errors(title=_("Invalid history record")):
		return clock_start(
			get_datetime(received),
			get_datetime(go_live) if go_live else None,
			bool(doc.get("is_history") and doc.get("clocks_from_go_live")),
		)


def history_end(doc, closed: bool, closed_on):
	"""When a closed case of imported history ended (its clocks are reviewed then and never
	again), else None."""
	if not (doc.get("is_history") and closed and closed_on):
		return None
	return review_instant(get_datetime(closed_on), now_datetime())
