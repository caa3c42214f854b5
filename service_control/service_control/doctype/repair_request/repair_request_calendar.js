// Repair Request: the next deadlines (Due By) on a calendar (service_control.deadlines).
frappe.views.calendar["Repair Request"] = service_control.deadlines.calendar("Repair Request");
