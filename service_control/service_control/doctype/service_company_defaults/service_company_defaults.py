# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ServiceCompanyDefaults(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company: DF.Link
		compensation_expense_account: DF.Link | None
		currency: DF.Link | None
		holiday_list: DF.Link | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		pending_warehouse: DF.Link | None
		quality_manager_limit: DF.Currency
		repair_labour_item: DF.Link | None
		repair_labour_rate: DF.Currency
		rework_warehouse: DF.Link | None
		scrap_loss_account: DF.Link | None
		scrap_warehouse: DF.Link | None
		sellable_warehouse: DF.Link | None
		supplier_claim_limit: DF.Currency
	# end: auto-generated types
	pass
