"""Imported history on Frappe (the rules are in ``service_control.core.history`` and next to each
record's own guards): what the records marked ``is_history`` share as Frappe documents."""

import frappe
from frappe import _
from frappe.model.document import Document


class ImportedHistory(Document):
	"""A record that may be imported as history (``is_history``, permission level 2).

	Frappe's Workflow refuses a new document in any state but the first ("Workflow State
	transition not allowed from Draft to Closed", raised for Data Import too). A record of imported
	history comes in the state it ended in, so its first save skips the workflow's check; the
	core's history guards (``check_history`` of each record) hold instead. Every later save goes
	through the workflow as usual."""

	def validate_workflow(self):
		if self.get("is_history") and self.is_new():
			return None
		return super().validate_workflow()

	def _validate_links(self):
		"""Frappe 15 lets a new document link to a record that does not exist when the link
		fetches other fields (``fetch_from``: the customer's name), so a row of imported history
		sent through the REST API could name an unknown customer: a new history record has every
		link checked (Data Import checks a file's links itself before it imports a row)."""
		super()._validate_links()
		if self.flags.ignore_links or not (self.get("is_history") and self.is_new()):
			return
		for df in self.meta.get_link_fields():
			value = self.get(df.fieldname)
			if value and df.options and not frappe.db.exists(df.options, value):
				frappe.throw(
					_("Could not find {0}: {1}").format(_(df.label, context=df.parent), value),
					frappe.LinkValidationError,
				)
