"""Quality Goal hooks: an objective bound to a service indicator must make sense."""

import frappe

from service_control.core import service_indicators as rules
from service_control.utils import domain_errors


def validate(doc, method=None):
	"""An objective naming CPU, TGW or R/1000 names its window and company, is measured in the
	indicator's unit of measure and has a numeric target (lower is better)."""
	with domain_errors(title=frappe._("Invalid service indicator objective")):
		for row in doc.objectives:
			rules.check_binding(
				row.get("sc_indicator"), row.get("sc_window"), row.uom, row.target, row.get("sc_company")
			)
