// Internal Complaint: the next deadlines (Due By) on a calendar (service_control.deadlines).
frappe.views.calendar["Internal Complaint"] = service_control.deadlines.calendar("Internal Complaint");
