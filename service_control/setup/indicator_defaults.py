"""The units of measure a Quality Goal objective bound to a service indicator is measured in."""

import frappe

from service_control.core.service_indicators import INDICATOR_UOM


def create_indicator_uoms() -> None:
	"""One UOM per indicator (Cost per Unit, Defects per 100 Units, Repairs per 1000 Units), made
	only where missing."""
	for uom in INDICATOR_UOM.values():
		if not frappe.db.exists("UOM", uom):
			frappe.get_doc({"doctype": "UOM", "uom_name": uom, "must_be_whole_number": 0}).insert(
				ignore_permissions=True
			)
