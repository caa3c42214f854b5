"""The workflows the app ships, as data (no frappe import, so CI can check them)."""

CS = "Customer Service User"
QM = "Quality Manager"

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
		("Awaiting Customer", "Resume", "Investigating", CS, None),
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
APP_WORKFLOWS = (COMPLAINT_WORKFLOW,)
