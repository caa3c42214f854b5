"""A complaint that waited for the customer before its investigation resumes to Open (or a
Quality Manager starts the investigation from the pause): give the app's complaint workflow
those transitions, and make the existing Resume → Investigating one apply only to complaints
paused during the investigation. A site's own workflow, or one whose
Resume an administrator has already conditioned, is left as it is."""

import frappe

from service_control.setup.workflow_specs import (
	COMPLAINT_WORKFLOW,
	CS,
	QM,
	RESUME_TO_INVESTIGATION,
	RESUME_TO_OPEN,
)

AWAITING, RESUME = "Awaiting Customer", "Resume"


def execute():
	name = COMPLAINT_WORKFLOW["workflow_name"]
	if frappe.db.get_value("Workflow", name, "document_type") != COMPLAINT_WORKFLOW["document_type"]:
		return
	workflow = frappe.get_doc("Workflow", name)
	rows = [t for t in workflow.transitions if t.state == AWAITING and t.action == RESUME]
	if any(t.next_state == "Open" for t in rows):
		return
	for row in rows:
		if row.next_state == "Investigating" and not row.condition:
			row.condition = RESUME_TO_INVESTIGATION
	for action, next_state, role in ((RESUME, "Open", CS), ("Start Investigation", "Investigating", QM)):
		workflow.append(
			"transitions",
			{
				"state": AWAITING,
				"action": action,
				"next_state": next_state,
				"allowed": role,
				"allow_self_approval": 1,
				"condition": RESUME_TO_OPEN,
			},
		)
	workflow.flags.ignore_permissions = True
	workflow.save()
