"""Portal page /delivery-acceptance: the customer checks a delivery and signs its acceptance.

Without ``?name=`` a logged-in portal user sees the acceptances of their own customers (awaiting
signature first, then the signed ones); with it, one acceptance: the items, serial numbers and
checklist, and, while it is a draft, the form that posts the customer's part to
``service_control.service_control.doctype.delivery_acceptance.portal.sign``. A signed acceptance is
shown read-only with its signature.
"""

import frappe
from frappe import _

from service_control.core import delivery as rules
from service_control.portal import get_portal_customers
from service_control.service_control.doctype.delivery_acceptance import portal

no_cache = 1


def get_context(context):
	context.no_cache = 1
	context.show_sidebar = frappe.session.user != "Guest"
	context.title = _("Delivery Acceptance")
	context.acceptance = None
	context.acceptances = []
	context.error = None
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to sign the acceptance of your deliveries."), frappe.PermissionError)
	name = frappe.form_dict.get("name")
	try:
		if name:
			context.acceptance = portal.load_for_portal_user(name)
		elif not get_portal_customers():
			context.error = _("Your user is not linked to a customer; please contact us.")
		else:
			context.acceptances = portal.acceptances_of()
	except (frappe.PermissionError, frappe.DoesNotExistError):
		context.error = _("This delivery acceptance is not addressed to you.")
	if context.acceptance:
		context.results = rules.RESULTS
		context.signer_default = frappe.utils.get_fullname(frappe.session.user)
		context.today = frappe.utils.today()
		context.parents = [{"route": "delivery-acceptance", "label": _("Delivery Acceptance")}]
	return context
