app_name = "service_control"
app_title = "Service Control"
app_publisher = "service_control contributors"
app_description = "ISO 9001 customer-service procedures on ERPNext"
app_email = "service-control@example.com"
app_license = "MIT"
required_apps = ["frappe/erpnext"]

export_python_type_annotations = True

# Installation
# ------------
before_install = "service_control.setup.install.before_install"
after_install = "service_control.setup.install.after_install"
before_migrate = "service_control.setup.install.before_migrate"
after_migrate = "service_control.setup.install.after_migrate"
before_uninstall = "service_control.setup.uninstall.before_uninstall"

# Testing
# -------
before_tests = "service_control.tests.utils.before_tests"

# The work queue's Due By column, presets and calendar, shared by the case lists, and the front
# desk's conversion buttons, shared by the contact register, Issue and Warranty Claim (served from
# public/, no build step)
app_include_js = [
	"/assets/service_control/js/service_deadlines.js",
	"/assets/service_control/js/front_desk.js",
]

# Form scripts on ERPNext doctypes
# ---------------------------------
doctype_js = {
	"Delivery Note": "public/js/delivery_note.js",  # Return Disposition from a complaint return
}

# Document events on ERPNext / Frappe doctypes
# --------------------------------------------
doc_events = {
	"Holiday List": {
		"on_update": "service_control.overrides.holiday_list.on_update",
	},
	"Sales Invoice": {
		"validate": "service_control.overrides.sales_invoice.validate",
		"before_submit": "service_control.overrides.sales_return.before_submit",
		"on_submit": "service_control.overrides.sales_invoice.on_submit",
		"on_cancel": "service_control.overrides.sales_invoice.on_cancel",
	},
	"Delivery Note": {
		# rows an approved Exceptional Release covers pass ERPNext's inspection check
		"before_validate": "service_control.overrides.delivery_note.before_validate",
		"validate": "service_control.overrides.delivery_note.validate",
		"before_submit": [
			"service_control.overrides.sales_return.before_submit",
			"service_control.overrides.delivery_note.before_submit",
		],
		# the installed base follows the delivered serial numbers
		"on_submit": "service_control.overrides.delivery_note.on_submit",
		"on_cancel": "service_control.overrides.delivery_note.on_cancel",
	},
	# the installed base: acceptance dates the start of use, a settled replacement replaces the
	# unit, a disposition scraps it; a repair request of a serial takes its end customer
	"Delivery Acceptance": {
		"on_submit": "service_control.service_control.installed_base.acceptance_submitted",
	},
	"Compensation": {
		"on_submit": "service_control.service_control.installed_base.compensation_submitted",
		"on_cancel": "service_control.service_control.installed_base.compensation_cancelled",
	},
	"Return Disposition": {
		"on_submit": "service_control.service_control.installed_base.disposition_submitted",
		"on_cancel": "service_control.service_control.installed_base.disposition_cancelled",
	},
	"Repair Request": {
		"before_validate": "service_control.service_control.installed_base.fill_case_customer",
	},
	# depot repair: the unit in the depot is Repaired once its repair feedback is submitted
	"Repair Feedback": {
		"on_submit": "service_control.service_control.depot.feedback_changed",
		"on_cancel": "service_control.service_control.depot.feedback_changed",
	},
	# objectives bound to CPU / TGW / R/1000 are checked, and reviewed by the figures
	"Quality Goal": {
		"validate": "service_control.overrides.quality_goal.validate",
	},
	"Quality Review": {
		"validate": "service_control.overrides.quality_review.validate",
		"after_insert": "service_control.overrides.quality_review.after_insert",
	},
	# a supplier or asset a continuity service depends on changed: its plans are marked for review
	"Supplier": {
		"on_update": "service_control.overrides.supplier.on_update",
	},
	"Asset": {
		"on_update": "service_control.overrides.asset.on_update",
	},
}

# Scheduled tasks
# ---------------
scheduler_events = {
	"cron": {
		# SLA sweep: marks At Risk / Breached and escalates; enqueues itself on the long queue.
		"*/10 * * * *": ["service_control.service_control.sla.sweep.schedule_sweep"],
	},
	# Satisfaction surveys: create and e-mail each due period's requests, expire old links,
	# remind key-customer visits (enqueues itself on the long queue).
	"daily": [
		"service_control.service_control.survey.dispatch.daily",
	],
	# CAPA: action reminders, overdue escalation once, effectiveness checks that fall due.
	"daily_long": [
		"service_control.service_control.capa_sweep.run_daily",
		# Feedback handling forms: rectification reminders and overdue escalation, once each.
		"service_control.service_control.feedback_sweep.run_daily",
		# Continuity plans past their review date or test interval: their owners reminded once per date.
		"service_control.service_control.continuity_sweep.run_daily",
	],
}

# Permissions: portal users see only the complaints, cases and acceptances of their own customer.
permission_query_conditions = {
	"Customer Complaint": "service_control.service_control.doctype.customer_complaint.customer_complaint.get_permission_query_conditions",
	"Satisfaction Survey Response": "service_control.service_control.survey.answers.get_permission_query_conditions",
	"Repair Request": "service_control.service_control.doctype.repair_request.repair_request.get_permission_query_conditions",
	"Repair Feedback": "service_control.service_control.doctype.repair_feedback.repair_feedback.get_permission_query_conditions",
	"Delivery Acceptance": "service_control.service_control.doctype.delivery_acceptance.delivery_acceptance.get_permission_query_conditions",
	# a Service Technician sees the CAPAs they take part in (action owner, owner, verifier)
	"Corrective Action": "service_control.service_control.doctype.corrective_action.corrective_action.get_permission_query_conditions",
	# department staff see the feedback forms they own a rectification row in
	"Feedback Handling Form": "service_control.service_control.doctype.feedback_handling_form.feedback_handling_form.get_permission_query_conditions",
	# an escalation log row is seen by those who may read its case's doctype (Internal Complaint: HR)
	"Service Escalation Log": "service_control.service_control.doctype.service_escalation_log.service_escalation_log.get_permission_query_conditions",
}
has_permission = {
	"Customer Complaint": "service_control.service_control.doctype.customer_complaint.customer_complaint.has_permission",
	"Satisfaction Survey Response": "service_control.service_control.survey.answers.has_permission",
	"Repair Request": "service_control.service_control.doctype.repair_request.repair_request.has_permission",
	"Repair Feedback": "service_control.service_control.doctype.repair_feedback.repair_feedback.has_permission",
	"Delivery Acceptance": "service_control.service_control.doctype.delivery_acceptance.delivery_acceptance.has_permission",
	"Corrective Action": "service_control.service_control.doctype.corrective_action.corrective_action.has_permission",
	"Feedback Handling Form": "service_control.service_control.doctype.feedback_handling_form.feedback_handling_form.has_permission",
	"Service Escalation Log": "service_control.service_control.doctype.service_escalation_log.service_escalation_log.has_permission",
}

# Portal
# ------
has_website_permission = {
	"Customer Complaint": "service_control.service_control.doctype.customer_complaint.customer_complaint.has_website_permission",
	"Delivery Acceptance": "service_control.service_control.doctype.delivery_acceptance.delivery_acceptance.has_website_permission",
}
standard_portal_menu_items = [
	{
		"title": "Complaints",
		"route": "/complaints",
		"reference_doctype": "Customer Complaint",
		"role": "Customer",
	},
	{
		"title": "Satisfaction Surveys",
		"route": "/satisfaction-survey",
		"reference_doctype": "Satisfaction Survey Response",
		"role": "Customer",
	},
	{
		"title": "Delivery Acceptance",
		"route": "/delivery-acceptance",
		"reference_doctype": "Delivery Acceptance",
		"role": "Customer",
	},
]
