"""Integration-test helpers: complete ERPNext's setup, and idempotent ``make_*`` factories.

``bench run-tests --app service_control`` runs only this app's ``before_tests``, so it has to
finish ERPNext's setup wizard (company, fiscal year, chart of accounts) itself, as frappe/hrms
does.
"""

import frappe
from frappe.utils import add_days, getdate, now_datetime

TEST_COMPANY = "_Test Service Company"
TEST_ABBR = "_TSC"

#: Every test module sets ``test_ignore = TEST_IGNORE``: the factories below make the ERPNext
#: records each test needs, so Frappe's runner must not pull in ERPNext's whole graph of test
#: records (which also needs apps this site may not have, such as payments).
TEST_IGNORE = [
	"Account",
	"Batch",
	"Company",
	"Contact",
	"Currency",
	"Customer",
	"Customer Group",
	"Delivery Note",
	"Department",
	"DocType",
	"Holiday List",
	"Item",
	"Journal Entry",
	"Payment Entry",
	"Purchase Invoice",
	"Quality Inspection",
	"Role",
	"Sales Invoice",
	"Sales Order",
	"Serial No",
	"Stock Entry",
	"Supplier",
	"User",
	"Warehouse",
	"Warranty Claim",
]


def before_tests():
	frappe.clear_cache()
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	from erpnext.setup.utils import enable_all_roles_and_domains

	year = now_datetime().year
	if not frappe.db.a_row_exists("Company"):
		setup_complete(
			{
				"currency": "CNY",
				"full_name": "Test User",
				"company_name": TEST_COMPANY,
				"timezone": "Asia/Shanghai",
				"company_abbr": TEST_ABBR,
				"industry": "Manufacturing",
				"country": "China",
				"fy_start_date": f"{year}-01-01",
				"fy_end_date": f"{year}-12-31",
				"language": "english",
				"company_tagline": "Testing",
				"email": "test@example.com",
				"password": "test",
				"chart_of_accounts": "Standard",
			}
		)
	enable_all_roles_and_domains()
	make_company()
	make_fiscal_years()
	frappe.db.commit()  # nosemgrep: before_tests must leave the setup in place for every test


def make_company(name: str = TEST_COMPANY, abbr: str = TEST_ABBR) -> str:
	if not frappe.db.exists("Company", name):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": name,
				"abbr": abbr,
				"default_currency": "CNY",
				"country": "China",
				"chart_of_accounts": "Standard",
			}
		).insert()
	return name


def make_fiscal_years() -> None:
	"""Fiscal years around today, so documents dated last or next year post too."""
	from erpnext.accounts.utils import get_fiscal_year

	for offset in (-400, 0, 400):
		day = add_days(getdate(), offset)
		try:
			get_fiscal_year(day, company=TEST_COMPANY)
		except Exception:
			frappe.get_doc(
				{
					"doctype": "Fiscal Year",
					"year": str(day.year),
					"year_start_date": f"{day.year}-01-01",
					"year_end_date": f"{day.year}-12-31",
					"companies": [{"company": TEST_COMPANY}],
				}
			).insert(ignore_if_duplicate=True)


def make_user(email: str, roles: list[str], user_type: str = "System User") -> str:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"user_type": user_type,
			}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	missing = [r for r in roles if r not in {d.role for d in user.roles}]
	if missing:
		user.add_roles(*missing)
	return email


def make_customer(name: str = "_Test SC Customer") -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
				"territory": frappe.db.get_value("Territory", {"is_group": 0}, "name"),
			}
		).insert(ignore_permissions=True)
	return name


def make_item(item_code: str = "_Test SC Item", **kwargs) -> str:
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_name": item_code,
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
				"stock_uom": "Nos",
				"is_stock_item": 1,
				"valuation_rate": 100,
				**kwargs,
			}
		).insert(ignore_permissions=True)
	return item_code


def get_warehouse(name: str = "Stores") -> str:
	return frappe.db.get_value("Warehouse", {"warehouse_name": name, "company": TEST_COMPANY}, "name")


def make_stock(item_code: str, qty: float = 100, rate: float = 100, warehouse: str | None = None) -> None:
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	make_stock_entry(
		item_code=item_code,
		target=warehouse or get_warehouse(),
		qty=qty,
		basic_rate=rate,
		company=TEST_COMPANY,
	)


def make_price_list(name: str = "_Test SC Selling CNY") -> str:
	if not frappe.db.exists("Price List", name):
		frappe.get_doc(
			{"doctype": "Price List", "price_list_name": name, "currency": "CNY", "selling": 1, "enabled": 1}
		).insert(ignore_permissions=True)
	return name


def make_delivery_note(customer: str, item_code: str, qty: float = 10, rate: float = 200):
	make_stock(item_code, qty=qty)
	dn = frappe.get_doc(
		{
			"doctype": "Delivery Note",
			"company": TEST_COMPANY,
			"customer": customer,
			"currency": "CNY",
			"conversion_rate": 1,
			"selling_price_list": make_price_list(),
			"plc_conversion_rate": 1,
			"posting_date": getdate(),
			"items": [
				{
					"item_code": item_code,
					"qty": qty,
					"rate": rate,
					"warehouse": get_warehouse(),
				}
			],
		}
	)
	dn.insert(ignore_permissions=True)
	dn.submit()
	return dn


def make_complaint(**kwargs):
	"""A registered complaint (status Open), received an hour ago unless told otherwise."""
	from datetime import timedelta

	doc = frappe.get_doc(
		{
			"doctype": "Customer Complaint",
			"company": TEST_COMPANY,
			"customer": make_customer(),
			"channel": "Phone",
			"received_on": now_datetime() - timedelta(hours=1),
			"urgency": "Normal",
			"description": "Parts arrived scratched",
			**kwargs,
		}
	)
	doc.insert()
	return doc
