"""Factories for the internal-complaint tests: employees of the test company, HR and other users,
and internal complaints. Idempotent where they make masters."""

import frappe
from frappe.utils import now_datetime

from service_control.tests.utils import TEST_COMPANY, make_company, make_user

HR_USER = "sc.hr@example.com"
HR_MANAGER = "sc.hrm@example.com"
CS_ONLY = "sc.cs.only@example.com"
QM_ONLY = "sc.qm.only@example.com"
EMPLOYEE_NAME = "_Test SC Complainant"


def make_department(name: str, company: str = TEST_COMPANY) -> str:
	existing = frappe.db.get_value("Department", {"department_name": name, "company": company})
	if existing:
		return existing
	return (
		frappe.get_doc({"doctype": "Department", "department_name": name, "company": company})
		.insert(ignore_permissions=True)
		.name
	)


def make_employee(first_name: str = EMPLOYEE_NAME, department: str = "Production") -> str:
	make_company()
	existing = frappe.db.get_value("Employee", {"first_name": first_name, "company": TEST_COMPANY})
	if existing:
		return existing
	return (
		frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": first_name,
				"company": TEST_COMPANY,
				"department": make_department(department),
				"gender": frappe.db.get_value("Gender", {}, "name"),
				"date_of_birth": "1990-01-01",
				"date_of_joining": "2020-01-01",
				"status": "Active",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_internal_masters() -> None:
	make_user(HR_USER, ["HR User"])
	make_user(HR_MANAGER, ["HR Manager"])
	make_user(CS_ONLY, ["Customer Service User"])
	make_user(QM_ONLY, ["Quality Manager"])
	make_employee()


def make_internal_complaint(**kwargs):
	doc = frappe.get_doc(
		{
			"doctype": "Internal Complaint",
			"company": TEST_COMPANY,
			"complainant": make_employee(),
			"against_department": make_department("Dispatch"),
			"subject": "Late handover of shipping documents",
			"description": "<p>Dispatch hands the documents over a day late.</p>",
			"received_on": now_datetime(),
			"channel": "E-mail",
			"urgency": "Normal",
			**kwargs,
		}
	)
	doc.insert()
	return doc
