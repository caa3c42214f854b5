"""Indexes the app's reports need on ERPNext's own tables.

ERPNext's doctypes are not the app's to edit, so their ``on_doctype_update`` cannot declare
these; they are added here at every migrate (idempotent: ``ADD INDEX IF NOT EXISTS``), named
``sc_…`` so they are known as the app's, and dropped on uninstall. Composite indexes carry no
``search_index`` property, so Frappe's schema sync leaves them alone.
"""

import frappe

#: (doctype, index name, columns) — why each one is there:
INDEXES = (
	# Service Indicators, units: the company's deliveries by posting date, a range on the index
	# instead of a scan of every Delivery Note.
	("Delivery Note", "sc_company_posting_date", ("company", "posting_date")),
)


def ensure_indexes() -> None:
	for doctype, name, columns in INDEXES:
		table = f"tab{doctype}"
		if not frappe.db.has_index(table, name):
			frappe.db.sql_ddl(
				f"alter table `{table}` add index if not exists `{name}` ({', '.join(f'`{c}`' for c in columns)})"
			)


def drop_indexes() -> None:
	for doctype, name, _columns in INDEXES:
		table = f"tab{doctype}"
		if frappe.db.has_index(table, name):
			frappe.db.sql_ddl(f"alter table `{table}` drop index `{name}`")
