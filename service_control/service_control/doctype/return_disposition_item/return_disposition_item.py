# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ReturnDispositionItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		inspection_result: DF.Literal["", "Conforming", "Nonconforming", "Partly Conforming"]
		item_code: DF.Link
		item_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		quality_inspection: DF.Link | None
		restock_qty: DF.Float
		restock_stock_entry: DF.Link | None
		restock_value: DF.Currency
		return_detail: DF.Data | None
		returned_qty: DF.Float
		rework_qty: DF.Float
		rework_stock_entry: DF.Link | None
		rework_value: DF.Currency
		scrap_qty: DF.Float
		scrap_stock_entry: DF.Link | None
		scrap_value: DF.Currency
		warehouse: DF.Link
	# end: auto-generated types

	pass
