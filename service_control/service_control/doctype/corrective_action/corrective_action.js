// Copyright (c) 2026, service_control contributors
// For license information, please see license.txt

const CAPA_SOURCE_TYPES = [
	"Customer Complaint",
	"Repair Request",
	"Satisfaction Survey Response",
	"Non Conformance",
	"Internal Complaint",
	"Feedback Handling Form",
];

frappe.ui.form.on("Corrective Action", {
	setup(frm) {
		frm.set_query("source_type", () => ({ filters: { name: ["in", CAPA_SOURCE_TYPES] } }));
		frm.set_query("action_owner", "actions", () => ({
			filters: { enabled: 1, user_type: "System User" },
		}));
		frm.set_query("verifier", () => ({ filters: { enabled: 1, user_type: "System User" } }));
		frm.set_query("department", () => ({ filters: { company: frm.doc.company } }));
	},

	refresh(frm) {
		if (frm.doc.risk_band) {
			const colour = { High: "red", Medium: "orange", Low: "green" }[frm.doc.risk_band];
			frm.dashboard.set_headline_alert(
				`<span class="indicator ${colour}">${__("Risk")}: ${frm.doc.risk_score} (${__(
					frm.doc.risk_band
				)})</span>`
			);
		}
		if (frm.doc.current_round > 1) {
			frm.dashboard.add_comment(
				__("Round {0}: the earlier rounds were not effective and are kept below.", [
					frm.doc.current_round,
				]),
				"blue",
				true
			);
		}
	},

	severity: (frm) => frm.trigger("update_risk"),
	occurrence: (frm) => frm.trigger("update_risk"),
	detection: (frm) => frm.trigger("update_risk"),

	update_risk(frm) {
		// preview only: the server's core computes the stored score and band
		const { severity: s, occurrence: o, detection: d } = frm.doc;
		frm.set_value("risk_score", s && o && d ? s * o * d : 0);
	},
});

frappe.ui.form.on("Corrective Action Item", {
	actions_add(frm, cdt, cdn) {
		frappe.model.set_value(cdt, cdn, "round", frm.doc.current_round || 1);
	},
	status(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		if (row.status === "Done" && !row.completed_on) {
			frappe.model.set_value(cdt, cdn, "completed_on", frappe.datetime.get_today());
		}
	},
});

frappe.ui.form.on("Corrective Action Effectiveness", {
	effectiveness_checks_add(frm, cdt, cdn) {
		frappe.model.set_value(cdt, cdn, "round", frm.doc.current_round || 1);
	},
});
