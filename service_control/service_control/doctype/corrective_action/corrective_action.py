# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""纠正和预防措施 (CAPA): a thin adapter over service_control.core.capa.

Loads the document into the core's facts, lets the core decide, stores what it says. Keeps the
source complaint's CAPA link and status in step.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate, now_datetime, strip_html

from service_control.core import capa as rules
from service_control.core import record_lock
from service_control.permissions import Participants
from service_control.service_control.history import ImportedHistory
from service_control.utils import domain_errors, get_settings

#: Fields the controller writes itself, never compared for "who changed what".
COMPUTED_FIELDS = {"risk_score", "risk_band", "title"}
TABLE_TYPES = ("Table", "Table MultiSelect")
LAYOUT_TYPES = ("Section Break", "Column Break", "Tab Break")
ACTION_FIELDS = (
	"round",
	"action_type",
	"action",
	"action_owner",
	"department",
	"due_date",
	"status",
	"completed_on",
	"evidence",
	"remarks",
)
CHECK_FIELDS = ("round", "planned_date", "criteria", "result", "verified_by", "verified_on", "reason")


class CorrectiveAction(ImportedHistory):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.complaint_containment_action.complaint_containment_action import (
			ComplaintContainmentAction,
		)
		from service_control.service_control.doctype.corrective_action_affected_item.corrective_action_affected_item import (
			CorrectiveActionAffectedItem,
		)
		from service_control.service_control.doctype.corrective_action_effectiveness.corrective_action_effectiveness import (
			CorrectiveActionEffectiveness,
		)
		from service_control.service_control.doctype.corrective_action_item.corrective_action_item import (
			CorrectiveActionItem,
		)
		from service_control.service_control.doctype.corrective_action_why.corrective_action_why import (
			CorrectiveActionWhy,
		)

		actions: DF.Table[CorrectiveActionItem]
		approved_on: DF.Datetime | None
		approver: DF.Link | None
		cancel_reason: DF.SmallText | None
		capa_owner: DF.Link | None
		cause_category: DF.Literal["", "Man", "Machine", "Material", "Method", "Measurement", "Environment"]
		closed_by: DF.Link | None
		closed_on: DF.Date | None
		company: DF.Link
		conclusion: DF.Text | None
		containment_actions: DF.Table[ComplaintContainmentAction]
		current_round: DF.Int
		department: DF.Link | None
		detection: DF.Int
		effectiveness_checks: DF.Table[CorrectiveActionEffectiveness]
		is_history: DF.Check
		items: DF.Table[CorrectiveActionAffectedItem]
		naming_series: DF.Literal["CAPA-.YYYY.-"]
		occurrence: DF.Int
		opened_on: DF.Date
		problem_how_many: DF.Float
		problem_what: DF.SmallText | None
		problem_when: DF.Date | None
		problem_where: DF.SmallText | None
		quality_procedure: DF.Link | None
		risk_band: DF.Literal["", "Low", "Medium", "High"]
		risk_score: DF.Int
		root_cause: DF.Text | None
		root_cause_method: DF.Literal["", "5 Whys", "Fishbone", "8D"]
		severity: DF.Int
		source_name: DF.DynamicLink | None
		source_type: DF.Link | None
		status: DF.Literal[
			"Draft",
			"Containment",
			"Root Cause",
			"Actions Planned",
			"Approved",
			"Implemented",
			"Effectiveness Check",
			"Closed",
			"Cancelled",
		]
		team: DF.SmallText | None
		title: DF.Data | None
		verifier: DF.Link | None
		why_chain: DF.Table[CorrectiveActionWhy]

	# end: auto-generated types
	def validate(self):
		today = getdate()
		roles = frappe.get_roles()
		before = self.get_doc_before_save()
		old_status = before.status if before else None
		self.title = self._title()
		with domain_errors(title=_("Invalid CAPA")):
			rules.check_final_edit(old_status, self._changed_fields(before, include_tables=True))
			if before:
				rules.check_owner_edits(
					frappe.session.user,
					roles,
					_action_rows(before),
					_action_rows(self),
					self._changed_fields(before, include_tables=True, skip={"actions"}),
				)
			self.risk_score = rules.risk_score(self.severity, self.occurrence, self.detection)
			self.risk_band = rules.risk_band(self.risk_score)
			self._check_source(before)
			facts = self._facts()
			rules.validate_fields(facts, today, self._disabled_users())
			if before:
				rnd = before.current_round or 1
				rules.check_earlier_rounds_kept(_action_rows(before), _action_rows(self), rnd)
				rules.check_earlier_rounds_kept(_check_rows(before), _check_rows(self), rnd)
			self._verify(before, old_status, roles, today)
			facts = self._facts()
			self.status, self.current_round = rules.advance(facts)
			facts.status, facts.current_round = self.status, self.current_round
			if (
				self.status == rules.APPROVED
				and old_status != rules.APPROVED
				and not self._new_history(before)
			):
				self.approver, self.approved_on = frappe.session.user, now_datetime()
				facts.approver = self.approver
			rules.check_transition(old_status, self.status, facts, roles)
			self._plan_effectiveness(old_status)
		self._set_closure(old_status, today)

	def on_update(self):
		before = self.get_doc_before_save()
		if before and before.source_type == "Customer Complaint" and before.source_name != self.source_name:
			_set_complaint_link(before.source_name, None, None)
		if self.source_type == "Customer Complaint" and self.source_name:
			_set_complaint_link(self.source_name, self.name, self.status)
		if before and before.source_type == "Internal Complaint" and before.source_name != self.source_name:
			_set_internal_complaint_link(before.source_name, None)
		if self.source_type == "Internal Complaint" and self.source_name:
			_set_internal_complaint_link(self.source_name, self.name)

	def on_trash(self):
		if self.status not in (rules.DRAFT, rules.CANCELLED):
			frappe.throw(_("Cancel the CAPA instead of deleting it: CAPA records are kept."))
		if self.source_type == "Customer Complaint" and self.source_name:
			_set_complaint_link(self.source_name, None, None)
		if self.source_type == "Internal Complaint" and self.source_name:
			_set_internal_complaint_link(self.source_name, None)

	# --------------------------------------------------------------------------------------

	def _title(self) -> str:
		text = strip_html(self.problem_what or "").strip().splitlines()
		return (text[0][:120] if text else "") or self.source_name or _("Internal CAPA")

	def _changed_fields(self, before, include_tables: bool = False, skip: set | None = None) -> list[str]:
		if not before:
			return []
		skip = COMPUTED_FIELDS | (skip or set())
		fields = [(df.fieldname, df.fieldtype) for df in self.meta.fields]
		changed = record_lock.changed_fields(fields, before, self, ignore=skip)
		if include_tables:
			changed += [
				df.fieldname
				for df in self.meta.fields
				if df.fieldtype in TABLE_TYPES
				and df.fieldname not in skip
				and _table_rows(self, df.fieldname) != _table_rows(before, df.fieldname)
			]
		return changed

	def _facts(self) -> rules.CapaFacts:
		return rules.CapaFacts(
			status=self.status,
			opened_on=getdate(self.opened_on) if self.opened_on else None,
			current_round=self.current_round or 1,
			problem_what=strip_html(self.problem_what or "").strip() or None,
			containment_actions=len(self.containment_actions or []),
			root_cause_method=self.root_cause_method,
			root_cause=self.root_cause,
			cause_category=self.cause_category,
			whys=len(self.why_chain or []),
			actions=[
				rules.ActionRow(
					round=row.round or 1,
					action_type=row.action_type,
					action=row.action,
					owner=row.action_owner,
					due_date=getdate(row.due_date) if row.due_date else None,
					status=row.status or rules.ACTION_OPEN,
					completed_on=getdate(row.completed_on) if row.completed_on else None,
					department=row.department,
					key=row.name,
					idx=row.idx,
				)
				for row in self.actions or []
			],
			checks=[
				rules.CheckRow(
					round=row.round or 1,
					planned_date=getdate(row.planned_date) if row.planned_date else None,
					criteria=row.criteria,
					result=row.result,
					verified_by=row.verified_by,
					verified_on=getdate(row.verified_on) if row.verified_on else None,
					reason=row.reason,
					key=row.name,
					idx=row.idx,
				)
				for row in self.effectiveness_checks or []
			],
			approver=self.approver,
			cancel_reason=self.cancel_reason,
			history=bool(self.is_history),
			closed_on=getdate(self.closed_on) if self.closed_on else None,
		)

	def _check_source(self, before) -> None:
		changed = not before or (before.source_type, before.source_name) != (
			self.source_type,
			self.source_name,
		)
		cancelled = False
		if changed and self.source_type and self.source_name and self.source_type != rules.SELF_TYPE:
			cancelled = _is_cancelled(self.source_type, self.source_name)
		if changed or self.source_type == rules.SELF_TYPE:
			rules.check_source(self.source_type, self.source_name, self.name, cancelled)
		if self.source_type == "Non Conformance" and self.source_name and not self.quality_procedure:
			self.quality_procedure = frappe.db.get_value("Non Conformance", self.source_name, "procedure")

	def _disabled_users(self) -> list[str]:
		users = {row.action_owner for row in self.actions or [] if row.action_owner}
		if not users:
			return []
		return frappe.get_all("User", filters={"name": ("in", list(users)), "enabled": 0}, pluck="name")

	def _verify(self, before, old_status, roles, today) -> None:
		"""Stamp who verified a result entered in this save, then let the core judge it."""
		old = {row.name: row for row in (before.effectiveness_checks if before else [])}
		for row in self.effectiveness_checks or []:
			prev = old.get(row.name)
			if prev and (prev.result, prev.verified_on, prev.reason) == (
				row.result,
				row.verified_on,
				row.reason,
			):
				continue
			history = self._new_history(before)
			if row.result and not history:  # an imported result keeps who verified it, and when
				row.verified_by = row.verified_by or frappe.session.user
				row.verified_on = row.verified_on or today
			fact = next(c for c in self._facts().checks if c.key == row.name)
			rules.check_verification(fact, old_status or self.status, roles, today, history=history)

	def _plan_effectiveness(self, old_status) -> None:
		"""Entering Implemented plans the round's check: last completion + N days (settings)."""
		if self.status != rules.IMPLEMENTED or old_status == rules.IMPLEMENTED:
			return
		rnd = self.current_round or 1
		planned = rules.plan_effectiveness_date(
			self._facts().actions, rnd, get_settings().capa_effectiveness_days or 0
		)
		row = next((r for r in self.effectiveness_checks or [] if (r.round or 1) == rnd), None)
		if not row:
			row = self.append("effectiveness_checks", {"round": rnd})
		row.planned_date = row.planned_date or planned
		if not self.verifier:
			self.verifier = self.approver

	def _new_history(self, before) -> bool:
		"""A CAPA of imported history being created: it keeps the dates and names it came with."""
		return bool(self.is_history and not before)

	def _set_closure(self, old_status, today) -> None:
		if self._new_history(self.get_doc_before_save()):
			return  # imported history keeps its real closing date
		if self.status == rules.CLOSED and old_status != rules.CLOSED:
			self.closed_on, self.closed_by = today, frappe.session.user
		elif self.status != rules.CLOSED:
			self.closed_on = self.closed_by = None
		if self.status == rules.ACTIONS_PLANNED and old_status in (rules.APPROVED, rules.EFFECTIVENESS_CHECK):
			self.approver = self.approved_on = None


def _row_values(row, fields) -> dict:
	return {
		f: record_lock.normalise((row.meta.get_field(f) or frappe._dict()).fieldtype, row.get(f))
		for f in fields
	}


def _table_rows(doc, fieldname: str) -> list[dict]:
	rows = doc.get(fieldname) or []
	if not rows:
		return []
	fields = [
		df.fieldname
		for df in rows[0].meta.fields
		if df.fieldtype not in LAYOUT_TYPES and df.fieldname != "escalated_on"
	]
	return [_row_values(row, fields) for row in rows]


def _action_rows(doc) -> dict[str, dict]:
	return {
		row.name or f"new-{row.idx}": {
			**_row_values(row, ACTION_FIELDS),
			"round": cint(row.round) or 1,
			"owner": row.action_owner,
		}
		for row in doc.get("actions") or []
	}


def _check_rows(doc) -> dict[str, dict]:
	return {
		row.name or f"new-{row.idx}": {**_row_values(row, CHECK_FIELDS), "round": cint(row.round) or 1}
		for row in doc.get("effectiveness_checks") or []
	}


def _is_cancelled(doctype: str, name: str) -> bool:
	if not frappe.db.exists(doctype, name):
		return False
	fields = ["docstatus"]
	if frappe.get_meta(doctype).has_field("status"):
		fields.append("status")
	values = frappe.db.get_value(doctype, name, fields, as_dict=True)
	return values.docstatus == 2 or values.get("status") == "Cancelled"


def _set_complaint_link(complaint: str, capa: str | None, status: str | None) -> None:
	if frappe.db.exists("Customer Complaint", complaint):
		frappe.db.set_value(
			"Customer Complaint",
			complaint,
			{"corrective_action": capa, "corrective_action_status": status},
			update_modified=False,
		)


def _set_internal_complaint_link(complaint: str, capa: str | None) -> None:
	if frappe.db.exists("Internal Complaint", complaint):
		frappe.db.set_value("Internal Complaint", complaint, "corrective_action", capa, update_modified=False)


# ------------------------------------------------------------------------------------------
# Permissions: a Service Technician (without a role that sees every CAPA) sees the CAPAs they
# take part in: owner of an action, CAPA owner or verifier (core.access.takes_part, applied and
# written as SQL by service_control.permissions). What they may change is the core's
# check_owner_edits (their own action rows only).


PARTICIPANTS = Participants(
	"Corrective Action", rules.SEE_ALL_ROLES, ("capa_owner", "verifier"), "actions", "Corrective Action Item"
)


def get_permission_query_conditions(user: str | None = None) -> str:
	return PARTICIPANTS.query_conditions(user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	return PARTICIPANTS.has_permission(doc, user)


# ------------------------------------------------------------------------------------------
# Create a CAPA from a complaint (公司责任: the company is responsible)


def live_capa(source_type: str, source_name: str) -> str | None:
	"""The CAPA that "Create CAPA" on this source leads to, if it has one (core.capa.capa_to_reuse):
	the same answer from a complaint, a repair request and a survey answer."""
	return rules.capa_to_reuse(
		frappe.get_all(
			"Corrective Action",
			filters={"source_type": source_type, "source_name": source_name},
			fields=["name", "status"],
			order_by="creation desc",
			as_list=True,
		)
	)


@frappe.whitelist()
def make_corrective_action(source_name: str, target_doc: str | None = None) -> Document:
	"""A new (unsaved) CAPA mapped from the complaint; its live CAPA when it has one."""
	from frappe.model.mapper import get_mapped_doc

	complaint = frappe.get_doc("Customer Complaint", source_name)
	complaint.check_permission("read")
	with domain_errors(title=_("Cannot create a CAPA")):
		rules.check_can_create_from_complaint(complaint.name, complaint.responsibility, complaint.status)
	existing = live_capa("Customer Complaint", complaint.name)
	if existing:
		return frappe.get_doc("Corrective Action", existing)

	def postprocess(source, target):
		target.source_type = "Customer Complaint"
		target.source_name = source.name
		target.status = rules.DRAFT
		target.problem_what = strip_html(source.description or "").strip()
		target.problem_where = _("Customer {0}").format(source.customer_name or source.customer)
		target.problem_when = getdate(source.received_on) if source.received_on else None
		target.problem_how_many = source.affected_qty or None
		target.capa_owner = source.investigation_owner
		if source.item_code:
			target.append(
				"items",
				{
					"item_code": source.item_code,
					"item_name": source.item_name,
					"qty": source.affected_qty,
					"batch_no": source.batch_no,
					"serial_no": source.serial_no,
				},
			)

	return get_mapped_doc(
		"Customer Complaint",
		source_name,
		{
			"Customer Complaint": {
				"doctype": "Corrective Action",
				"field_map": {"root_cause": "root_cause", "department": "department", "company": "company"},
				"field_no_map": [
					"status",
					"naming_series",
					"title",
					"severity",
					"cancel_reason",
					"closed_on",
					"closed_by",
				],
			},
			"Complaint Containment Action": {
				"doctype": "Complaint Containment Action",
				"field_map": {
					"action": "action",
					"action_type": "action_type",
					"action_owner": "action_owner",
					"due_date": "due_date",
					"done_on": "done_on",
				},
			},
		},
		target_doc,
		postprocess,
	)
