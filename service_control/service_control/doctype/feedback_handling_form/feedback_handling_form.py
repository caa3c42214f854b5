# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""信息反馈处理单 (Feedback Handling Form): a thin adapter over service_control.core.feedback.

Loads the form into the core's facts, lets the core decide, stores what it says; on closing,
reports the result once (feedback_sweep.log_result). Also: the form made from a complaint, a survey
answer or a contact-log entry (``make_feedback_form``), a CAPA raised from the form
(``make_corrective_action``) and who may see a form (the permission hooks).
"""

from html import unescape

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, getdate, strip_html

from service_control.core import feedback as rules
from service_control.core import record_lock
from service_control.core.survey import DETRACTOR_MAX
from service_control.notifications import alert, get_enabled_users_with_role, real_users
from service_control.permissions import Participants
from service_control.utils import domain_errors, get_settings

FORM = "Feedback Handling Form"
ROW = "Feedback Rectification"
#: Row fields compared to decide whether a closed form's rows were changed (escalated_on is
#: written by the daily job).
ROW_FIELDS = (
	"department",
	"action",
	"action_owner",
	"due_date",
	"status",
	"done_on",
	"result",
	"waive_reason",
)


class FeedbackHandlingForm(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.feedback_rectification.feedback_rectification import (
			FeedbackRectification,
		)

		answer_requested: DF.Check
		cancel_reason: DF.SmallText | None
		change_reason: DF.SmallText | None
		closed_by: DF.Link | None
		closed_on: DF.Date | None
		company: DF.Link
		contact: DF.Link | None
		contact_email: DF.Data | None
		corrective_action: DF.Link | None
		customer: DF.Link | None
		customer_name: DF.Data | None
		feedback: DF.TextEditor
		investigated_by: DF.Link | None
		investigation: DF.TextEditor | None
		naming_series: DF.Literal["FHF-.YYYY.-"]
		received_on: DF.Date
		receiving_unit: DF.Link | None
		receiving_user: DF.Link | None
		rectifications: DF.Table[FeedbackRectification]
		result: DF.TextEditor | None
		source_doctype: DF.Link | None
		source_name: DF.DynamicLink | None
		status: DF.Literal["Open", "Investigating", "Rectifying", "Closed", "Cancelled"]
		subject: DF.Data | None
		title: DF.Data | None

	# end: auto-generated types
	def validate(self):
		today = getdate()
		before = self.get_doc_before_save()
		old_status = before.status if before else None
		self.title = self._title()
		with domain_errors(title=_("Invalid feedback handling form")):
			rules.check_closed_edit(
				old_status, self._changed_fields(before), frappe.get_roles(), self.change_reason
			)
			rules.check_source(self.source_doctype, self.source_name)
			for row in self.rectifications or []:
				if row.status == rules.ROW_DONE and not row.done_on:
					row.done_on = today
			facts = self._facts()
			rules.validate_rows(facts.rows, today)
			rules.check_transition(old_status, self.status, facts)
		self._check_one_live_form()
		if self.status == rules.CLOSED and old_status != rules.CLOSED:
			self.closed_on, self.closed_by = today, frappe.session.user
		elif self.status != rules.CLOSED:
			self.closed_on = self.closed_by = None

	def after_insert(self):
		# the procedure passes new feedback at once to 企管部: the investigator, else the Quality Managers
		users = real_users(
			[self.investigated_by]
			if self.investigated_by
			else get_enabled_users_with_role(rules.QUALITY_MANAGER)
		)
		alert(users, _("New customer feedback {0}: {1}").format(self.name, self.title or ""), FORM, self.name)

	def on_update(self):
		from service_control.service_control import feedback_sweep

		before = self.get_doc_before_save()
		old_status = before.status if before else None
		if self.status == rules.RECTIFYING:
			# the departments are told what to rectify: every open row on entering Rectifying, new rows after
			known = set() if old_status != rules.RECTIFYING else {r.name for r in before.rectifications}
			for row in self.rectifications:
				if row.status == rules.ROW_OPEN and row.name not in known:
					alert(
						real_users([row.action_owner]),
						_("Feedback {0}: rectify by {1}: {2}").format(
							self.name, frappe.format(row.due_date, "Date"), (row.action or "")[:80]
						),
						FORM,
						self.name,
					)
		if self.status == rules.CLOSED and old_status != rules.CLOSED:
			feedback_sweep.log_result(self.name)

	def on_trash(self):
		if self.status not in (rules.OPEN, rules.CANCELLED):
			frappe.throw(_("Cancel the feedback handling form instead of deleting it: the records are kept."))

	# --------------------------------------------------------------------------------------

	def _title(self) -> str:
		lines = strip_html(self.feedback or "").strip().splitlines()
		text = self.subject or (lines[0] if lines else "")
		return (text or self.customer_name or self.customer or "")[:140]

	def _changed_fields(self, before) -> list[str]:
		if not before:
			return []
		fields = [(df.fieldname, df.fieldtype) for df in self.meta.fields]
		changed = record_lock.changed_fields(fields, before, self, ignore={"change_reason", "title"})
		if _rows(before) != _rows(self):
			changed.append("rectifications")
		return changed

	def _facts(self) -> rules.FeedbackFacts:
		return rules.FeedbackFacts(
			status=self.status,
			received_on=getdate(self.received_on) if self.received_on else None,
			investigated_by=self.investigated_by,
			investigation=strip_html(self.investigation or "").strip() or None,
			result=strip_html(self.result or "").strip() or None,
			cancel_reason=self.cancel_reason,
			rows=[
				rules.RectificationRow(
					department=row.department,
					action=row.action,
					owner=row.action_owner,
					due_date=getdate(row.due_date) if row.due_date else None,
					status=row.status or rules.ROW_OPEN,
					done_on=getdate(row.done_on) if row.done_on else None,
					result=row.result,
					waive_reason=row.waive_reason,
					key=row.name,
					idx=row.idx,
				)
				for row in self.rectifications or []
			],
		)

	def _check_one_live_form(self) -> None:
		if not self.source_name or self.status in rules.FINAL_STATUSES:
			return
		other = frappe.db.get_value(
			FORM,
			{
				"source_doctype": self.source_doctype,
				"source_name": self.source_name,
				"status": ("not in", rules.FINAL_STATUSES),
				"name": ("!=", self.name or ""),
			},
		)
		if other:
			frappe.throw(
				_("{0} {1} already has the open feedback handling form {2}.").format(
					_(self.source_doctype), self.source_name, other
				),
				title=_("Invalid feedback handling form"),
			)


def _rows(doc) -> list[dict]:
	return [
		{f: record_lock.normalise(row.meta.get_field(f).fieldtype, row.get(f)) for f in ROW_FIELDS}
		for row in doc.get("rectifications") or []
	]


# ------------------------------------------------------------------------------------------
# Permissions: Quality Manager, Customer Service User, General Manager and System Manager see
# every form; anyone else with read access (a department's staff, role Employee) sees the forms
# they take part in: investigator, receiving user or owner of a rectification row
# (core.access.takes_part, applied and written as SQL by service_control.permissions).


PARTICIPANTS = Participants(
	FORM, rules.SEE_ALL_ROLES, ("investigated_by", "receiving_user"), "rectifications", ROW
)


def get_permission_query_conditions(user: str | None = None) -> str:
	return PARTICIPANTS.query_conditions(user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	return PARTICIPANTS.has_permission(doc, user)


# ------------------------------------------------------------------------------------------
# The form made from a source


def live_form(source_doctype: str, source_name: str) -> str | None:
	return rules.form_to_reuse(
		frappe.get_all(
			FORM,
			filters={"source_doctype": source_doctype, "source_name": source_name},
			fields=["name", "status"],
			order_by="creation desc",
			as_list=True,
		)
	)


@frappe.whitelist()
def make_feedback_form(source_doctype: str, source_name: str) -> Document:
	"""The source's feedback handling form: its open one when it has one, else a new form made
	from it (saved, so a second call, from here or another user, finds it)."""
	with domain_errors(title=_("Cannot create a feedback handling form")):
		rules.check_source(source_doctype, source_name)
	source = frappe.get_doc(source_doctype, source_name)
	source.check_permission("read")
	# one form per source: concurrent calls queue on the source's row and the second finds the first
	frappe.db.get_value(source_doctype, source_name, "name", for_update=True)
	existing = live_form(source_doctype, source_name)
	if existing:
		return frappe.get_doc(FORM, existing)
	frappe.has_permission(FORM, "create", throw=True)
	if getattr(source, "status", None) == "Cancelled":
		frappe.throw(_("{0} {1} is cancelled.").format(_(source_doctype), source_name))
	doc = frappe.new_doc(FORM)
	doc.update(
		{
			"source_doctype": source_doctype,
			"source_name": source_name,
			"company": source.get("company"),
			"customer": source.get("customer"),
			"customer_name": source.get("customer_name"),
			"contact": source.get("contact"),
			"contact_email": source.get("contact_email"),
		}
	)
	_MAPPERS[source_doctype](source, doc)
	if not strip_html(doc.feedback or "").strip():
		doc.feedback = _paragraph(_("Feedback from {0} {1}.").format(_(source_doctype), source_name))
	doc.insert()
	return doc


def _paragraph(text: str | None) -> str:
	"""Plain text as a paragraph of the Text Editor; Frappe may have stored it escaped already."""
	return "<p>{}</p>".format(escape_html(unescape(text)).replace("\n", "<br>")) if text else ""


def _received_by(user: str | None) -> str | None:
	users = real_users([user])
	return users[0] if users else None


def _from_complaint(source, doc) -> None:
	doc.subject = source.title
	doc.feedback = source.description
	doc.received_on = getdate(source.received_on) if source.received_on else getdate()
	doc.receiving_user = _received_by(source.owner)


def _from_survey(source, doc) -> None:
	target = get_settings().get("satisfaction_target_percent")
	low = rules.low_scores([(row.criterion, row.score_percent) for row in source.scores or []], target)
	parts = [_paragraph(source.comments)] if (source.comments or "").strip() else []
	if low:
		items = "".join(
			"<li>{}</li>".format(
				escape_html(_("{0}: {1}%").format(unescape(criterion), f"{round(percent, 1):g}"))
			)
			for criterion, percent in low
		)
		parts.append(_paragraph(_("Scored below the satisfaction target:")) + f"<ul>{items}</ul>")
	if source.nps_score not in (None, "") and int(source.nps_score) <= DETRACTOR_MAX:
		parts.append(_paragraph(_("Would recommend us: {0} of 10.").format(source.nps_score)))
	doc.subject = _("Satisfaction survey {0}").format(source.period or source.name)
	doc.feedback = "".join(parts)
	doc.received_on = getdate(source.responded_on) if source.responded_on else getdate()


def _from_contact_log(source, doc) -> None:
	caller = ", ".join(
		str(v)
		for v in (source.get("caller_name"), source.get("caller_organisation"), source.get("caller_phone"))
		if v
	)
	doc.subject = source.get("subject")
	doc.contact_email = source.get("sender_email") or doc.contact_email
	doc.feedback = (_paragraph(_("From: {0}").format(caller)) if caller else "") + (
		source.get("content") or ""
	)
	doc.answer_requested = source.get("answer_requested") or 0
	doc.received_on = getdate(source.get("received_on")) if source.get("received_on") else getdate()
	doc.receiving_user = _received_by(source.get("received_by"))


_MAPPERS = {
	"Customer Complaint": _from_complaint,
	"Satisfaction Survey Response": _from_survey,
	"Customer Contact Log": _from_contact_log,
}


# ------------------------------------------------------------------------------------------
# CAPA from the form


@frappe.whitelist()
def make_corrective_action(source_name: str) -> Document:
	"""The form's live Corrective Action, else a new one (saved and linked on the form)."""
	from service_control.service_control.doctype.corrective_action.corrective_action import live_capa

	form = frappe.get_doc(FORM, source_name)
	form.check_permission("read")
	frappe.db.get_value(FORM, form.name, "name", for_update=True)  # two clicks make one CAPA
	existing = live_capa(FORM, form.name)
	if existing:
		return frappe.get_doc("Corrective Action", existing)
	if form.status == rules.CANCELLED:
		frappe.throw(_("Feedback handling form {0} is cancelled.").format(form.name))
	capa = frappe.get_doc(
		{
			"doctype": "Corrective Action",
			"company": form.company,
			"source_type": FORM,
			"source_name": form.name,
			"capa_owner": form.investigated_by,
			"problem_what": strip_html(form.feedback or "").strip(),
			"problem_where": _("Customer {0}").format(form.customer_name or form.customer)
			if form.customer
			else None,
			"problem_when": getdate(form.received_on),
		}
	)
	capa.insert()
	frappe.db.set_value(FORM, form.name, "corrective_action", capa.name, update_modified=False)
	return capa
