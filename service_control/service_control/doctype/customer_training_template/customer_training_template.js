// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

frappe.ui.form.on("Customer Training Template", {});
