"""Permission hooks of the records seen only by those who take part in them.

The rule is the core's (``service_control.core.access.takes_part``). ``Participants`` declares,
once per doctype, which header fields and which child-table field name a participant; its
``has_permission`` applies the core rule to a loaded document and its ``query_conditions`` writes
the same rule as SQL (``participant_condition``) for ``frappe.get_list``, so the list and the form
agree.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import frappe

from service_control.core import access


@dataclass(frozen=True)
class Participants:
	"""``doctype`` records are seen in full by ``see_all_roles``; anyone else sees those naming them
	in one of ``header_fields`` or as ``child_field`` of a row of the ``table_field`` table
	(child doctype ``child_doctype``)."""

	doctype: str
	see_all_roles: frozenset[str]
	header_fields: tuple[str, ...]
	table_field: str
	child_doctype: str
	child_field: str = "action_owner"

	def query_conditions(self, user: str | None = None) -> str:
		"""The ``permission_query_conditions`` hook: nothing for a see-all role, else the SQL rule."""
		user = user or frappe.session.user
		if access.sees_every(frappe.get_roles(user), self.see_all_roles):
			return ""
		return participant_condition(
			self.doctype, self.header_fields, self.child_doctype, self.child_field, user
		)

	def has_permission(self, doc, user: str | None = None) -> bool:
		"""The ``has_permission`` hook: the core rule on the document's header fields and rows."""
		user = user or frappe.session.user
		return access.takes_part(
			user,
			frappe.get_roles(user),
			self.see_all_roles,
			[doc.get(field) for field in self.header_fields],
			[row.get(self.child_field) for row in doc.get(self.table_field) or []],
		)


def participant_condition(
	doctype: str, header_fields: Iterable[str], child_doctype: str, child_field: str, user: str
) -> str:
	"""SQL true for the ``doctype`` records ``user`` takes part in: a header field equal to the user,
	or a ``child_doctype`` row of the record whose ``child_field`` is the user. An empty user
	matches nothing (as in the core rule), so an empty field never matches either."""
	if not user:
		return "1=0"
	parent = f"`tab{doctype}`"
	who = frappe.db.escape(user)
	named = [f"{parent}.`{field}` = {who}" for field in header_fields]
	owns_a_row = (
		f"exists (select 1 from `tab{child_doctype}` sc_row"
		f" where sc_row.`parent` = {parent}.`name`"
		f" and sc_row.`parenttype` = {frappe.db.escape(doctype)}"
		f" and sc_row.`{child_field}` = {who})"
	)
	return "(" + " or ".join([*named, owns_a_row]) + ")"
