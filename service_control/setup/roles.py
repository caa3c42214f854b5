import frappe

#: Roles the app adds; ERPNext's Accounts User / Accounts Manager / Stock User are reused.
ROLES = {
	"Customer Service User": {"desk_access": 1},
	"Quality Manager": {"desk_access": 1},
	"Service Technician": {"desk_access": 1},
	"General Manager": {"desk_access": 1},
	# approves continuity plans and risk reports, pauses SLA clocks for a declared disruption
	"Continuity Manager": {"desk_access": 1},
}


def create_roles() -> None:
	for role, props in ROLES.items():
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, **props}).insert(ignore_permissions=True)


def delete_roles() -> None:
	"""Roles still given to users are kept: removing them would silently strip access."""
	for role in ROLES:
		if frappe.db.exists("Role", role) and not frappe.db.exists(
			"Has Role", {"role": role, "parenttype": "User"}
		):
			frappe.delete_doc("Role", role, ignore_permissions=True, force=True)
