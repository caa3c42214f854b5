"""Asset: a change to an asset a continuity service depends on marks the service's plans for review."""

from frappe import _

from service_control.service_control.continuity import mark_dependants_for_review


def on_update(doc, method=None):
	mark_dependants_for_review("asset", doc.name, _("Asset"))
