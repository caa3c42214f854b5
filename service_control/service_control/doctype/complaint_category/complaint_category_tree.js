frappe.treeview_settings["Complaint Category"] = {
	breadcrumb: "Service Control",
	get_tree_root: false,
	root_label: "All Complaint Categories",
	ignore_fields: ["parent_complaint_category"],
};
