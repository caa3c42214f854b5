frappe.treeview_settings["Complaint Category"] = {
	breadcrumb: "Service Control",
	root_label: "All Complaint Categories",
	ignore_fields: ["parent_complaint_category"],
};
