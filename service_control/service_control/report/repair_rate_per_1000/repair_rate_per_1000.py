# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""R/1000: repairs per thousand units delivered, per item and period. Delivered quantities are
the stock quantities of submitted Delivery Notes (returns netted off); repairs are the repair
requests reported in the period (cancelled ones left out)."""

import frappe
from frappe import _
from frappe.utils import add_days, getdate

from service_control.core import repair as rules


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	periodicity = filters.get("periodicity") or rules.MONTHLY
	repairs = _sum_by_item_period(_repairs(filters), periodicity)
	delivered = _sum_by_item_period(_delivered(filters), periodicity)
	table = rules.r_per_1000_table(repairs, delivered)
	data = [
		{
			"item_code": item,
			"period": period,
			"repairs": count,
			"delivered_qty": qty,
			"r_per_1000": round(rate, 2) if rate is not None else None,
		}
		for (item, period), (count, qty, rate) in sorted(table.items(), key=lambda kv: (kv[0][1], kv[0][0]))
	]
	total = rules.r_per_1000(sum(repairs.values()), sum(delivered.values()))
	summary = [
		{"label": _("Repairs"), "value": sum(repairs.values()), "datatype": "Int"},
		{"label": _("Delivered Qty"), "value": sum(delivered.values()), "datatype": "Float"},
		{"label": _("R/1000"), "value": round(total, 2) if total is not None else None, "datatype": "Float"},
	]
	return get_columns(), data, None, None, summary


def get_columns() -> list[dict]:
	return [
		{"label": _("Item"), "fieldname": "item_code", "fieldtype": "Link", "options": "Item", "width": 180},
		{"label": _("Period"), "fieldname": "period", "fieldtype": "Data", "width": 90},
		{"label": _("Repairs"), "fieldname": "repairs", "fieldtype": "Int", "width": 90},
		{"label": _("Delivered Qty"), "fieldname": "delivered_qty", "fieldtype": "Float", "width": 120},
		{"label": _("R/1000"), "fieldname": "r_per_1000", "fieldtype": "Float", "width": 100},
	]


def _date_range(filters):
	return getdate(filters.get("from_date") or "1900-01-01"), add_days(getdate(filters.get("to_date")), 1)


def _repairs(filters) -> list[tuple]:
	"""(item, year, month, count) of repair requests, grouped in SQL."""
	start, end = _date_range(filters)
	conditions = ["status != 'Cancelled'", "reported_on >= %(start)s", "reported_on < %(end)s"]
	if filters.get("company"):
		conditions.append("company = %(company)s")
	if filters.get("item_code"):
		conditions.append("item_code = %(item_code)s")
	return frappe.db.sql(
		f"""select item_code, year(reported_on), month(reported_on), count(*)
		from `tabRepair Request` where {" and ".join(conditions)}
		group by item_code, year(reported_on), month(reported_on)""",
		{**filters, "start": start, "end": end},
	)


def _delivered(filters) -> list[tuple]:
	"""(item, year, month, stock qty) of submitted Delivery Notes, returns netted off."""
	start, end = _date_range(filters)
	conditions = ["dn.docstatus = 1", "dn.posting_date >= %(start)s", "dn.posting_date < %(end)s"]
	if filters.get("company"):
		conditions.append("dn.company = %(company)s")
	if filters.get("item_code"):
		conditions.append("dni.item_code = %(item_code)s")
	return frappe.db.sql(
		f"""select dni.item_code, year(dn.posting_date), month(dn.posting_date), sum(dni.stock_qty)
		from `tabDelivery Note Item` dni join `tabDelivery Note` dn on dn.name = dni.parent
		where {" and ".join(conditions)}
		group by dni.item_code, year(dn.posting_date), month(dn.posting_date)""",
		{**filters, "start": start, "end": end},
	)


def _sum_by_item_period(rows, periodicity: str) -> dict[tuple[str, str], float]:
	out: dict[tuple[str, str], float] = {}
	for item, year, month, value in rows:
		key = (item, rules.period_key(getdate(f"{year}-{month:02d}-01"), periodicity))
		out[key] = out.get(key, 0) + float(value or 0)
	return out
