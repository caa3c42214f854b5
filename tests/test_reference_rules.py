"""What a complaint or a repair request may point at: one rule each (core.references)."""

import pytest

from service_control.core.errors import ComplaintError
from service_control.core.references import ReferenceDoc, SerialFacts, check_reference, check_serial
from service_control.core.repair import RepairError
from service_control.core.sla import pause_change


def ref(**kw):
	base = {
		"doctype": "Delivery Note",
		"name": "DN-1",
		"customer": "C1",
		"docstatus": 1,
		"item_qty": {"ITEM": 5.0},
	}
	base.update(kw)
	return ReferenceDoc(**base)


@pytest.mark.parametrize("error", [ComplaintError, RepairError])
def test_reference_checks(error):
	check_reference(ref(), "C1", "ITEM", 5, error)
	with pytest.raises(error, match="not submitted"):
		check_reference(ref(docstatus=0), "C1", None, None, error)
	with pytest.raises(error, match="is a return, not a sale"):
		check_reference(ref(is_return=True), "C1", None, None, error)
	with pytest.raises(error, match="belongs to customer C2"):
		check_reference(ref(customer="C2"), "C1", None, None, error)
	with pytest.raises(error, match="has no item OTHER"):
		check_reference(ref(), "C1", "OTHER", None, error)
	with pytest.raises(error, match="more than"):
		check_reference(ref(), "C1", "ITEM", 6, error)
	# a sales order is not a delivery: its quantity does not cap the complaint
	check_reference(ref(doctype="Sales Order"), "C1", "ITEM", 6, error)


@pytest.mark.parametrize("error", [ComplaintError, RepairError])
def test_serial_checks(error):
	check_serial(SerialFacts("SN1", "ITEM", "C1"), "ITEM", "C1", error)
	check_serial(SerialFacts("SN1", "ITEM", "C1"), None, "C1", error)
	# left stock with no customer on record: nothing says it is another's
	check_serial(SerialFacts("SN1", "ITEM", None, None), "ITEM", "C1", error)
	with pytest.raises(error, match="of item ITEM"):
		check_serial(SerialFacts("SN1", "ITEM", "C1"), "OTHER", "C1", error)
	with pytest.raises(error, match="does not belong to customer C1: it was delivered to C2"):
		check_serial(SerialFacts("SN1", "ITEM", "C2"), "ITEM", "C1", error)
	with pytest.raises(error, match="does not belong to customer C1: it is still in stock in Stores"):
		check_serial(SerialFacts("SN1", "ITEM", None, "Stores"), "ITEM", "C1", error)


def test_pause_change():
	assert pause_change(waiting=True, has_open_pause=False) == "open"
	assert pause_change(waiting=False, has_open_pause=True) == "close"
	assert pause_change(waiting=True, has_open_pause=True) is None
	assert pause_change(waiting=False, has_open_pause=False) is None
