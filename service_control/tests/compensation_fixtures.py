"""Issue 5 integration fixtures: a returned, disposed and compensated complaint, made through the
real workflow by real users (so report tests read what production would write)."""

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
	make_user(ACC, ["Accounts User", "Accounts Manager"])


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
