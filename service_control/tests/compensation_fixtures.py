"""Fixtures for the returns and compensation tests: a returned, disposed and compensated
complaint, made through the real workflow by real users (so report tests read what production
would write)."""

import frappe
from frappe.model.workflow import apply_workflow

from service_control.tests.utils import (
	TEST_COMPANY,
	make_complaint,
	make_customer,
	make_delivery_note,
	make_item,
	make_user,
	set_service_company_defaults,
)

CS = "cs5@example.com"
QM = "qm5@example.com"
WH = "wh5@example.com"
ACC = "acc5@example.com"


def make_users() -> None:
	make_user(CS, ["Customer Service User"])
	make_user(QM, ["Quality Manager"])
	make_user(WH, ["Stock User", "Stock Manager"])
	# settles every method: a free replacement leaves stock, so the settler may submit deliveries
	make_user(ACC, ["Accounts User", "Accounts Manager", "Stock User"])


def returned_complaint(item_code: str, qty: float = 3, customer: str | None = None, **kwargs):
	"""A complaint on a delivery of 10 at 200, with ``qty`` returned into the pending warehouse."""
	from service_control.service_control.returns import make_sales_return

	set_service_company_defaults()
	make_users()
	customer = customer or make_customer()
	make_item(item_code)
	dn = make_delivery_note(customer, item_code, qty=10, rate=200)
	complaint = make_complaint(
		customer=customer, item_code=item_code, delivery_note=dn.name, affected_qty=qty, **kwargs
	)
	ret = make_sales_return(complaint.name)
	ret.insert()
	ret.submit()
	return complaint, ret


def dispose(ret, scrap: float, rework: float, restock: float):
	from service_control.service_control.doctype.return_disposition.return_disposition import approve
	from service_control.service_control.returns import make_return_disposition

	frappe.set_user(WH)
	doc = make_return_disposition("Delivery Note", ret.name)
	for row in doc.items:
		row.update(
			{
				"scrap_qty": scrap,
				"rework_qty": rework,
				"restock_qty": restock,
				"inspection_result": "Nonconforming",
			}
		)
	doc.insert()
	frappe.set_user(QM)
	approve(doc.name)
	frappe.set_user(WH)
	doc = frappe.get_doc("Return Disposition", doc.name)
	doc.submit()
	frappe.set_user("Administrator")
	return doc


def settle(complaint, settlement_method: str = "Journal Entry", **amounts):
	frappe.set_user(CS)
	doc = frappe.get_doc(
		{
			"doctype": "Compensation",
			"customer_complaint": complaint.name,
			"company": TEST_COMPANY,
			"customer": complaint.customer,
			"currency": "CNY",
			"settlement_method": settlement_method,
			**(amounts or {"goods_amount": 300}),
		}
	).insert()
	for action, user in (("Submit for Approval", CS), ("Approve", QM), ("Settle", ACC)):
		frappe.set_user(user)
		apply_workflow(frappe.get_doc("Compensation", doc.name), action)
	frappe.set_user("Administrator")
	return frappe.get_doc("Compensation", doc.name)


# ---- a customer invoiced in USD by the CNY test company ------------------------------------

USD_CUSTOMER = "_Test SC USD Customer"
USD_PRICE_LIST = "_Test SC Selling USD"


def usd_rate(rate: float, date) -> None:
	"""ERPNext's Currency Exchange record USD -> CNY on ``date``."""
	filters = {"from_currency": "USD", "to_currency": "CNY", "date": date}
	name = frappe.db.get_value("Currency Exchange", filters)
	if name:
		frappe.db.set_value("Currency Exchange", name, "exchange_rate", rate)
		return
	frappe.get_doc(
		{"doctype": "Currency Exchange", **filters, "exchange_rate": rate, "for_selling": 1, "for_buying": 1}
	).insert(ignore_permissions=True)


def make_usd_customer() -> str:
	"""A customer whose receivable account at the test company is in USD, as ERPNext requires
	for invoicing it in USD."""
	from service_control.tests.utils import make_account

	debtors = make_account(
		"_Test SC Debtors USD", "Accounts Receivable", account_type="Receivable", account_currency="USD"
	)
	make_customer(
		USD_CUSTOMER, default_currency="USD", accounts=[{"company": TEST_COMPANY, "account": debtors}]
	)
	if not frappe.db.exists("Price List", USD_PRICE_LIST):
		frappe.get_doc(
			{
				"doctype": "Price List",
				"price_list_name": USD_PRICE_LIST,
				"currency": "USD",
				"selling": 1,
				"enabled": 1,
			}
		).insert(ignore_permissions=True)
	return USD_CUSTOMER


def usd_invoice(item_code: str, qty: float = 10, rate: float = 100, conversion_rate: float = 7.0):
	"""A submitted USD Sales Invoice that delivers the goods itself (so they can come back on it)."""
	from frappe.utils import getdate

	from service_control.tests.utils import get_warehouse, make_stock

	make_stock(item_code, qty=qty)
	si = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": TEST_COMPANY,
			"customer": make_usd_customer(),
			"currency": "USD",
			"conversion_rate": conversion_rate,
			"selling_price_list": USD_PRICE_LIST,
			"plc_conversion_rate": conversion_rate,
			"posting_date": getdate(),
			"due_date": getdate(),
			"update_stock": 1,
			"set_warehouse": get_warehouse(),
			"items": [{"item_code": item_code, "qty": qty, "rate": rate, "warehouse": get_warehouse()}],
		}
	)
	si.insert(ignore_permissions=True)
	si.submit()
	return si
