// Customer Complaint: the next deadlines (Due By) on a calendar (service_control.deadlines).
frappe.views.calendar["Customer Complaint"] = service_control.deadlines.calendar("Customer Complaint");
