"""What a case (a customer complaint or a repair request) may point at: the sales documents and
the serial number of the unit concerned. One rule each, shared by both kinds of case; the
caller passes its own error class so the message reaches the user as that record's error."""

from collections.abc import Mapping
from dataclasses import dataclass

from service_control.core.errors import DomainError, _


@dataclass(frozen=True)
class ReferenceDoc:
	"""A Sales Invoice / Delivery Note / Sales Order a case points at, as the database has it."""

	doctype: str
	name: str
	customer: str
	docstatus: int
	item_qty: Mapping[str, float]  # item_code -> quantity on the document (returns already netted)
	is_return: bool = False


def check_reference(
	ref: ReferenceDoc,
	customer: str,
	item_code: str | None,
	affected_qty: float | None,
	error: type[DomainError] = DomainError,
) -> None:
	"""A submitted sale (not a return) to the case's customer, carrying the case's item, and for a
	delivery or invoice at least the affected quantity (a sales order is no delivery)."""
	if ref.docstatus != 1:
		raise error(_("{0} {1} is not submitted."), ref.doctype, ref.name)
	if ref.is_return:
		raise error(_("{0} {1} is a return, not a sale."), ref.doctype, ref.name)
	if ref.customer != customer:
		raise error(
			_("{0} {1} belongs to customer {2}, not {3}."), ref.doctype, ref.name, ref.customer, customer
		)
	if not item_code:
		return
	if item_code not in ref.item_qty:
		raise error(_("{0} {1} has no item {2}."), ref.doctype, ref.name, item_code)
	if ref.doctype != "Sales Order" and affected_qty and affected_qty > ref.item_qty[item_code]:
		raise error(
			_("Affected quantity {0} is more than the {1} of {2} on {3} {4}."),
			affected_qty,
			ref.item_qty[item_code],
			item_code,
			ref.doctype,
			ref.name,
		)


@dataclass(frozen=True)
class SerialFacts:
	"""A Serial No as ERPNext has it: its item, the customer it was delivered to (if recorded) and
	the warehouse it is in (set while it is in the company's stock); and the end customer the
	installed base has for it (a dealer's customer, or the customer it was transferred to)."""

	name: str
	item_code: str
	customer: str | None = None
	warehouse: str | None = None
	end_customer: str | None = None


def check_serial(
	serial: SerialFacts, item_code: str | None, customer: str, error: type[DomainError] = DomainError
) -> None:
	"""The unit must be of the case's item and may not be another's: refused when it was delivered
	to another customer, or when it is still in the company's stock. A unit that left stock with no
	customer on record (delivered by a stock entry, or migrated) is accepted: nothing says it is
	someone else's. The unit's end customer in the installed base may raise a case on it too."""
	if item_code and serial.item_code != item_code:
		raise error(_("Serial No {0} is of item {1}, not {2}."), serial.name, serial.item_code, item_code)
	if serial.end_customer and serial.end_customer == customer:
		return
	if serial.customer and serial.customer != customer:
		raise error(
			_("Serial No {0} does not belong to customer {2}: it was delivered to {1}."),
			serial.name,
			serial.customer,
			customer,
		)
	if not serial.customer and serial.warehouse:
		raise error(
			_("Serial No {0} does not belong to customer {1}: it is still in stock in {2}."),
			serial.name,
			customer,
			serial.warehouse,
		)
