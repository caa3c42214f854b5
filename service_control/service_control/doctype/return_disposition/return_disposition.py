# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Return Disposition (客退品处理): quality's decision on returned goods, executed as ERPNext Stock
Entries on submit. Rules and the stock-entry plan are in service_control.core.disposition; ERPNext
values every movement (no rate is set here)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, now_datetime

from service_control.core import disposition as rules
from service_control.service_control import vouchers
from service_control.utils import domain_errors, get_company_defaults

DECISIONS = {rules.SCRAP: "scrap", rules.REWORK: "rework", rules.RESTOCK: "restock"}


class ReturnDisposition(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.return_disposition_item.return_disposition_item import (
			ReturnDispositionItem,
		)

		amended_from: DF.Link | None
		approved_by: DF.Link | None
		approved_on: DF.Datetime | None
		company: DF.Link
		customer: DF.Link | None
		customer_complaint: DF.Link
		items: DF.Table[ReturnDispositionItem]
		naming_series: DF.Literal["RD-.YYYY.-"]
		posting_date: DF.Date
		remarks: DF.SmallText | None
		return_doctype: DF.Literal["Delivery Note", "Sales Invoice"]
		sales_return: DF.DynamicLink
		scrap_method: DF.Literal["Material Issue", "Transfer to Scrap Warehouse"]
	# end: auto-generated types

	def validate(self):
		before = self.get_doc_before_save()
		self._keep_approval(before)
		self._validate_return()
		with domain_errors(title=_("Invalid disposition")):
			lines = self._lines()
			rules.validate_lines(lines, self._targets())
			rules.check_against_return(
				lines, open_quantities(self.return_doctype, self.sales_return, self.name)
			)
			for row in self.items:
				if row.quality_inspection:
					inspection = frappe.db.get_value(
						"Quality Inspection", row.quality_inspection, ["item_code", "docstatus"]
					) or (None, None)
					rules.check_quality_inspection(row.idx, row.item_code, *inspection)

	def before_submit(self):
		with domain_errors(title=_("Not approved")):
			rules.check_approved(self.approved_by)

	def on_submit(self):
		self.make_stock_entries()

	def on_cancel(self):
		self.ignore_linked_doctypes = ("Stock Entry", "Stock Ledger Entry", "GL Entry")
		self.cancel_stock_entries()

	# --------------------------------------------------------------------------------------

	def approve(self) -> None:
		"""Quality Manager's approval (处理意见审批); not of a disposition one prepared oneself."""
		with domain_errors(title=_("Cannot approve")):
			rules.check_approver(frappe.session.user, frappe.get_roles(), self.owner, self.docstatus)
		self.flags.approving = True
		self.approved_by, self.approved_on = frappe.session.user, now_datetime()
		self.save()

	def make_stock_entries(self) -> None:
		cost_center = frappe.get_cached_value("Company", self.company, "cost_center")
		with domain_errors(title=_("Invalid disposition")):
			plans = rules.stock_entry_plan(self._lines(), self._targets())
		rows = {row.idx: row for row in self.items}
		for plan in plans:
			# the approved disposition authorises the movement
			se = vouchers.make_stock_entry(
				self.company,
				plan["purpose"],
				[
					{
						"item_code": item["item_code"],
						"qty": item["qty"],
						"s_warehouse": item["s_warehouse"],
						"t_warehouse": item["t_warehouse"],
						"expense_account": plan["expense_account"],
						"cost_center": cost_center,
					}
					for item in plan["items"]
				],
				_("Return Disposition {0}: {1} for complaint {2}").format(
					self.name, _(plan["decision"]), self.customer_complaint
				),
				complaint=self.customer_complaint,
			)
			prefix = DECISIONS[plan["decision"]]
			for item, detail in zip(plan["items"], se.items, strict=True):
				row = rows[item["idx"]]
				row.db_set({f"{prefix}_stock_entry": se.name, f"{prefix}_value": flt(detail.amount)})

	def cancel_stock_entries(self) -> None:
		"""The later decisions' entries first; one the goods of which were used since stays."""
		from erpnext.stock.stock_ledger import NegativeStockError

		for prefix in reversed(DECISIONS.values()):
			for row in self.items:
				name = row.get(f"{prefix}_stock_entry")
				try:
					vouchers.cancel_submitted([("Stock Entry", name)])
				except NegativeStockError as e:
					frappe.throw(
						_(
							"Stock Entry {0} cannot be cancelled: the goods it moved have already been used or sold, "
							"so the disposition stays. ERPNext says: {1}"
						).format(name, str(e)),
						exc=NegativeStockError,
						title=_("Goods already used"),
					)

	# --------------------------------------------------------------------------------------

	def _lines(self) -> list[rules.DispositionLine]:
		return [
			rules.DispositionLine(
				idx=row.idx,
				item_code=row.item_code,
				returned_qty=flt(row.returned_qty),
				warehouse=row.warehouse,
				scrap_qty=flt(row.scrap_qty),
				rework_qty=flt(row.rework_qty),
				restock_qty=flt(row.restock_qty),
				inspection_result=row.inspection_result,
			)
			for row in self.items
		]

	def _targets(self) -> rules.Targets:
		defaults = get_company_defaults(self.company)
		return rules.Targets(
			scrap_method=self.scrap_method or rules.SCRAP_BY_ISSUE,
			scrap_loss_account=defaults.get("scrap_loss_account"),
			scrap_warehouse=defaults.get("scrap_warehouse"),
			rework_warehouse=defaults.get("rework_warehouse"),
			sellable_warehouse=defaults.get("sellable_warehouse"),
		)

	def _keep_approval(self, before) -> None:
		"""approved_by is set by approve() only; a change to the split withdraws the approval."""
		if self.flags.approving:
			return
		self.approved_by = before.approved_by if before else None
		self.approved_on = before.approved_on if before else None
		if before and self.approved_by:
			before_lines = [
				rules.DispositionLine(
					r.idx,
					r.item_code,
					flt(r.returned_qty),
					r.warehouse,
					r.scrap_qty,
					r.rework_qty,
					r.restock_qty,
				)
				for r in before.items
			]
			if rules.signature(before_lines) != rules.signature(self._lines()):
				self.approved_by = self.approved_on = None

	def _validate_return(self) -> None:
		ret = frappe.db.get_value(
			self.return_doctype,
			self.sales_return,
			["is_return", "docstatus", "company", "sc_customer_complaint"],
			as_dict=True,
		)
		if not ret or not ret.is_return or ret.docstatus != 1:
			frappe.throw(
				_("{0} {1} is not a submitted sales return.").format(
					_(self.return_doctype), self.sales_return
				),
				title=_("Invalid disposition"),
			)
		if ret.company != self.company or (
			ret.sc_customer_complaint and ret.sc_customer_complaint != self.customer_complaint
		):
			frappe.throw(
				_("{0} {1} is not a return of complaint {2}.").format(
					_(self.return_doctype), self.sales_return, self.customer_complaint
				),
				title=_("Invalid disposition"),
			)


def open_quantities(
	return_doctype: str, sales_return: str, exclude: str | None = None
) -> dict[tuple[str, str], float]:
	"""Per (item, warehouse): what the return brought back, net of the other submitted dispositions
	of it, plus what they sent to rework (waiting to be inspected again)."""
	item_table = frappe.qb.DocType(f"{return_doctype} Item")
	returned = (
		frappe.qb.from_(item_table)
		.select(item_table.item_code, item_table.warehouse, item_table.stock_qty)
		.where((item_table.parent == sales_return) & (item_table.parenttype == return_doctype))
		.run()
	)
	rd, rdi = frappe.qb.DocType("Return Disposition"), frappe.qb.DocType("Return Disposition Item")
	earlier = [
		rules.DispositionLine(idx, item_code, flt(qty), warehouse, rework_qty=flt(rework))
		for idx, item_code, qty, warehouse, rework in frappe.qb.from_(rdi)
		.join(rd)
		.on(rd.name == rdi.parent)
		.select(rdi.idx, rdi.item_code, rdi.returned_qty, rdi.warehouse, rdi.rework_qty)
		.where(
			(rd.sales_return == sales_return)
			& (rd.return_doctype == return_doctype)
			& (rd.docstatus == 1)
			& (rd.name != (exclude or ""))
		)
		.run()
	]
	company = frappe.db.get_value(return_doctype, sales_return, "company")
	return rules.open_quantities(returned, earlier, get_company_defaults(company).get("rework_warehouse"))


@frappe.whitelist()
def approve(name: str) -> None:
	doc = frappe.get_doc("Return Disposition", name)
	doc.check_permission("write")
	doc.approve()


def on_doctype_update():
	frappe.db.add_index("Return Disposition", ["return_doctype", "sales_return"])
