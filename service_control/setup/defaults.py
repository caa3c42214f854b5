"""Default records and policy, created only where missing so an administrator's edits survive."""

import frappe

from service_control.core.settings import DEFAULT_COMPLAINT_TARGETS, DEFAULT_WORKING_HOURS

ROOT_CATEGORY = "All Complaint Categories"
CATEGORIES = (
	"Product Quality",
	"Delivery",
	"Packaging",
	"Documentation",
	"Service Attitude",
	"Billing",
)

DEFAULT_ESCALATION_LEVELS = (
	{"level": 1, "trigger": "At Risk", "delay_hours": 0, "notify_owner": 1},
	{"level": 2, "trigger": "Breached", "delay_hours": 0, "role": "Quality Manager"},
	{
		"level": 3,
		"trigger": "Breached",
		"delay_hours": 24,
		"role": "General Manager",
		"immediate_for_critical": 1,
	},
)


def create_complaint_categories() -> None:
	if not frappe.db.exists("Complaint Category", ROOT_CATEGORY):
		frappe.get_doc(
			{"doctype": "Complaint Category", "category_name": ROOT_CATEGORY, "is_group": 1}
		).insert(ignore_permissions=True)
	for name in CATEGORIES:
		if not frappe.db.exists("Complaint Category", name):
			frappe.get_doc(
				{
					"doctype": "Complaint Category",
					"category_name": name,
					"parent_complaint_category": ROOT_CATEGORY,
				}
			).insert(ignore_permissions=True)


def set_default_settings() -> None:
	"""Fill an empty Service Control Settings with the procedures' policy (only once)."""
	settings = frappe.get_single("Service Control Settings")
	changed = False
	if not settings.working_hours:
		for weekday, start, end in DEFAULT_WORKING_HOURS:
			settings.append(
				"working_hours", {"weekday": weekday, "from_time": str(start), "to_time": str(end)}
			)
		changed = True
	if not settings.sla_targets:
		for urgency, stage, hours in DEFAULT_COMPLAINT_TARGETS:
			settings.append(
				"sla_targets",
				{
					"document_type": "Customer Complaint",
					"urgency": urgency,
					"stage": stage,
					"hours": hours,
					"basis": "Calendar Hours",
				},
			)
		changed = True
	if not settings.escalation_levels:
		for row in DEFAULT_ESCALATION_LEVELS:
			settings.append("escalation_levels", row)
		changed = True
	if not settings.retention_years:
		settings.retention_years = 3
		changed = True
	if not settings.at_risk_percent:
		settings.at_risk_percent = 75
		changed = True
	if changed:
		settings.flags.ignore_permissions = True
		settings.save()


def set_default_targets() -> None:
	"""Add the default SLA targets of each document type that settings have none for."""
	from service_control.core.front_desk import DEFAULT_CONTACT_TARGETS
	from service_control.core.internal_complaint import DEFAULT_INTERNAL_TARGETS
	from service_control.core.repair import DEFAULT_REPAIR_TARGETS

	defaults = {
		"Repair Request": DEFAULT_REPAIR_TARGETS,
		"Customer Contact Log": DEFAULT_CONTACT_TARGETS,
		"Internal Complaint": DEFAULT_INTERNAL_TARGETS,
	}
	settings = frappe.get_single("Service Control Settings")
	present = {row.document_type for row in settings.sla_targets}
	missing = [doctype for doctype in defaults if doctype not in present]
	for document_type in missing:
		for urgency, stage, hours in defaults[document_type]:
			settings.append(
				"sla_targets",
				{
					"document_type": document_type,
					"urgency": urgency,
					"stage": stage,
					"hours": hours,
					"basis": "Calendar Hours",
				},
			)
	if missing:
		settings.flags.ignore_permissions = True
		settings.save()
