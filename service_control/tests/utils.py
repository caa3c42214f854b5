"""Integration-test helpers: complete ERPNext's setup, and idempotent ``make_*`` factories.

``bench run-tests --app service_control`` runs only this app's ``before_tests``, so it has to
finish ERPNext's setup wizard (company, fiscal year, chart of accounts) itself, as frappe/hrms
does.
"""

import frappe
from frappe.utils import add_days, getdate, now_datetime

TEST_COMPANY = "_Test Service Company"
TEST_ABBR = "_TSC"
#: A second company of the group, for the policies that differ per company.
OTHER_COMPANY = "_Test SC Other Company"
OTHER_ABBR = "_TSCO"

#: Every test module sets ``test_ignore = TEST_IGNORE``: the factories below make the ERPNext
#: records each test needs, so Frappe's runner must not pull in ERPNext's whole graph of test
#: records (which also needs apps this site may not have, such as payments).
TEST_IGNORE = [
	"Account",
	"Address",
	"Asset",
	"Batch",
	"Communication",
	"Company",
	"Contact",
	"Currency",
	"Customer",
	"Customer Group",
	"Delivery Note",
	"Department",
	"DocType",
	"Email Account",
	"Email Template",
	"Employee",
	"Holiday List",
	"Installation Note",
	"Issue",
	"Item",
	"Item Group",
	"Journal Entry",
	"Lead",
	"Location",
	"Payment Entry",
	"Portal User",
	"Price List",
	"Purchase Invoice",
	"Quality Goal",
	"Quality Inspection",
	"Quality Meeting",
	"Quality Procedure",
	"Quality Review",
	"Role",
	"Sales Invoice",
	"Sales Order",
	"Serial No",
	"Stock Entry",
	"Supplier",
	"Territory",
	"UOM",
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
	make_company(OTHER_COMPANY, OTHER_ABBR)
	make_fiscal_years()
	# Notifications and assignments e-mail their users. Mails are queued (tests count Email Queue)
	# but never sent: sending commits the transaction and would leak one test's rows into the next.
	# Muted mail needs a real outgoing account, or Frappe's dummy account has no address.
	make_outgoing_email_account()
	frappe.flags.mute_emails = True
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


def make_customer(name: str = "_Test SC Customer", **fields) -> str:
	"""The customer ``name``, made once (``fields`` are used only when it is made)."""
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
				"territory": frappe.db.get_value("Territory", {"is_group": 0}, "name"),
				**fields,
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


def new_delivery_note(customer: str, items: list[dict], **fields):
	"""An unsaved Delivery Note of the test company in CNY on the test price list, dated today
	unless ``fields`` say otherwise; each of ``items`` from the test warehouse unless it names one."""
	return frappe.get_doc(
		{
			"doctype": "Delivery Note",
			"company": TEST_COMPANY,
			"customer": customer,
			"currency": "CNY",
			"conversion_rate": 1,
			"selling_price_list": make_price_list(),
			"plc_conversion_rate": 1,
			"posting_date": getdate(),
			**fields,
			"items": [{"warehouse": get_warehouse(), **item} for item in items],
		}
	)


def make_delivery_note(customer: str, item_code: str, qty: float = 10, rate: float = 200):
	make_stock(item_code, qty=qty)
	dn = new_delivery_note(customer, [{"item_code": item_code, "qty": qty, "rate": rate}])
	dn.insert(ignore_permissions=True)
	dn.submit()
	return dn


def earlier_today(hours: float):
	"""``hours`` ago, but today: what the tests deliver today is never complained about or
	reported the day before (just after midnight in the site's time zone)."""
	from datetime import datetime, time, timedelta

	now = now_datetime()
	return max(now - timedelta(hours=hours), datetime.combine(now.date(), time.min))


def make_complaint(**kwargs):
	"""A registered complaint (status Open), received an hour ago (today) unless told otherwise."""
	doc = frappe.get_doc(
		{
			"doctype": "Customer Complaint",
			"company": TEST_COMPANY,
			"customer": make_customer(),
			"channel": "Phone",
			"received_on": earlier_today(1),
			"urgency": "Normal",
			"description": "Parts arrived scratched",
			**kwargs,
		}
	)
	doc.insert()
	return doc


# ------------------------------------------------------------------------------------------
# returns, disposition and compensation


def as_form_loads(doctype: str, name: str):
	"""The document as the desk form gets it: loaded, then ``onload`` run (which fills in the
	deadlines a derived SLA clock does not store)."""
	from frappe.desk.form.load import run_onload

	doc = frappe.get_doc(doctype, name)
	run_onload(doc)
	return doc


def make_account(account_name: str, parent_name: str = "Indirect Expenses", **kwargs) -> str:
	name = frappe.db.get_value("Account", {"account_name": account_name, "company": TEST_COMPANY}, "name")
	if name:
		return name
	parent = frappe.db.get_value(
		"Account", {"account_name": parent_name, "company": TEST_COMPANY, "is_group": 1}, "name"
	)
	return (
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": account_name,
				"parent_account": parent,
				"company": TEST_COMPANY,
				**kwargs,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_warehouse(warehouse_name: str) -> str:
	name = get_warehouse(warehouse_name)
	if name:
		return name
	parent = frappe.db.get_value("Warehouse", {"is_group": 1, "company": TEST_COMPANY}, "name")
	return (
		frappe.get_doc(
			{
				"doctype": "Warehouse",
				"warehouse_name": warehouse_name,
				"company": TEST_COMPANY,
				"parent_warehouse": parent,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def set_service_company_defaults(**overrides) -> dict:
	"""The test company's row of Service Company Defaults (limits 5000 / 1000 CNY), with the
	accounts and warehouses returns and compensation need; ``overrides`` replace single values (None clears)."""
	values = {
		"company": TEST_COMPANY,
		"quality_manager_limit": 5000,
		"supplier_claim_limit": 1000,
		"currency": "CNY",
		"compensation_expense_account": make_account("_Test SC Compensation Expense"),
		"scrap_loss_account": make_account("_Test SC Scrap Loss"),
		"pending_warehouse": make_warehouse("_Test SC Pending"),
		"scrap_warehouse": make_warehouse("_Test SC Scrap"),
		"rework_warehouse": make_warehouse("_Test SC Rework"),
		"sellable_warehouse": get_warehouse(),
		**overrides,
	}
	settings = frappe.get_single("Service Control Settings")
	row = next((r for r in settings.company_defaults if r.company == TEST_COMPANY), None)
	if row is None:
		row = settings.append("company_defaults", {})
	row.update(values)
	settings.flags.ignore_permissions = True
	settings.save()
	frappe.clear_document_cache("Service Control Settings", "Service Control Settings")
	return values


def make_sales_invoice(customer: str, item_code: str, qty: float = 10, rate: float = 200, **kwargs):
	"""A submitted Sales Invoice that does not move stock (goods went on a Delivery Note)."""
	si = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": TEST_COMPANY,
			"customer": customer,
			"currency": "CNY",
			"conversion_rate": 1,
			"selling_price_list": make_price_list(),
			"plc_conversion_rate": 1,
			"posting_date": getdate(),
			"due_date": getdate(),
			"items": [{"item_code": item_code, "qty": qty, "rate": rate}],
			**kwargs,
		}
	)
	si.insert(ignore_permissions=True)
	si.submit()
	return si


# ---- CAPA ----------------------------------------------------------------------------------


def make_corrective_action(days_ago: int = 30, **kwargs):
	"""An internal CAPA in Draft, dated ``days_ago`` days back (so past due dates are allowed)."""
	doc = frappe.get_doc(
		{
			"doctype": "Corrective Action",
			"company": TEST_COMPANY,
			"opened_on": add_days(getdate(), -days_ago),
			"problem_what": "Housings scratched in final assembly",
			"problem_where": "Assembly line 2",
			"severity": 6,
			"occurrence": 4,
			"detection": 5,
			**kwargs,
		}
	)
	doc.insert()
	return doc


def advance_capa_to(doc, status: str, actions: list[dict] | None = None):
	"""Walk a CAPA through the gates up to ``status`` (as the current user), filling what each needs."""
	order = [
		"Draft",
		"Containment",
		"Root Cause",
		"Actions Planned",
		"Approved",
		"Implemented",
		"Effectiveness Check",
	]
	for step in order[order.index(doc.status) + 1 : order.index(status) + 1]:
		if step == "Root Cause" and not doc.containment_actions:
			doc.append("containment_actions", {"action": "Sort stock on hand", "action_type": "Emergency"})
		if step == "Actions Planned":
			doc.root_cause_method = doc.root_cause_method or "Fishbone"
			doc.root_cause = doc.root_cause or "Worn fixture scratches the housing"
			doc.cause_category = doc.cause_category or "Machine"
			for row in actions or [{"action": "Replace the fixture", "due_date": add_days(getdate(), 5)}]:
				doc.append(
					"actions",
					{
						"round": doc.current_round,
						"action_type": "Corrective",
						"action_owner": "Administrator",
						**row,
					},
				)
		if step == "Implemented":
			for row in doc.actions:
				if row.status in ("Open", "In Progress"):
					row.status, row.completed_on = "Done", row.completed_on or getdate()
		doc.status = step
		doc.save()
	return doc


# ---- satisfaction surveys ------------------------------------------------------------------

SURVEY_GROUP = "_Test SC Survey Group"
SURVEY_TEMPLATE = "_Test SC Survey Template"
SURVEY_CRITERIA = (("Product Quality", "产品质量", 40), ("Delivery", "交货期", 30), ("Service", "服务", 30))


def make_survey_customer(name: str, key: int = 0, email: str | None = None, disabled: int = 0) -> str:
	"""A customer in the survey test group with a primary contact that has ``email``."""
	if not frappe.db.exists("Customer Group", SURVEY_GROUP):
		frappe.get_doc(
			{
				"doctype": "Customer Group",
				"customer_group_name": SURVEY_GROUP,
				"parent_customer_group": frappe.db.get_value("Customer Group", {"is_group": 1}, "name"),
				"is_group": 0,
			}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_group": SURVEY_GROUP,
				"territory": frappe.db.get_value("Territory", {"is_group": 0}, "name"),
			}
		).insert(ignore_permissions=True)
	frappe.db.set_value("Customer", name, {"sc_key_customer": key, "disabled": disabled})
	if email and not frappe.db.get_value("Customer", name, "customer_primary_contact"):
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": name,
				"email_ids": [{"email_id": email, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": name}],
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value("Customer", name, "customer_primary_contact", contact.name)
	return name


def make_survey_template(name: str = SURVEY_TEMPLATE, scale: str = "1-5", include_nps: int = 1) -> str:
	if not frappe.db.exists("Satisfaction Survey Template", name):
		frappe.get_doc(
			{
				"doctype": "Satisfaction Survey Template",
				"template_name": name,
				"scale": scale,
				"include_nps": include_nps,
				"intro_en": "Please rate us.",
				"intro_zh": "请为我们评分。",
				"criteria": [{"label_en": en, "label_zh": zh, "weight": w} for en, zh, w in SURVEY_CRITERIA],
			}
		).insert(ignore_permissions=True)
	return name


def make_survey_plan(customers: list[str] | None = None, **kwargs):
	doc = frappe.get_doc(
		{
			"doctype": "Satisfaction Survey Plan",
			"title": "_Test SC Survey Plan",
			"plan_year": getdate().year,
			"company": TEST_COMPANY,
			"template": make_survey_template(),
			"plan_owner": "Administrator",
			"frequency": "Half-yearly",
			"selection": "Customer List" if customers else "Key Customers",
			"customers": [{"customer": c} for c in customers or []],
			**kwargs,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc


def make_outgoing_email_account(email: str = "sc.outgoing@example.com") -> str:
	"""A default outgoing account, so frappe.sendmail queues mail in tests (SMTP is not contacted)."""
	name = frappe.db.get_value("Email Account", {"default_outgoing": 1, "enable_outgoing": 1})
	if name:
		return name
	return (
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "_Test SC Outgoing",
				"email_id": email,
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "localhost",
				"smtp_port": 25,
				"no_smtp_authentication": 1,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_supplier(name: str = "_Test SC Supplier") -> str:
	if not frappe.db.exists("Supplier", name):
		frappe.get_doc(
			{
				"doctype": "Supplier",
				"supplier_name": name,
				"supplier_group": frappe.db.get_value("Supplier Group", {"is_group": 0}, "name"),
			}
		).insert(ignore_permissions=True)
	return name
