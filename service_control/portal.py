"""Portal users: ERPNext 15 links a website user to a customer through the customer's Portal
Users table. Every doctype a customer may see (complaints, repair requests, surveys) restricts
portal users to the records of their own customers with these helpers."""

import frappe


def is_portal_user(user: str | None = None) -> bool:
	return frappe.get_cached_value("User", user or frappe.session.user, "user_type") == "Website User"


def get_portal_customers(user: str | None = None) -> list[str]:
	"""Customers whose Portal Users table lists ``user``, in the order they were linked."""
	return frappe.get_all(
		"Portal User",
		filters={"user": user or frappe.session.user, "parenttype": "Customer"},
		pluck="parent",
		order_by="idx asc, creation asc",
		ignore_permissions=True,
	)


def customer_condition(doctype: str, user: str | None = None, field: str = "customer") -> str | None:
	"""The permission query condition for a portal user (None for anyone else)."""
	user = user or frappe.session.user
	if not is_portal_user(user):
		return None
	customers = get_portal_customers(user)
	if not customers:
		return "1=0"
	return "`tab{}`.`{}` in ({})".format(doctype, field, ", ".join(frappe.db.escape(c) for c in customers))
