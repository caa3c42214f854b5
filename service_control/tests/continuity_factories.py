"""Idempotent factories of the continuity tests: users, services, plans, tests and invocations."""

import frappe

from service_control.tests.utils import TEST_COMPANY, make_user

#: A Continuity Manager who approves; a second one who writes plans (and may not approve their own).
CM = "sc.cont.cm@example.com"
AUTHOR = "sc.cont.author@example.com"
QM = "sc.cont.qm@example.com"
OWNER = "sc.cont.owner@example.com"
NO_ROLE = "sc.cont.norole@example.com"


def setup_users() -> None:
	make_user(CM, ["Continuity Manager"])
	make_user(AUTHOR, ["Continuity Manager"])
	make_user(QM, ["Quality Manager"])
	make_user(OWNER, ["Customer Service User"])
	make_user(NO_ROLE, [])


def make_service(name: str = "_Test SC Order Desk", **kwargs):
	if frappe.db.exists("Continuity Service", name):
		frappe.delete_doc("Continuity Service", name, force=True)
	return frappe.get_doc(
		{
			"doctype": "Continuity Service",
			"service_name": name,
			"company": TEST_COMPANY,
			"service_owner": OWNER,
			"key_business_process": "Order to delivery",
			"rto_hours": 8,
			"rpo_hours": 1,
			"mto_hours": 24,
			**kwargs,
		}
	).insert()


def make_plan(service: str | None, steps: list[dict] | None = None, **kwargs):
	doc = frappe.get_doc(
		{
			"doctype": "Continuity Plan",
			"title": f"Plan for {service}",
			"company": TEST_COMPANY,
			"scope": "Service" if service else "Site",
			"service": service,
			"plan_owner": OWNER,
			"invocation_criteria": "The order desk is down for more than an hour",
			"recovery_steps": [
				{"step": "Switch to the standby server", "step_owner": OWNER, "target_hours": 2},
				{"step": "Restore the orders from backup", "step_owner": OWNER, "target_hours": 6},
			]
			if steps is None
			else steps,
			**kwargs,
		}
	)
	doc.insert()
	return doc


def approve(plan, user: str = CM):
	"""Submit (approve) the plan as ``user``, then come back as the caller."""
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		plan = frappe.get_doc("Continuity Plan", plan.name)
		plan.submit()
	finally:
		frappe.set_user(previous)
	return plan


def make_test_report(plan: str, **kwargs):
	return frappe.get_doc(
		{
			"doctype": "Continuity Test Report",
			"plan": plan,
			"test_type": "Simulation",
			"scenario": "Fire in the server room",
			"participants": [{"user": OWNER, "role_in_test": "Service owner"}],
			**kwargs,
		}
	).insert()
