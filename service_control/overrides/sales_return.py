"""Sales returns made from a complaint (return Delivery Note or Sales Invoice).

ERPNext checks a return against what was delivered with a plain read, which in a transaction
that began before another return was committed does not see that return: two returns submitted
at once could together bring back more than was delivered. Here they queue on the complaint's
row and count the submitted returns with a locking read, which sees the latest committed rows.
It skips rows another transaction holds: a submit locks its own return's rows before it reaches
this point (Frappe loads the document ``for update``), so waiting for them would deadlock with
that submit, which in turn waits here for the complaint; such a return is not submitted yet."""

import frappe
from frappe import _

from service_control.core import disposition as rules
from service_control.utils import domain_errors

DETAIL_FIELD = {"Delivery Note": "dn_detail", "Sales Invoice": "sales_invoice_item"}


def before_submit(doc, method=None):
	if not (doc.get("is_return") and doc.get("sc_customer_complaint")):
		return
	detail = DETAIL_FIELD[doc.doctype]
	rows = [row for row in doc.items if row.get(detail)]
	if not rows:
		return
	frappe.db.get_value("Customer Complaint", doc.sc_customer_complaint, "name", for_update=True)
	details = tuple({row.get(detail) for row in rows})
	returned = dict(
		frappe.db.sql(
			f"""select item.`{detail}`, sum(-item.stock_qty)
			from `tab{doc.doctype} Item` item
			join `tab{doc.doctype}` parent on parent.name = item.parent
			where parent.is_return = 1 and parent.docstatus = 1 and item.`{detail}` in %(details)s
			group by item.`{detail}`
			for update skip locked""",
			{"details": details},
		)
	)
	delivered = dict(
		frappe.db.sql(
			f"select name, stock_qty from `tab{doc.doctype} Item` where name in %(details)s",
			{"details": details},
		)
	)
	requested: dict[str, float] = {}
	for row in rows:
		key = row.get(detail)
		requested[key] = requested.get(key, 0) + abs(row.stock_qty or row.qty or 0)
	items = {row.get(detail): row.item_code for row in rows}
	with domain_errors(title=_("Cannot return goods")):
		for key, qty in requested.items():
			rules.check_return_qty(items[key], qty, delivered.get(key) or 0, returned.get(key) or 0)
