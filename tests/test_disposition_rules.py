import pytest

from service_control.core import disposition as d
from service_control.core.errors import DispositionError

TARGETS = d.Targets(
	scrap_loss_account="Loss - T",
	scrap_warehouse="Scrap - T",
	rework_warehouse="Rework - T",
	sellable_warehouse="Stores - T",
)


def line(idx=1, item="A", returned=10, scrap=2, rework=3, restock=5, **kw):
	return d.DispositionLine(
		idx,
		item,
		returned,
		kw.pop("warehouse", "Pending - T"),
		scrap,
		rework,
		restock,
		kw.pop("result", "Nonconforming"),
	)


def test_return_qty_capped():
	assert d.check_return_qty("A", 4, delivered=10, already_returned=-6) == 4
	with pytest.raises(DispositionError, match="Only 4"):
		d.check_return_qty("A", 5, delivered=10, already_returned=6)
	with pytest.raises(DispositionError, match="greater than zero"):
		d.check_return_qty("A", 0, delivered=10, already_returned=0)


def test_cap_return_lines():
	lines = [
		{"row_name": "r1", "item_code": "A", "delivered_qty": 10, "returned_qty": -4},
		{"row_name": "r2", "item_code": "B", "delivered_qty": 5, "returned_qty": -5},
	]
	assert [(ln["row_name"], ln["qty"]) for ln in d.cap_return_lines(lines)] == [("r1", 6)]
	assert [ln["qty"] for ln in d.cap_return_lines(lines, {"A": 2})] == [2]
	with pytest.raises(DispositionError, match="Only 6"):
		d.cap_return_lines(lines, {"A": 7})
	with pytest.raises(DispositionError, match="already been returned"):
		d.cap_return_lines(lines[1:])


@pytest.mark.parametrize(
	"kw,message",
	[
		({"scrap": 3}, "add up to 11"),
		({"restock": 4}, "add up to 9"),
		({"scrap": -1, "restock": 8}, "negative"),
		({"returned": 0, "scrap": 0, "rework": 0, "restock": 0}, "greater than zero"),
		({"warehouse": None}, "warehouse"),
		({"result": None}, "inspection result"),
	],
)
def test_split_must_equal_returned(kw, message):
	with pytest.raises(DispositionError, match=message):
		d.validate_lines([line(**kw)], TARGETS)


def test_scrap_needs_loss_account():
	targets = d.Targets(rework_warehouse="Rework - T", sellable_warehouse="Stores - T")
	with pytest.raises(DispositionError, match="scrap loss account"):
		d.validate_lines([line()], targets)
	d.validate_lines([line(scrap=0, restock=7)], targets)  # nothing scrapped: no account needed


def test_transfer_to_scrap_needs_scrap_warehouse():
	targets = d.Targets(
		scrap_method=d.SCRAP_BY_TRANSFER,
		scrap_loss_account="Loss - T",
		rework_warehouse="R",
		sellable_warehouse="S",
	)
	with pytest.raises(DispositionError, match="scrap warehouse"):
		d.validate_lines([line()], targets)


def test_stock_entry_plan_by_issue():
	plans = d.stock_entry_plan(
		[line(), line(idx=2, item="B", returned=4, scrap=0, rework=0, restock=4)], TARGETS
	)
	assert [(p["decision"], p["purpose"], p["expense_account"]) for p in plans] == [
		("Scrap", "Material Issue", "Loss - T"),
		("Rework", "Material Transfer", None),
		("Restock", "Material Transfer", None),
	]
	scrap, rework, restock = plans
	assert scrap["items"] == [
		{"idx": 1, "item_code": "A", "qty": 2, "s_warehouse": "Pending - T", "t_warehouse": None}
	]
	assert [(i["item_code"], i["qty"], i["t_warehouse"]) for i in rework["items"]] == [("A", 3, "Rework - T")]
	assert [(i["idx"], i["qty"], i["s_warehouse"], i["t_warehouse"]) for i in restock["items"]] == [
		(1, 5, "Pending - T", "Stores - T"),
		(2, 4, "Pending - T", "Stores - T"),
	]
	assert all("rate" not in i and "basic_rate" not in i for p in plans for i in p["items"])


def test_stock_entry_plan_by_transfer_and_skips_empty_decisions():
	targets = d.Targets(d.SCRAP_BY_TRANSFER, "Loss - T", "Scrap - T", "Rework - T", "Stores - T")
	plans = d.stock_entry_plan([line(rework=0, restock=8)], targets)
	assert [(p["decision"], p["purpose"], p["items"][0]["t_warehouse"]) for p in plans] == [
		("Scrap", "Material Transfer", "Scrap - T"),
		("Restock", "Material Transfer", "Stores - T"),
	]


def test_goods_already_in_target_refused():
	with pytest.raises(DispositionError, match="already in"):
		d.stock_entry_plan([line(warehouse="Stores - T", scrap=0, rework=0, restock=10)], TARGETS)


PENDING = ("A", "Pending - T")


def test_cannot_dispose_more_than_returned():
	d.check_against_return([line(), line(idx=2, returned=2, scrap=2, rework=0, restock=0)], {PENDING: 12})
	with pytest.raises(DispositionError, match="Only 11"):
		d.check_against_return([line(), line(idx=2, returned=2, scrap=2, rework=0, restock=0)], {PENDING: 11})
	with pytest.raises(DispositionError, match="of item A in Elsewhere - T"):  # nothing waits there
		d.check_against_return([line(warehouse="Elsewhere - T")], {PENDING: 12})


def test_reworked_goods_wait_for_a_second_disposition():
	returned = [("A", "Pending - T", -10), ("B", "Pending - T", 2)]
	assert d.open_quantities(returned, [], "Rework - T") == {PENDING: 10, ("B", "Pending - T"): 2}
	first = line()  # 2 scrap, 3 rework, 5 restock of the 10
	after_first = d.open_quantities(returned, [first], "Rework - T")
	assert after_first == {PENDING: 0, ("B", "Pending - T"): 2, ("A", "Rework - T"): 3}
	second = line(idx=1, returned=3, scrap=1, rework=0, restock=2, warehouse="Rework - T")
	d.check_against_return([second], after_first)
	after_second = d.open_quantities(returned, [first, second], "Rework - T")
	assert after_second[("A", "Rework - T")] == 0
	with pytest.raises(DispositionError, match="Only 0"):
		d.check_against_return([second], after_second)


def test_quality_inspection_of_the_line():
	d.check_quality_inspection(1, "A", "A", 1)
	for inspection, message in ((("B", 1), "of item B"), (("A", 0), "submit"), ((None, None), "exist")):
		with pytest.raises(DispositionError, match=message):
			d.check_quality_inspection(1, "A", *inspection)


def test_approver():
	d.check_approver("qm@x", ["Quality Manager"], "wh@x", 0)
	with pytest.raises(DispositionError, match="Only a Quality Manager"):
		d.check_approver("wh@x2", ["Stock User"], "wh@x", 0)
	with pytest.raises(DispositionError, match="another Quality Manager"):
		d.check_approver("qm@x", ["Quality Manager"], "qm@x", 0)
	with pytest.raises(DispositionError, match="draft"):
		d.check_approver("qm@x", ["Quality Manager"], "wh@x", 1)
	with pytest.raises(DispositionError, match="not approved"):
		d.check_approved(None)


def test_signature_changes_with_the_split():
	assert d.signature([line()]) != d.signature([line(scrap=3, restock=4)])
	assert d.signature([line()]) == d.signature([line(result="Conforming")])
