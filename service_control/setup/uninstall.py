"""Remove what the app added to ERPNext's own doctypes; ERPNext data stays intact.

The app's own doctypes, with their records, are dropped by Frappe's uninstall itself.
"""

import frappe

from service_control.setup import accounting_dimension, custom_fields, indexes, roles, workflows


def before_uninstall() -> None:
	workflows.delete_app_workflows()
	accounting_dimension.remove_dimension()
	custom_fields.delete()
	frappe.db.delete("Property Setter", {"module": "Service Control"})
	roles.delete_roles()
	indexes.drop_indexes()
