"""Workflows the app ships, created on install and migrate only where missing.

An administrator may edit or replace them; a migrate never overwrites that. The core's guards
hold whatever a workflow allows, so a loosened workflow cannot close an unanswered complaint.
"""

import frappe

from service_control.setup.workflow_specs import APP_WORKFLOWS


def create_missing_workflows() -> None:
	for spec in APP_WORKFLOWS:
		if frappe.db.exists("Workflow", {"document_type": spec["document_type"]}):
			continue
		if frappe.db.exists("Workflow", spec["workflow_name"]):
			continue  # the name is taken by a workflow of the site's own: never overwrite it
		for state, *_ in spec["states"]:
			if not frappe.db.exists("Workflow State", state):
				frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": state}).insert(
					ignore_permissions=True
				)
		for _state, action, *_ in spec["transitions"]:
			if not frappe.db.exists("Workflow Action Master", action):
				frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
					ignore_permissions=True
				)
		workflow = frappe.get_doc(
			{
				"doctype": "Workflow",
				**{k: v for k, v in spec.items() if k not in ("states", "transitions", "doc_status")},
				# "doc_status" (optional) maps the states of a submittable doctype to 1 / 2
				"states": [
					{"state": s, "doc_status": spec.get("doc_status", {}).get(s, "0"), "allow_edit": role}
					for s, role in spec["states"]
				],
				"transitions": [
					{
						"state": state,
						"action": action,
						"next_state": nxt,
						"allowed": role,
						"allow_self_approval": 1,
						"condition": condition,
					}
					for state, action, nxt, role, condition in spec["transitions"]
				],
			}
		)
		workflow.insert(ignore_permissions=True)


def delete_app_workflows() -> None:
	for spec in APP_WORKFLOWS:
		# only ours: a site's own workflow that happens to bear the name stays
		if frappe.db.get_value("Workflow", spec["workflow_name"], "document_type") == spec["document_type"]:
			frappe.delete_doc("Workflow", spec["workflow_name"], ignore_permissions=True, force=True)
