"""Depot repair (送修 / 返修, 客户服务控制程序 QP-12 4.2): the rules, without Frappe.

A customer brings or sends a unit in for repair (or logistics receives it from another region):
the Depot Repair Receipt records it against a repair request marked *Sent In*; the existing
Repair Feedback records the repair; the Depot Repair Shipment sends the unit back and records
its delivery to the customer. The receipt's status follows the unit:
Received → Repaired → Shipped → Delivered.

*The customer's unit is not company stock.* Nothing here moves stock: the receipt names the
repair warehouse as the unit's location only (see docs/delivery-and-depot.md, *Decision —
no stock movement for the customer's unit*).
"""

from dataclasses import dataclass
from datetime import datetime

from service_control.core.errors import DomainError, _

RECEIVED = "Received"
REPAIRED = "Repaired"
SHIPPED = "Shipped"
DELIVERED = "Delivered"
CANCELLED = "Cancelled"
STATUSES = (RECEIVED, REPAIRED, SHIPPED, DELIVERED, CANCELLED)

#: How the unit came in: handed over at the service centre, by a carrier, or through the
#: company's logistics from another region (外地送修).
BROUGHT_IN = "Brought In by Customer"
CARRIER = "Carrier"
LOGISTICS = "Logistics from Another Region"
ARRIVAL_MODES = (BROUGHT_IN, CARRIER, LOGISTICS)

#: The repair results after which the unit can go back: the repair is finished.
FINISHED_RESULTS = ("Fixed", "Replaced", "Refunded")
#: Repair requests that no longer take a unit in.
CLOSED_REQUEST_STATUSES = ("Closed", "Cancelled")


class DepotError(DomainError):
	pass


@dataclass(frozen=True)
class RequestFacts:
	"""The repair request a unit is received or shipped for."""

	name: str
	serial_no: str | None
	sent_in: bool
	status: str
	last_result: str | None = None


@dataclass(frozen=True)
class ReceiptFacts:
	"""A Depot Repair Receipt as stored."""

	name: str
	repair_request: str
	serial_no: str | None
	docstatus: int
	received_on: datetime | None = None


def check_receipt(
	request: RequestFacts,
	serial_no: str | None,
	other_receipt: str | None = None,
	serial_in_depot: tuple[str, str] | None = None,
) -> None:
	"""A receipt takes in the unit of a request marked sent in: that request's serial number (when
	it names one), once per request, and not a unit already in the depot for another request.

	``other_receipt`` is another open receipt of the same request; ``serial_in_depot`` is (receipt,
	repair request) of an open receipt of the same serial number."""
	if not request.sent_in:
		raise DepotError(
			_("Repair request {0} is not marked Sent In: tick Sent In (Depot Repair) on it first."),
			request.name,
		)
	if request.status in CLOSED_REQUEST_STATUSES:
		raise DepotError(_("Repair request {0} is {1}."), request.name, request.status)
	if request.serial_no and serial_no != request.serial_no:
		raise DepotError(
			_("Serial No {0} is not the unit of repair request {1}, which is {2}."),
			serial_no or "-",
			request.name,
			request.serial_no,
		)
	if other_receipt:
		raise DepotError(
			_("Repair request {0} already has an open depot receipt: {1}."), request.name, other_receipt
		)
	if serial_in_depot:
		raise DepotError(
			_("Serial No {0} is already in the depot: received by {1} for repair request {2}."),
			serial_no,
			serial_in_depot[0],
			serial_in_depot[1],
		)


def check_arrival(mode: str, brought_by: str | None, carrier: str | None, tracking_no: str | None) -> None:
	"""Who handed the unit over: the person who brought it, or the carrier and its tracking number
	(a unit from another region comes through logistics with a waybill too)."""
	if mode == BROUGHT_IN and not brought_by:
		raise DepotError(_("Enter who brought the unit in."))
	if mode in (CARRIER, LOGISTICS) and not (carrier and tracking_no):
		raise DepotError(_("A unit sent by {0} needs the carrier and the tracking number."), mode)


def repair_finished(last_result: str | None) -> bool:
	return last_result in FINISHED_RESULTS


def check_shipment(
	request: RequestFacts,
	serial_no: str | None,
	receipt: ReceiptFacts | None,
	returned_unrepaired: bool,
	unrepaired_reason: str | None,
	shipped_on: datetime | None,
	other_shipment: str | None = None,
) -> None:
	"""The return shipment sends back the unit this request received, once its repair is finished
	(or unrepaired, with the reason), not before it arrived, and once (``other_shipment`` is another
	open shipment of the same receipt)."""
	if receipt is None or receipt.docstatus != 1:
		raise DepotError(
			_("Serial No {0} was never received for repair: submit its Depot Repair Receipt first."),
			serial_no or request.name,
		)
	if receipt.repair_request != request.name:
		raise DepotError(
			_("Serial No {0} was received by {1} for repair request {2}, not for {3}."),
			serial_no or "-",
			receipt.name,
			receipt.repair_request,
			request.name,
		)
	if (receipt.serial_no or None) != (serial_no or None):
		raise DepotError(
			_("Depot receipt {0} received Serial No {1}, not {2}."),
			receipt.name,
			receipt.serial_no or "-",
			serial_no or "-",
		)
	if other_shipment:
		raise DepotError(_("Depot receipt {0} is already shipped back by {1}."), receipt.name, other_shipment)
	if returned_unrepaired:
		if not (unrepaired_reason or "").strip():
			raise DepotError(_("Give the reason the unit goes back unrepaired."))
	elif not repair_finished(request.last_result):
		raise DepotError(
			_(
				"The repair of {0} is not finished (last result: {1}): submit its Repair Feedback, or tick Returned Unrepaired and give the reason."
			),
			request.name,
			request.last_result or "-",
		)
	if shipped_on and receipt.received_on and shipped_on < receipt.received_on:
		raise DepotError(
			_("Shipped On {0} is before the unit was received on {1}."), shipped_on, receipt.received_on
		)


def check_delivered(
	shipped_on: datetime | None, delivered_on: datetime | None, received_by: str | None
) -> None:
	"""The customer's receipt of the shipment: not before it left, and who took it."""
	if not delivered_on:
		return
	if shipped_on and delivered_on < shipped_on:
		raise DepotError(
			_("Delivered On {0} is before the unit was shipped on {1}."), delivered_on, shipped_on
		)
	if not received_by:
		raise DepotError(_("Enter who received the unit at the customer's."))


def receipt_status(
	docstatus: int, repaired_on: datetime | None, shipped_on: datetime | None, delivered_on: datetime | None
) -> str:
	"""Where the unit is, from what has happened to it."""
	if docstatus == 2:
		return CANCELLED
	if delivered_on:
		return DELIVERED
	if shipped_on:
		return SHIPPED
	if repaired_on:
		return REPAIRED
	return RECEIVED


@dataclass(frozen=True)
class Turnaround:
	"""Hours from receipt to repair, repair to shipment and receipt to shipment (None when a step
	has not happened, or when the unit went back unrepaired for the repair step)."""

	to_repair: float | None
	to_ship: float | None
	total: float | None


def _hours(start: datetime | None, end: datetime | None) -> float | None:
	if not (start and end):
		return None
	return round(max((end - start).total_seconds(), 0) / 3600, 2)


def turnaround(
	received_on: datetime | None, repaired_on: datetime | None, shipped_on: datetime | None
) -> Turnaround:
	return Turnaround(
		to_repair=_hours(received_on, repaired_on),
		to_ship=_hours(repaired_on, shipped_on),
		total=_hours(received_on, shipped_on),
	)


def mean(values) -> float | None:
	values = [v for v in values if v is not None]
	return round(sum(values) / len(values), 2) if values else None
