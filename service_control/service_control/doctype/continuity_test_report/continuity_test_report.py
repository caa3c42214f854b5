# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""持续性测试报告 (continuity test report): a walkthrough, simulation or full test of an approved
plan, each recovery step's actual time against its target, findings, and the CAPA raised from them.

Only an approved plan is tested (core.continuity.check_can_test). Submitting the report records
the test: the plan's last test and next test due move (ContinuityPlan.update_test_dates).
"""

import frappe
from frappe import _
from frappe.model.document import Document

from service_control.core import continuity as rules
from service_control.service_control.continuity import steps
from service_control.utils import domain_errors

REPORT = "Continuity Test Report"
PLAN = "Continuity Plan"


class ContinuityTestReport(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from service_control.service_control.doctype.continuity_step_result.continuity_step_result import (
			ContinuityStepResult,
		)
		from service_control.service_control.doctype.continuity_test_finding.continuity_test_finding import (
			ContinuityTestFinding,
		)
		from service_control.service_control.doctype.continuity_test_participant.continuity_test_participant import (
			ContinuityTestParticipant,
		)

		amended_from: DF.Link | None
		company: DF.Link | None
		corrective_action: DF.Link | None
		findings: DF.Table[ContinuityTestFinding]
		naming_series: DF.Literal["CTR-.YYYY.-"]
		participants: DF.Table[ContinuityTestParticipant]
		plan: DF.Link
		result: DF.Literal["", "Passed", "Passed with Findings", "Failed"]
		scenario: DF.Text
		service: DF.Link | None
		steps: DF.Table[ContinuityStepResult]
		steps_met: DF.Int
		summary: DF.Text | None
		test_date: DF.Date
		test_type: DF.Literal["Walkthrough", "Simulation", "Full"]

	# end: auto-generated types
	def validate(self):
		with domain_errors(title=_("Invalid continuity test report")):
			rules.check_can_test(self.plan, frappe.db.get_value(PLAN, self.plan, "docstatus"))
			if not self.steps:
				self._copy_plan_steps()
			results = steps(self.steps, with_actual=True)
			rules.validate_steps(results)
		for row, result in zip(self.steps, results, strict=True):
			row.met = 1 if result.met else 0
		self.steps_met = sum(1 for r in results if r.met)

	def on_submit(self):
		frappe.get_doc(PLAN, self.plan).update_test_dates()

	def on_cancel(self):
		frappe.get_doc(PLAN, self.plan).update_test_dates()

	def _copy_plan_steps(self) -> None:
		for row in frappe.get_doc(PLAN, self.plan).recovery_steps:
			self.append(
				"steps", {"step": row.step, "step_owner": row.step_owner, "target_hours": row.target_hours}
			)


@frappe.whitelist()
def make_corrective_action(source_name: str) -> Document:
	"""The report's live Corrective Action, else a new one made from its findings (saved, and linked
	on the report and on the findings it covers)."""
	from service_control.service_control.doctype.corrective_action.corrective_action import live_capa

	report = frappe.get_doc(REPORT, source_name)
	report.check_permission("read")
	frappe.db.get_value(REPORT, report.name, "name", for_update=True)  # two clicks make one CAPA
	existing = live_capa(REPORT, report.name)
	if existing:
		return frappe.get_doc("Corrective Action", existing)
	with domain_errors(title=_("Cannot create a CAPA")):
		if report.docstatus == 2:
			raise rules.ContinuityError(_("Continuity test report {0} is cancelled."), report.name)
		if not report.findings:
			raise rules.ContinuityError(_("Record the findings of the test before raising a CAPA."))
	plan_owner = frappe.db.get_value(PLAN, report.plan, "plan_owner")
	capa = frappe.get_doc(
		{
			"doctype": "Corrective Action",
			"company": report.company or frappe.db.get_value(PLAN, report.plan, "company"),
			"source_type": REPORT,
			"source_name": report.name,
			"capa_owner": plan_owner,
			"problem_what": "\n".join(
				_("{0} ({1}): {2}").format(row.idx, _(row.severity or "Minor"), row.finding)
				for row in report.findings
			),
			"problem_where": _("Continuity plan {0}, {1} test").format(report.plan, _(report.test_type)),
			"problem_when": report.test_date,
		}
	)
	capa.insert()
	frappe.db.set_value(REPORT, report.name, "corrective_action", capa.name, update_modified=False)
	for row in report.findings:
		if not row.corrective_action:
			frappe.db.set_value(row.doctype, row.name, "corrective_action", capa.name, update_modified=False)
	return capa
