"""Service Control Settings rules added for the repair service: the company's labour item and
rate, and the satisfied rating."""

import pytest

from service_control.core import settings as s
from service_control.core.errors import SettingsError

ITEMS = {
	"Labour": s.ItemInfo("Labour"),
	"Fuse": s.ItemInfo("Fuse", is_stock_item=True),
	"Old Labour": s.ItemInfo("Old Labour", disabled=True),
}


def company(**kw):
	return {"company": "A", "quality_manager_limit": 5000, "supplier_claim_limit": 2000, **kw}


def test_labour_item_and_rate_valid():
	s.validate_company_row(1, company(repair_labour_item="Labour", repair_labour_rate=80), {}, {}, ITEMS)
	s.validate_company_row(1, company(repair_labour_rate=80), {}, {}, ITEMS)  # rate alone is fine
	s.validate_company_row(1, company(), {}, {})  # rows without repair defaults, no items needed


@pytest.mark.parametrize(
	"kw,message",
	[
		({"repair_labour_item": "Fuse"}, "Fuse is a stock item; choose a non-stock service item"),
		({"repair_labour_item": "Old Labour"}, "Item Old Labour is disabled"),
		({"repair_labour_item": "Nope"}, "Item Nope does not exist"),
		({"repair_labour_item": "Labour", "repair_labour_rate": -5}, "labour rate cannot be negative"),
	],
)
def test_labour_item_rejected(kw, message):
	with pytest.raises(SettingsError, match=message):
		s.validate_company_row(1, company(**kw), {}, {}, ITEMS)


def test_satisfied_rating_stars():
	for stars in (1, 4, 5):
		s.validate_repair_satisfied_rating(stars)
	for bad in (0, 6, None, -1):
		with pytest.raises(SettingsError, match="between 1 and 5 stars"):
			s.validate_repair_satisfied_rating(bad)
