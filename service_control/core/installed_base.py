"""The installed base (营销部 4.1): where each delivered unit is used, by whom, in what state.

Each serial number carries its end customer, site address, service status and the date it went
into use (custom fields on ERPNext's Serial No). The events that move it, and what each sets:

- a delivery submitted: the delivery's customer and shipping address, In Use, since the
  delivery date; its cancel: the placement cleared (the unit is back in stock);
- a sales return: Returned (the end customer and site are kept as the last known);
- a customer's acceptance (货物交付验收清单) submitted: In Use since the date it was signed;
- an Installed Base Transfer: another end customer or site (the transfers are the history);
- a depot receipt: In Repair; its return shipment: In Use again;
- a settled replacement (repair or compensation): the old unit Replaced, the new one In Use at
  the old one's end customer and site;
- a return disposition that scraps the unit: Scrapped.
"""

from dataclasses import dataclass, replace
from datetime import date

from service_control.core.errors import DomainError, _

IN_USE = "In Use"
IN_REPAIR = "In Repair"
REPLACED = "Replaced"
SCRAPPED = "Scrapped"
RETURNED = "Returned"
STATUSES = (IN_USE, IN_REPAIR, REPLACED, SCRAPPED, RETURNED)
#: A unit in these states is at a customer's and can move to another.
TRANSFERABLE = (IN_USE, IN_REPAIR)


class InstalledBaseError(DomainError):
	pass


@dataclass(frozen=True)
class Placement:
	"""A serial number's place in the installed base."""

	end_customer: str | None = None
	site_address: str | None = None
	status: str | None = None
	in_use_since: date | None = None


def delivered(customer: str, address: str | None, posting_date: date) -> Placement:
	return Placement(customer, address or None, IN_USE, posting_date)


def accepted(current: Placement, signed_on: date | None) -> Placement:
	"""The customer's acceptance dates the start of use; it does not move the unit."""
	if not signed_on or current.status not in (IN_USE, None):
		return current
	return replace(current, status=IN_USE, in_use_since=signed_on)


def transferred(current: Placement, to_customer: str, to_address: str | None) -> Placement:
	return replace(current, end_customer=to_customer, site_address=to_address or None)


def replacement_of(old: Placement, delivered_on: date) -> Placement:
	"""The new unit of a replacement is used where the old one was."""
	return Placement(old.end_customer, old.site_address, IN_USE, delivered_on)


def with_status(current: Placement, status: str) -> Placement:
	return replace(current, status=status)


def check_transfer(
	serial_no: str,
	current: Placement,
	to_customer: str,
	to_address: str | None,
	transfer_date: date,
	today: date,
	last_moved_on: date | None = None,
) -> None:
	"""A transfer moves a unit in use to another end customer, or to another site of the same one."""
	if not current.end_customer:
		raise InstalledBaseError(
			_("Serial No {0} has no end customer: it has not been delivered."), serial_no
		)
	if current.status not in TRANSFERABLE:
		raise InstalledBaseError(
			_("Serial No {0} is {1}: only a unit in use or in repair can be transferred."),
			serial_no,
			current.status or "-",
		)
	if to_customer == current.end_customer and (to_address or None) == (current.site_address or None):
		raise InstalledBaseError(
			_("Serial No {0} is already at customer {1}: choose another customer or another site."),
			serial_no,
			to_customer,
		)
	if transfer_date > today:
		raise InstalledBaseError(_("Transfer Date {0} is in the future."), transfer_date)
	if last_moved_on and transfer_date < last_moved_on:
		raise InstalledBaseError(
			_("Transfer Date {0} is before the unit's last move on {1}."), transfer_date, last_moved_on
		)


def check_from(
	serial_no: str, current: Placement, from_customer: str | None, from_address: str | None
) -> None:
	"""A transfer records where the unit was: still where the installed base has it."""
	if (from_customer or None) != (current.end_customer or None) or (from_address or None) != (
		current.site_address or None
	):
		raise InstalledBaseError(
			_("Serial No {0} is no longer at customer {1}: reload the transfer."),
			serial_no,
			from_customer or "-",
		)


def check_address(address: str | None, owners: list[str], customer: str) -> None:
	"""A site is an Address of the customer it is given for."""
	if address and customer not in owners:
		raise InstalledBaseError(_("Address {0} is not an address of customer {1}."), address, customer)


def check_cancel_transfer(name: str, latest: str | None) -> None:
	"""Transfers of a unit are undone newest first, so the history stays a chain."""
	if latest and latest != name:
		raise InstalledBaseError(_("Cancel the later transfer {0} of this unit first."), latest)


def months_in_service(in_use_since: date | None, on: date) -> int | None:
	"""Whole months from the start of use to ``on`` (None when not known)."""
	if not in_use_since:
		return None
	months = (on.year - in_use_since.year) * 12 + on.month - in_use_since.month
	if on.day < in_use_since.day:
		months -= 1
	return max(months, 0)
