"""Supplier: a change to a supplier a continuity service depends on marks the service's plans for review."""

from frappe import _

from service_control.service_control.continuity import mark_dependants_for_review


def on_update(doc, method=None):
	mark_dependants_for_review("supplier", doc.name, _("Supplier"))
