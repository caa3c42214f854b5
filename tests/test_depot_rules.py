"""Depot repair rules (core.depot), without a site."""

from datetime import datetime

import pytest

from service_control.core import depot as rules
from service_control.core.depot import DepotError, ReceiptFacts, RequestFacts

REQ = RequestFacts("RR-1", "SN1", sent_in=True, status="Assigned", last_result="Fixed")
RECEIVED_ON = datetime(2026, 3, 1, 9)
RECEIPT = ReceiptFacts("DRR-1", "RR-1", "SN1", 1, RECEIVED_ON)


def test_receipt_of_the_requests_unit():
	rules.check_receipt(REQ, "SN1")
	rules.check_receipt(RequestFacts("RR-2", None, True, "Open"), None)  # a unit without a serial


@pytest.mark.parametrize(
	"request_,serial,other,in_depot,message",
	[
		(RequestFacts("RR-1", "SN1", False, "Open"), "SN1", None, None, "not marked Sent In"),
		(RequestFacts("RR-1", "SN1", True, "Cancelled"), "SN1", None, None, "is Cancelled"),
		(REQ, "SN2", None, None, "is not the unit of repair request RR-1, which is SN1"),
		(REQ, "SN1", "DRR-0", None, "already has an open depot receipt: DRR-0"),
		(REQ, "SN1", None, ("DRR-9", "RR-9"), "received by DRR-9 for repair request RR-9"),
	],
)
def test_receipt_refused(request_, serial, other, in_depot, message):
	with pytest.raises(DepotError, match=message):
		rules.check_receipt(request_, serial, other, in_depot)


def test_arrival_needs_who_or_the_waybill():
	rules.check_arrival(rules.BROUGHT_IN, "Wang", None, None)
	rules.check_arrival(rules.LOGISTICS, None, "Deppon", "DP1")
	with pytest.raises(DepotError, match="who brought"):
		rules.check_arrival(rules.BROUGHT_IN, None, "SF", "1")
	for mode in (rules.CARRIER, rules.LOGISTICS):
		with pytest.raises(DepotError, match="tracking number"):
			rules.check_arrival(mode, "Wang", "SF", None)


def test_shipment_of_a_repaired_unit():
	rules.check_shipment(REQ, "SN1", RECEIPT, False, None, datetime(2026, 3, 2))


@pytest.mark.parametrize(
	"kwargs,message",
	[
		({"receipt": None}, "was never received"),
		({"receipt": ReceiptFacts("DRR-1", "RR-1", "SN1", 0)}, "was never received"),
		(
			{"receipt": ReceiptFacts("DRR-1", "RR-7", "SN1", 1)},
			"received by DRR-1 for repair request RR-7, not for RR-1",
		),
		({"serial_no": "SN2"}, "received Serial No SN1, not SN2"),
		({"request": RequestFacts("RR-1", "SN1", True, "In Progress", "Not Fixed")}, "is not finished"),
		({"request": RequestFacts("RR-1", "SN1", True, "Assigned", None)}, "is not finished"),
		({"returned_unrepaired": True, "unrepaired_reason": "  "}, "Give the reason"),
		({"shipped_on": datetime(2026, 2, 28)}, "before the unit was received"),
		({"other_shipment": "DRS-1"}, "already shipped back by DRS-1"),
	],
)
def test_shipment_refused(kwargs, message):
	args = {
		"request": REQ,
		"serial_no": "SN1",
		"receipt": RECEIPT,
		"returned_unrepaired": False,
		"unrepaired_reason": None,
		"shipped_on": datetime(2026, 3, 2),
		**kwargs,
	}
	with pytest.raises(DepotError, match=message):
		rules.check_shipment(**args)


def test_unrepaired_with_a_reason_ships():
	request = RequestFacts("RR-1", "SN1", True, "In Progress", "Not Fixed")
	rules.check_shipment(request, "SN1", RECEIPT, True, "Part discontinued", datetime(2026, 3, 2))


def test_delivery_after_shipment_with_the_receiver():
	rules.check_delivered(datetime(2026, 3, 2), None, None)
	rules.check_delivered(datetime(2026, 3, 2), datetime(2026, 3, 3), "Li")
	with pytest.raises(DepotError, match="before the unit was shipped"):
		rules.check_delivered(datetime(2026, 3, 2), datetime(2026, 3, 1), "Li")
	with pytest.raises(DepotError, match="who received"):
		rules.check_delivered(datetime(2026, 3, 2), datetime(2026, 3, 3), None)


def test_status_follows_the_unit():
	d = datetime(2026, 3, 2)
	assert rules.receipt_status(0, None, None, None) == rules.RECEIVED
	assert rules.receipt_status(1, d, None, None) == rules.REPAIRED
	assert rules.receipt_status(1, None, d, None) == rules.SHIPPED  # returned unrepaired
	assert rules.receipt_status(1, d, d, d) == rules.DELIVERED
	assert rules.receipt_status(2, d, d, d) == rules.CANCELLED


def test_turnaround_hours_and_mean():
	t = rules.turnaround(datetime(2026, 3, 1, 9), datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 15))
	assert (t.to_repair, t.to_ship, t.total) == (24, 6, 30)
	unrepaired = rules.turnaround(datetime(2026, 3, 1, 9), None, datetime(2026, 3, 1, 21))
	assert (unrepaired.to_repair, unrepaired.to_ship, unrepaired.total) == (None, None, 12)
	assert rules.mean([24, None, 12]) == 18
	assert rules.mean([None]) is None
