# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""The customer signs the 货物交付验收清单 on the portal (``/delivery-acceptance``).

Customer service makes the acceptance on the desk (rows, serials and checklist from the Delivery
Note). A portal user of that customer (Customer > Portal Users) sees the acceptances of their own
customers, records the customer's part and submits it with :func:`sign`: only the fields below
are taken from the request, then the document is submitted through the controller exactly as on
the desk (``validate``, ``before_submit``, ``on_submit`` and the doc events: the Delivery Note's
status, the installed base).

The Customer role may only read and print acceptances, and ``has_permission`` limits that to the
user's own customers, so ``frappe.client`` cannot write, submit or read another customer's one;
:func:`sign` is the only write path and runs with ``ignore_permissions`` after its own check.
"""

import json

import frappe
from frappe import _
from frappe.utils import cint, cstr, flt, getdate

from service_control.core import delivery as rules
from service_control.portal import get_portal_customers, is_portal_user
from service_control.utils import domain_errors

DOCTYPE = "Delivery Acceptance"
#: The customer's part of the acceptance: what a portal user may write.
CUSTOMER_FIELDS = ("result", "remarks", "signer_name", "signer_position", "signed_on", "signature")
#: What the customer checks on each checklist row (with its type); rows are neither added nor
#: removed, and their document and required quantity stay the company's.
CHECKLIST_FIELDS = {"delivered": cint, "delivered_qty": flt, "remarks": cstr}
PORTAL_LIST_LIMIT = 200


def acceptances_of(user: str | None = None) -> list[dict]:
	"""The draft and signed acceptances of the portal user's customers, drafts first."""
	customers = get_portal_customers(user) if is_portal_user(user) else []
	if not customers:
		return []
	return frappe.get_all(
		DOCTYPE,
		filters={"customer": ("in", customers), "docstatus": ("<", 2)},
		fields=[
			"name",
			"delivery_note",
			"delivery_date",
			"customer_name",
			"docstatus",
			"result",
			"signed_on",
		],
		order_by="docstatus asc, delivery_date desc, creation desc",
		limit=PORTAL_LIST_LIMIT,
		ignore_permissions=True,
	)


def load_for_portal_user(name: str, user: str | None = None):
	"""The acceptance ``name`` if it belongs to one of the portal user's customers; any other (or
	none) is refused with the same message, so a name of another customer's is not confirmed."""
	user = user or frappe.session.user
	if user == "Guest" or not is_portal_user(user):
		raise frappe.PermissionError(_("Log in as a user of the customer to sign its deliveries."))
	customer, docstatus = frappe.db.get_value(DOCTYPE, name, ["customer", "docstatus"]) or (None, None)
	if not customer or docstatus == 2 or customer not in get_portal_customers(user):
		raise frappe.PermissionError(_("This delivery acceptance is not addressed to you."))
	return frappe.get_doc(DOCTYPE, name)


@frappe.whitelist(methods=["POST"])
def sign(
	name: str,
	result: str,
	signer_name: str,
	signature: str,
	signed_on: str | None = None,
	signer_position: str | None = None,
	remarks: str | None = None,
	checklist: str | list | None = None,
) -> dict:
	"""Record the customer's inspection and signature on draft acceptance ``name`` and submit it.

	``checklist`` is ``[{"name": row, "delivered": 0/1, "delivered_qty": n, "remarks": ""}]`` for
	rows of this acceptance; other keys, and every other field of the document, are ignored."""
	doc = load_for_portal_user(name)
	with domain_errors(title=_("Cannot sign the acceptance")):
		rules.check_can_sign(doc.name, doc.docstatus)
		rules.check_signature_image(signature)
	doc.update(
		{
			"result": result,
			"remarks": remarks,
			"signer_name": signer_name,
			"signer_position": signer_position,
			"signed_on": getdate(signed_on) if signed_on else getdate(),
			"signature": signature,
		}
	)
	_apply_checklist(doc, checklist)
	doc.flags.ignore_permissions = True  # the portal check above; the Customer role cannot submit
	doc.submit()
	return {
		"name": doc.name,
		"result": doc.result,
		"delivery_status": frappe.db.get_value("Delivery Note", doc.delivery_note, "sc_acceptance_status"),
	}


def _apply_checklist(doc, checklist: str | list | None) -> None:
	if isinstance(checklist, str):
		checklist = json.loads(checklist or "[]")
	rows = {row.name: row for row in doc.checklist}
	for posted in checklist or []:
		row = rows.get(posted.get("name"))
		if not row:
			frappe.throw(_("Checklist row {0} is not on this acceptance.").format(posted.get("name")))
		for fieldname, convert in CHECKLIST_FIELDS.items():
			if fieldname in posted:
				row.set(fieldname, convert(posted[fieldname]))
