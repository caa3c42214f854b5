"""Installed-base rules (core.installed_base) and the cases' serial check, without a site."""

from datetime import date

import pytest

from service_control.core import installed_base as rules
from service_control.core.errors import DomainError
from service_control.core.installed_base import InstalledBaseError, Placement
from service_control.core.references import SerialFacts, check_serial

TODAY = date(2026, 6, 30)
AT_DEALER = Placement("Dealer", "Dealer-Shop", rules.IN_USE, date(2026, 1, 10))


def test_delivery_acceptance_transfer_replacement():
	placed = rules.delivered("Dealer", None, date(2026, 1, 10))
	assert placed == Placement("Dealer", None, rules.IN_USE, date(2026, 1, 10))
	assert rules.accepted(placed, date(2026, 1, 12)).in_use_since == date(2026, 1, 12)
	assert rules.accepted(rules.with_status(placed, rules.SCRAPPED), date(2026, 1, 12)).in_use_since == date(
		2026, 1, 10
	)
	moved = rules.transferred(AT_DEALER, "User", "User-Plant")
	assert (moved.end_customer, moved.site_address, moved.status) == ("User", "User-Plant", rules.IN_USE)
	assert rules.replacement_of(moved, date(2026, 5, 1)) == Placement(
		"User", "User-Plant", rules.IN_USE, date(2026, 5, 1)
	)


def test_transfer_to_another_customer_or_site():
	rules.check_transfer("SN1", AT_DEALER, "User", None, TODAY, TODAY)
	rules.check_transfer("SN1", AT_DEALER, "Dealer", "Dealer-Store", TODAY, TODAY)  # another site
	rules.check_transfer("SN1", rules.with_status(AT_DEALER, rules.IN_REPAIR), "User", None, TODAY, TODAY)


@pytest.mark.parametrize(
	"current,to,address,day,last,message",
	[
		(AT_DEALER, "Dealer", "Dealer-Shop", TODAY, None, "already at customer Dealer"),
		(Placement(), "User", None, TODAY, None, "has not been delivered"),
		(rules.with_status(AT_DEALER, rules.SCRAPPED), "User", None, TODAY, None, "is Scrapped"),
		(rules.with_status(AT_DEALER, rules.REPLACED), "User", None, TODAY, None, "is Replaced"),
		(AT_DEALER, "User", None, date(2026, 7, 1), None, "in the future"),
		(AT_DEALER, "User", None, date(2026, 2, 1), date(2026, 3, 1), "before the unit's last move"),
	],
)
def test_transfer_refused(current, to, address, day, last, message):
	with pytest.raises(InstalledBaseError, match=message):
		rules.check_transfer("SN1", current, to, address, day, TODAY, last)


def test_from_address_and_cancel_order():
	rules.check_from("SN1", AT_DEALER, "Dealer", "Dealer-Shop")
	with pytest.raises(InstalledBaseError, match="no longer at customer"):
		rules.check_from("SN1", AT_DEALER, "Dealer", None)
	rules.check_address(None, [], "User")
	rules.check_address("User-Plant", ["User"], "User")
	with pytest.raises(InstalledBaseError, match="not an address of customer User"):
		rules.check_address("Dealer-Shop", ["Dealer"], "User")
	rules.check_cancel_transfer("IBT-2", "IBT-2")
	with pytest.raises(InstalledBaseError, match="later transfer IBT-3"):
		rules.check_cancel_transfer("IBT-2", "IBT-3")


def test_months_in_service():
	assert rules.months_in_service(None, TODAY) is None
	assert rules.months_in_service(date(2026, 1, 31), date(2026, 2, 28)) == 0
	assert rules.months_in_service(date(2026, 1, 15), date(2026, 2, 15)) == 1
	assert rules.months_in_service(date(2025, 6, 30), TODAY) == 12
	assert rules.months_in_service(date(2026, 7, 5), TODAY) == 0


def test_case_serial_check_accepts_the_end_customer():
	sold_to_dealer = SerialFacts("SN1", "ITEM", "Dealer", None, "User")
	check_serial(sold_to_dealer, "ITEM", "User")
	check_serial(sold_to_dealer, "ITEM", "Dealer")
	with pytest.raises(DomainError, match="does not belong to customer Other"):
		check_serial(sold_to_dealer, "ITEM", "Other")
