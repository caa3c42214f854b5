"""The workflows the app ships, as data (no frappe import, so CI can check them)."""

CS = "Customer Service User"
QM = "Quality Manager"

RESUME_TO_OPEN = 'doc.paused_from == "Open"'
RESUME_TO_INVESTIGATION = 'doc.paused_from != "Open"'
COMPLAINT_WORKFLOW = {
	"workflow_name": "Customer Complaint",
	"document_type": "Customer Complaint",
	"workflow_state_field": "status",
	"is_active": 1,
	"send_email_alert": 0,
	"states": [
		("Open", CS),
		("Open", QM),
		("Investigating", QM),
		("Investigating", CS),
		("Awaiting Customer", CS),
		("Awaiting Customer", QM),
		("Answered", CS),
		("Answered", QM),
		("Closed", QM),
		("Cancelled", QM),
	],
	"transitions": [
		("Open", "Start Investigation", "Investigating", QM, None),
		("Open", "Wait for Customer", "Awaiting Customer", CS, None),
		("Investigating", "Wait for Customer", "Awaiting Customer", CS, None),
		# Resume goes back to where the complaint left to wait (Frappe reads the saved record)
		("Awaiting Customer", "Resume", "Investigating", CS, RESUME_TO_INVESTIGATION),
		("Awaiting Customer", "Resume", "Open", CS, RESUME_TO_OPEN),
		# or, once the customer has answered, straight on to the investigation
		("Awaiting Customer", "Start Investigation", "Investigating", QM, RESUME_TO_OPEN),
		("Investigating", "Send Answer", "Answered", CS, None),
		# Frappe evaluates conditions on the document as it was before the save, so "only when the
		# customer is not satisfied" is the core's guard, not a workflow condition.
		("Answered", "Investigate Again", "Investigating", CS, None),
		("Answered", "Close", "Closed", CS, 'doc.responsibility != "Company"'),
		("Answered", "Close", "Closed", QM, None),
		("Open", "Cancel", "Cancelled", CS, None),
		("Investigating", "Cancel", "Cancelled", CS, None),
		("Awaiting Customer", "Cancel", "Cancelled", CS, None),
	],
}
# Compensation: approval by amount. approval_level is computed when the claim is saved
# (Quality Manager up to the company's limit, General Manager above it, without a return, or for a
# large supplier claim); the core's guards refuse own approvals and skipped levels.
GM = "General Manager"
ACC = "Accounts User"
ACC_MGR = "Accounts Manager"
COMPENSATION_WORKFLOW = {
	"workflow_name": "Compensation Approval",
	"document_type": "Compensation",
	"workflow_state_field": "status",
	"is_active": 1,
	"send_email_alert": 0,
	"doc_status": {"Settled": "1", "Cancelled": "2"},
	"states": [
		("Draft", CS),
		("Draft", GM),
		("Pending Quality Approval", QM),
		("Pending General Manager Approval", GM),
		("Approved", ACC),
		("Rejected", CS),
		("Settled", ACC),
		("Cancelled", ACC_MGR),
	],
	"transitions": [
		("Draft", "Submit for Approval", "Pending Quality Approval", CS, None),
		("Draft", "Submit for Approval", "Pending Quality Approval", QM, None),
		("Rejected", "Submit for Approval", "Pending Quality Approval", CS, None),
		("Pending Quality Approval", "Approve", "Approved", QM, 'doc.approval_level == "Quality Manager"'),
		(
			"Pending Quality Approval",
			"Approve",
			"Pending General Manager Approval",
			QM,
			'doc.approval_level == "General Manager"',
		),
		("Pending General Manager Approval", "Approve", "Approved", GM, None),
		("Pending Quality Approval", "Reject", "Rejected", QM, None),
		("Pending General Manager Approval", "Reject", "Rejected", GM, None),
		("Approved", "Settle", "Settled", ACC, None),
		("Approved", "Settle", "Settled", ACC_MGR, None),
		("Settled", "Cancel", "Cancelled", ACC_MGR, None),
	],
}
# Corrective Action (CAPA). The core's gates (service_control.core.capa) hold whatever this allows; a Not
# Effective result moves Effectiveness Check back to Actions Planned on save (a new round), so
# that transition exists for everyone who records results. Service Technicians edit the CAPA in
# the Approved state (their own action rows only; the controller enforces it).
TECH = "Service Technician"
CAPA_WORKFLOW = {
	"workflow_name": "Corrective Action",
	"document_type": "Corrective Action",
	"workflow_state_field": "status",
	"is_active": 1,
	"send_email_alert": 0,
	"states": [
		("Draft", QM),
		("Draft", CS),
		("Containment", QM),
		("Containment", CS),
		("Root Cause", QM),
		("Actions Planned", QM),
		("Approved", QM),
		("Approved", TECH),
		("Implemented", QM),
		("Effectiveness Check", QM),
		("Effectiveness Check", CS),
		("Closed", QM),
		("Cancelled", QM),
	],
	"transitions": [
		("Draft", "Start Containment", "Containment", QM, None),
		("Draft", "Start Containment", "Containment", CS, None),
		("Containment", "Analyse Root Cause", "Root Cause", QM, None),
		("Root Cause", "Plan Actions", "Actions Planned", QM, None),
		("Actions Planned", "Revise Root Cause", "Root Cause", QM, None),
		("Actions Planned", "Approve", "Approved", QM, None),
		("Approved", "Revise Plan", "Actions Planned", QM, None),
		("Approved", "Mark Implemented", "Implemented", QM, None),
		("Implemented", "Start Effectiveness Check", "Effectiveness Check", QM, None),
		("Effectiveness Check", "Close", "Closed", QM, None),
		("Effectiveness Check", "Plan Next Round", "Actions Planned", QM, None),
		("Effectiveness Check", "Plan Next Round", "Actions Planned", CS, None),
		("Draft", "Cancel", "Cancelled", QM, None),
		("Containment", "Cancel", "Cancelled", QM, None),
		("Root Cause", "Cancel", "Cancelled", QM, None),
		("Actions Planned", "Cancel", "Cancelled", QM, None),
		("Approved", "Cancel", "Cancelled", QM, None),
		("Implemented", "Cancel", "Cancelled", QM, None),
		("Effectiveness Check", "Cancel", "Cancelled", QM, None),
	],
}
APP_WORKFLOWS = (COMPLAINT_WORKFLOW, COMPENSATION_WORKFLOW, CAPA_WORKFLOW)
