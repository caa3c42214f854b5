"""Key-customer visits: at least one every ``key_customer_visit_months`` months.

The daily survey job plans a visit with a ToDo for each overdue key customer, once (a Planned
visit stops further reminders); staff plan the year's visits from the Key Customer Visit list
(``plan_key_customer_visits``). The planned day is the core's (``core.survey.planned_visit_date``).
"""

import frappe
from frappe import _
from frappe.utils import add_days, add_months, cint, getdate

from service_control.core import survey as rules
from service_control.utils import domain_errors, get_settings

DEFAULT_VISIT_MONTHS = 12


def visit_interval() -> int:
	value = get_settings().key_customer_visit_months
	return DEFAULT_VISIT_MONTHS if value is None else cint(value)


def overdue_key_customers(today=None) -> list[dict]:
	"""Enabled key customers with no completed visit in the interval and nothing planned (one query).

	``company`` is the company the customer deals with: that of its latest visit, else of its
	latest submitted sales invoice, else the first company it is allowed to transact with; None
	when nothing names one."""
	months = visit_interval()
	if months <= 0:
		return []
	cutoff = add_months(getdate(today), -months)
	return frappe.db.sql(
		"""
		select cu.name as customer, cu.customer_name, cu.account_manager,
			(select max(v.visit_date) from `tabKey Customer Visit` v
				where v.customer = cu.name and v.status = 'Completed') as last_visit,
			coalesce(
				(select v.company from `tabKey Customer Visit` v where v.customer = cu.name
					order by v.visit_date desc, v.creation desc limit 1),
				(select si.company from `tabSales Invoice` si where si.customer = cu.name and si.docstatus = 1
					order by si.posting_date desc, si.creation desc limit 1),
				(select a.company from `tabAllowed To Transact With` a
					where a.parenttype = 'Customer' and a.parent = cu.name order by a.idx limit 1)
			) as company
		from `tabCustomer` cu
		where cu.disabled = 0 and cu.sc_key_customer = 1
			and not exists (select 1 from `tabKey Customer Visit` v
				where v.customer = cu.name
					and ((v.status = 'Completed' and v.visit_date > %(cutoff)s) or v.status = 'Planned'))
		order by cu.name
		""",
		{"cutoff": cutoff},
		as_dict=True,
	)


def plan_visit(
	customer: str,
	company: str | None,
	day,
	owner: str | None,
	purpose: str,
	todo: str,
	ignore_permissions: bool = False,
):
	"""A Planned Key Customer Visit with a ToDo for its visitor: a Planned visit stops further
	reminders, so it carries its own ToDo (closed when the visit is completed or cancelled)."""
	visit = frappe.get_doc(
		{
			"doctype": "Key Customer Visit",
			"customer": customer,
			"company": company,
			"status": "Planned",
			"visit_date": day,
			"visited_by": owner,
			"purpose": purpose,
		}
	).insert(ignore_permissions=ignore_permissions)
	frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": owner,
			"reference_type": "Key Customer Visit",
			"reference_name": visit.name,
			"date": day,
			"priority": "Medium",
			"description": todo,
		}
	).insert(ignore_permissions=True)
	return visit


def remind_key_customer_visits(today=None) -> int:
	"""Plan a visit and give its owner a ToDo, once: the Planned visit stops further reminders.

	The visit belongs to the customer's own company (``overdue_key_customers``); the site's
	default company only for a key customer that no visit, invoice or allowed company ties to one
	(a visit must name a company)."""
	today = getdate(today)
	months = visit_interval()
	fallback = get_settings().management_representative
	made = 0
	for row in overdue_key_customers(today):  # only the overdue key customers: a short list
		owner = row.account_manager or fallback
		last = frappe.format(row.last_visit, "Date") if row.last_visit else _("never")
		plan_visit(
			row.customer,
			row.company or frappe.defaults.get_global_default("company"),
			add_days(today, 30),
			owner,
			_("Yearly key-customer visit"),
			_("Key customer {0} has had no visit for {1} months (last visit: {2}). Plan the visit.").format(
				row.customer_name or row.customer, months, last
			),
			ignore_permissions=True,
		)
		made += 1
	return made


@frappe.whitelist()
def plan_key_customer_visits(year: int | str, company: str | None = None) -> int:
	"""The annual visit plan: one Planned visit in ``year`` for every enabled key customer that has
	no visit (planned or completed) dated in that year yet. Running it again adds nothing.

	The day is when the last completed visit falls due again in that year (see
	rules.planned_visit_date), else as early as possible; the visitor is the customer's account
	manager. The plan is the list of Planned visits of the year (list view, filter by status)."""
	frappe.has_permission("Key Customer Visit", "create", throw=True)
	year, today = cint(year), getdate()
	company = company or frappe.defaults.get_user_default("Company")
	company = company or frappe.defaults.get_global_default("company")
	if not company or not frappe.db.exists("Company", company):
		frappe.throw(_("Choose the company whose key customers are visited."))
	with domain_errors(title=_("Annual visit plan")):
		rules.planned_visit_date(None, year, today, visit_interval())  # checks the year
	rows = frappe.db.sql(
		"""
		select cu.name as customer, cu.customer_name, cu.account_manager,
			(select max(v.visit_date) from `tabKey Customer Visit` v
				where v.customer = cu.name and v.status = 'Completed') as last_visit
		from `tabCustomer` cu
		where cu.disabled = 0 and cu.sc_key_customer = 1
			and not exists (select 1 from `tabKey Customer Visit` v
				where v.customer = cu.name and v.status != 'Cancelled'
					and v.visit_date between %(first)s and %(last)s)
		order by cu.name
		""",
		{"first": f"{year}-01-01", "last": f"{year}-12-31"},
		as_dict=True,
	)
	months = visit_interval()
	fallback = get_settings().management_representative
	for row in rows:  # the key customers without a visit that year: a short list
		day = rules.planned_visit_date(
			getdate(row.last_visit) if row.last_visit else None, year, today, months
		)
		owner = row.account_manager or fallback
		plan_visit(
			row.customer,
			company,
			day,
			owner,
			_("Annual key-customer visit {0}").format(year),
			_("Visit key customer {0} on {1} (annual visit plan {2}).").format(
				row.customer_name or row.customer, frappe.format(day, "Date"), year
			),
		)
	return len(rows)
