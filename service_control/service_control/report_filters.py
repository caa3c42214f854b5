"""Filters the script reports share: a date range and a complaint category with its sub-tree."""

import frappe
from frappe.utils import add_days, getdate


def where_dates(query, column, filters):
	"""``column`` between the filters' from and to dates, both days included (for a Datetime
	column, up to the end of the to date); either bound may be left empty."""
	if filters.get("from_date"):
		query = query.where(column >= getdate(filters.from_date))
	if filters.get("to_date"):
		query = query.where(column < add_days(getdate(filters.to_date), 1))
	return query


def where_category(query, column, category: str | None):
	"""``column`` in ``category`` or any of its sub-categories (one nested-set subquery)."""
	if not category:
		return query
	lft, rgt = frappe.db.get_value("Complaint Category", category, ["lft", "rgt"])
	tree = frappe.qb.DocType("Complaint Category")
	return query.where(
		column.isin(frappe.qb.from_(tree).select(tree.name).where((tree.lft >= lft) & (tree.rgt <= rgt)))
	)
