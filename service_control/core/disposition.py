"""Returned goods (客退品): how much may come back, and the disposition of what came back.

Procedure 赔偿程序 steps 1, 3 and 5: returned goods enter the pending warehouse; quality inspects
and splits each line into Scrap (报废), Rework (返修) and Restock; the warehouse moves the goods.
These functions check the figures and plan the Stock Entries; the adapter creates them in
ERPNext, which values the goods (no rate is ever set here).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from service_control.core.errors import DispositionError, _

SCRAP = "Scrap"
REWORK = "Rework"
RESTOCK = "Restock"

SCRAP_BY_ISSUE = "Material Issue"
SCRAP_BY_TRANSFER = "Transfer to Scrap Warehouse"
SCRAP_METHODS = (SCRAP_BY_ISSUE, SCRAP_BY_TRANSFER)

MATERIAL_ISSUE = "Material Issue"
MATERIAL_TRANSFER = "Material Transfer"

PRECISION = 6


def _q(value) -> float:
	return round(float(value or 0), PRECISION)


# ------------------------------------------------------------------------------------------
# Returns


def returnable_qty(delivered: float, already_returned: float) -> float:
	"""What may still come back: delivered minus returned (returns are counted positive here)."""
	return max(_q(delivered) - abs(_q(already_returned)), 0)


def check_return_qty(item_code: str, requested: float, delivered: float, already_returned: float) -> float:
	"""Raise when more would come back than was delivered and not yet returned; returns the qty."""
	requested = _q(requested)
	if requested <= 0:
		raise DispositionError(_("The quantity returned of item {0} must be greater than zero."), item_code)
	left = returnable_qty(delivered, already_returned)
	if requested > left:
		raise DispositionError(
			_("Only {0} of item {1} was delivered and not yet returned; {2} cannot come back."),
			left,
			item_code,
			requested,
		)
	return requested


def cap_return_lines(lines: Iterable[Mapping], requested: Mapping[str, float] | None = None) -> list[dict]:
	"""The lines of a return: each line's returnable qty, or less where ``requested`` (per item)
	asks for less. ``lines``: dicts with row_name, item_code, delivered_qty, returned_qty."""
	out = []
	remaining = dict(requested or {})
	for line in lines:
		left = returnable_qty(line["delivered_qty"], line.get("returned_qty") or 0)
		if left <= 0:
			continue
		qty = left
		if requested is not None:
			wanted = _q(remaining.get(line["item_code"]) or 0)
			if wanted <= 0:
				continue
			qty = min(left, wanted)
			remaining[line["item_code"]] = wanted - qty
		out.append({**line, "qty": qty})
	for item_code, wanted in remaining.items():
		if _q(wanted) > 0:
			delivered = sum(_q(ln["delivered_qty"]) for ln in lines if ln["item_code"] == item_code)
			returned = sum(abs(_q(ln.get("returned_qty"))) for ln in lines if ln["item_code"] == item_code)
			check_return_qty(item_code, _q(requested[item_code]), delivered, returned)
	if not out:
		raise DispositionError(_("Everything delivered has already been returned."))
	return out


# ------------------------------------------------------------------------------------------
# Disposition


@dataclass
class DispositionLine:
	idx: int
	item_code: str
	returned_qty: float
	warehouse: str | None
	scrap_qty: float = 0
	rework_qty: float = 0
	restock_qty: float = 0
	inspection_result: str | None = None


@dataclass(frozen=True)
class Targets:
	scrap_method: str = SCRAP_BY_ISSUE
	scrap_loss_account: str | None = None
	scrap_warehouse: str | None = None
	rework_warehouse: str | None = None
	sellable_warehouse: str | None = None


def validate_lines(lines: Iterable[DispositionLine], targets: Targets) -> None:
	lines = list(lines)
	if not lines:
		raise DispositionError(_("Add the returned lines to dispose of."))
	for line in lines:
		if _q(line.returned_qty) <= 0:
			raise DispositionError(_("Row {0}: the returned quantity must be greater than zero."), line.idx)
		if not line.warehouse:
			raise DispositionError(_("Row {0}: say which warehouse holds the returned goods."), line.idx)
		for qty in (line.scrap_qty, line.rework_qty, line.restock_qty):
			if _q(qty) < 0:
				raise DispositionError(_("Row {0}: quantities cannot be negative."), line.idx)
		split = _q(_q(line.scrap_qty) + _q(line.rework_qty) + _q(line.restock_qty))
		if split != _q(line.returned_qty):
			raise DispositionError(
				_("Row {0}: scrap, rework and restock add up to {1}, but {2} of item {3} came back."),
				line.idx,
				split,
				_q(line.returned_qty),
				line.item_code,
			)
		if not line.inspection_result:
			raise DispositionError(_("Row {0}: record the inspection result."), line.idx)
	if any(_q(ln.scrap_qty) for ln in lines):
		if not targets.scrap_loss_account:
			raise DispositionError(
				_("Goods are scrapped: set the scrap loss account for the company in settings.")
			)
		if targets.scrap_method not in SCRAP_METHODS:
			raise DispositionError(_("Choose how scrapped goods leave the stock."))
		if targets.scrap_method == SCRAP_BY_TRANSFER and not targets.scrap_warehouse:
			raise DispositionError(_("Set the scrap warehouse for the company in settings."))
	if any(_q(ln.rework_qty) for ln in lines) and not targets.rework_warehouse:
		raise DispositionError(_("Set the rework warehouse for the company in settings."))
	if any(_q(ln.restock_qty) for ln in lines) and not targets.sellable_warehouse:
		raise DispositionError(_("Set the sellable warehouse for the company in settings."))


def open_quantities(
	returned: Iterable[tuple[str, str, float]],
	earlier: Iterable[DispositionLine],
	rework_warehouse: str | None,
) -> dict[tuple[str, str], float]:
	"""What still waits for a decision, per (item, warehouse): what the return brought into its
	warehouse (``returned``: item, warehouse, qty), minus what the other submitted dispositions of
	the return took from there, plus what they sent to rework: reworked goods are inspected again
	and disposed of (restocked, scrapped) from the rework warehouse by a later disposition."""
	open_qty: dict[tuple[str, str], float] = {}
	for item_code, warehouse, qty in returned:
		key = (item_code, warehouse)
		open_qty[key] = _q(open_qty.get(key, 0) + abs(_q(qty)))
	for ln in earlier:
		key = (ln.item_code, ln.warehouse)
		open_qty[key] = _q(open_qty.get(key, 0) - _q(ln.returned_qty))
		if rework_warehouse and _q(ln.rework_qty):
			key = (ln.item_code, rework_warehouse)
			open_qty[key] = _q(open_qty.get(key, 0) + _q(ln.rework_qty))
	return open_qty


def check_against_return(lines: Iterable[DispositionLine], open_qty: Mapping[tuple[str, str], float]) -> None:
	"""A disposition cannot dispose of more of an item in a warehouse than waits there for a
	decision (see ``open_quantities``)."""
	wanted: dict[tuple[str, str], float] = {}
	for line in lines:
		key = (line.item_code, line.warehouse)
		wanted[key] = _q(wanted.get(key, 0) + _q(line.returned_qty))
	for (item_code, warehouse), qty in wanted.items():
		left = max(_q(open_qty.get((item_code, warehouse)) or 0), 0)
		if qty > left:
			raise DispositionError(
				_("Only {0} of item {1} in {2} is still waiting for a disposition of the return, not {3}."),
				left,
				item_code,
				warehouse,
				qty,
			)


def check_quality_inspection(
	idx: int, item_code: str, inspection_item: str | None, inspection_docstatus: int | None
) -> None:
	"""An inspection recorded on a line is a submitted Quality Inspection of the line's item."""
	if inspection_item is None:
		raise DispositionError(_("Row {0}: the Quality Inspection does not exist."), idx)
	if inspection_item != item_code:
		raise DispositionError(
			_("Row {0}: the Quality Inspection is of item {1}, not {2}."), idx, inspection_item, item_code
		)
	if inspection_docstatus != 1:
		raise DispositionError(_("Row {0}: submit the Quality Inspection first."), idx)


def stock_entry_plan(lines: Iterable[DispositionLine], targets: Targets) -> list[dict]:
	"""One Stock Entry per decision that has quantities, in the order Scrap, Rework, Restock.

	Each plan: decision, purpose, expense_account (scrap by issue only) and items with the row's
	idx (to link the entry back to the line), item_code, qty, s_warehouse, t_warehouse. No rate:
	ERPNext values the movement from the source warehouse."""
	lines = list(lines)
	validate_lines(lines, targets)
	plans = []
	for decision, attr in ((SCRAP, "scrap_qty"), (REWORK, "rework_qty"), (RESTOCK, "restock_qty")):
		rows = [ln for ln in lines if _q(getattr(ln, attr))]
		if not rows:
			continue
		if decision == SCRAP and targets.scrap_method == SCRAP_BY_ISSUE:
			purpose, target = MATERIAL_ISSUE, None
		elif decision == SCRAP:
			purpose, target = MATERIAL_TRANSFER, targets.scrap_warehouse
		elif decision == REWORK:
			purpose, target = MATERIAL_TRANSFER, targets.rework_warehouse
		else:
			purpose, target = MATERIAL_TRANSFER, targets.sellable_warehouse
		items = []
		for ln in rows:
			if target and target == ln.warehouse:
				raise DispositionError(
					_("Row {0}: the goods are already in {1}; nothing to move."), ln.idx, target
				)
			items.append(
				{
					"idx": ln.idx,
					"item_code": ln.item_code,
					"qty": _q(getattr(ln, attr)),
					"s_warehouse": ln.warehouse,
					"t_warehouse": target,
				}
			)
		plans.append(
			{
				"decision": decision,
				"purpose": purpose,
				"expense_account": targets.scrap_loss_account if decision == SCRAP else None,
				"items": items,
			}
		)
	return plans


QUALITY_MANAGER = "Quality Manager"
SYSTEM_MANAGER = "System Manager"


def check_approver(user: str, roles: Iterable[str], prepared_by: str, docstatus: int) -> None:
	"""The quality manager approves the disposition (处理意见), never one they prepared themselves."""
	if docstatus != 0:
		raise DispositionError(_("Only a draft disposition can be approved."))
	if not ({QUALITY_MANAGER, SYSTEM_MANAGER} & set(roles)):
		raise DispositionError(_("Only a Quality Manager can approve a disposition."))
	if user == prepared_by:
		raise DispositionError(_("You prepared this disposition: another Quality Manager has to approve it."))


def check_approved(approved_by: str | None) -> None:
	if not approved_by:
		raise DispositionError(_("The Quality Manager has not approved this disposition yet."))


def signature(lines: Iterable[DispositionLine]) -> tuple:
	"""What an approval covers: a change to any of it withdraws the approval."""
	return tuple(
		(
			ln.item_code,
			_q(ln.returned_qty),
			ln.warehouse,
			_q(ln.scrap_qty),
			_q(ln.rework_qty),
			_q(ln.restock_qty),
		)
		for ln in lines
	)
