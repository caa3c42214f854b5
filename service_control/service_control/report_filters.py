"""Filters the script reports share: a date range, a complaint category with its sub-tree, a
region (territory) with its sub-tree, and the row bound of the registers."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import add_days, fmt_money, getdate

#: Rows a register may list at once. A month of a busy site (some 20,000 complaints at a million
#: over four years) fits twice; beyond it the response (about 0.5 kB a row as JSON) and the
#: browser's grid slow down, and a longer period is better read in an analysis report. The desk
#: has no server paging for script reports: every row goes to the browser in one response.
MAX_REGISTER_ROWS = 50_000


def check_register_size(query, records: str) -> None:
	"""Refuse filters whose ``query`` (one row per record) selects more than
	``MAX_REGISTER_ROWS``, counted up to one more, so a wide period costs no more than a narrow
	one. ``records`` names them in the message (already translated)."""
	capped = query.limit(MAX_REGISTER_ROWS + 1)
	rows = frappe.qb.from_(capped).select(Count("*")).run()[0][0]
	if rows > MAX_REGISTER_ROWS:
		frappe.throw(
			_(
				"The register lists at most {0} {1} at once and these filters select more."
				" Narrow the period (From Date, To Date) or add a filter."
			).format(fmt_money(MAX_REGISTER_ROWS, precision=0), records),
			title=_("Too Many Rows"),
		)


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


def where_territory(query, customer_column, territory: str | None):
	"""``customer_column`` a customer of ``territory`` or any of its sub-territories (the region
	of a complaint, survey or repair is its customer's)."""
	if not territory:
		return query
	territories = [territory, *frappe.db.get_descendants("Territory", territory)]
	customer = frappe.qb.DocType("Customer")
	return query.where(
		customer_column.isin(
			frappe.qb.from_(customer).select(customer.name).where(customer.territory.isin(territories))
		)
	)
