# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import add_days, getdate

from service_control.service_control.capa_sweep import run_daily
from service_control.service_control.doctype.corrective_action.corrective_action import (
	make_corrective_action as make_from_complaint,
)
from service_control.tests.utils import (
	TEST_IGNORE,
	advance_capa_to,
	make_complaint,
	make_corrective_action,
	make_customer,
	make_item,
	make_user,
)

QM_USER = "sc.capa.qm@example.com"
CS_USER = "sc.capa.cs@example.com"
TECH_USER = "sc.capa.tech@example.com"
TECH2_USER = "sc.capa.tech2@example.com"
GONE_USER = "sc.capa.gone@example.com"

test_ignore = TEST_IGNORE


class TestCorrectiveAction(FrappeTestCase):
	def setUp(self):
		make_user(QM_USER, ["Quality Manager"])
		make_user(CS_USER, ["Customer Service User"])
		make_user(TECH_USER, ["Service Technician"])
		make_user(TECH2_USER, ["Service Technician"])
		make_user(GONE_USER, ["Service Technician"])
		frappe.db.set_value("User", GONE_USER, "enabled", 0)
		make_item()
		make_customer()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	# ---- from a complaint --------------------------------------------------------------------

	def _company_complaint(self, **kwargs):
		return make_complaint(
			item_code="_Test SC Item",
			affected_qty=4,
			responsibility="Company",
			investigation_owner=QM_USER,
			root_cause="Packing foam too thin",
			containment_actions=[{"action": "Re-pack stock in the warehouse", "action_type": "Emergency"}],
			**kwargs,
		)

	def test_complaint_to_capa_carries_data_and_shows_state(self):
		complaint = self._company_complaint()
		capa = make_from_complaint(complaint.name)
		capa.insert()
		self.assertEqual((capa.source_type, capa.source_name), ("Customer Complaint", complaint.name))
		self.assertEqual(capa.company, complaint.company)
		self.assertEqual(capa.status, "Draft")
		self.assertEqual(capa.problem_what, "Parts arrived scratched")
		self.assertEqual(capa.problem_how_many, 4)
		self.assertEqual(capa.problem_when, getdate(complaint.received_on))
		self.assertEqual(capa.root_cause, "Packing foam too thin")
		self.assertEqual(capa.capa_owner, QM_USER)
		self.assertEqual([(i.item_code, i.qty) for i in capa.items], [("_Test SC Item", 4)])
		self.assertEqual([r.action for r in capa.containment_actions], ["Re-pack stock in the warehouse"])
		self.assertEqual(
			frappe.db.get_value(
				"Customer Complaint", complaint.name, ["corrective_action", "corrective_action_status"]
			),
			(capa.name, "Draft"),
		)
		advance_capa_to(capa, "Root Cause")
		self.assertEqual(
			frappe.db.get_value("Customer Complaint", complaint.name, "corrective_action_status"),
			"Root Cause",
		)
		with self.assertRaisesRegex(frappe.ValidationError, "already has CAPA"):
			make_from_complaint(complaint.name)

	def test_only_company_responsibility_complaints_make_a_capa(self):
		complaint = make_complaint(responsibility="Customer")
		with self.assertRaisesRegex(frappe.ValidationError, "company is responsible"):
			make_from_complaint(complaint.name)

	# ---- the flow, rounds ----------------------------------------------------------------------

	def test_full_flow_with_a_not_effective_round(self):
		capa = make_corrective_action(days_ago=60, verifier=QM_USER)
		self.assertEqual((capa.risk_score, capa.risk_band), (120, "Medium"))
		advance_capa_to(
			capa,
			"Implemented",
			actions=[{"action": "Replace the fixture", "due_date": add_days(getdate(), -30)}],
		)
		self.assertEqual(capa.status, "Implemented")
		self.assertEqual(capa.approver, "Administrator")
		(check,) = capa.effectiveness_checks
		days = frappe.db.get_single_value("Service Control Settings", "capa_effectiveness_days") or 0
		self.assertEqual(getdate(check.planned_date), add_days(getdate(), days))
		check.planned_date = add_days(getdate(), -1)
		capa.status = "Effectiveness Check"
		capa.save()
		capa.effectiveness_checks[0].result = "Not Effective"
		capa.effectiveness_checks[0].criteria = "No scratches in 200 units"
		capa.save()
		self.assertEqual((capa.status, capa.current_round), ("Actions Planned", 2))
		self.assertIsNone(capa.approver)
		self.assertEqual(capa.effectiveness_checks[0].verified_by, "Administrator")
		# round 1's rows stay and cannot be edited
		capa.actions[0].action = "Rewritten history"
		with self.assertRaisesRegex(frappe.ValidationError, "kept as a record"):
			capa.save()
		capa.reload()
		capa.append(
			"actions",
			{
				"round": 2,
				"action": "Add a guard rail",
				"action_owner": TECH_USER,
				"due_date": add_days(getdate(), 3),
			},
		)
		capa.status = "Approved"
		capa.save()
		self.assertEqual([a.round for a in capa.actions], [1, 2])
		advance_capa_to(capa, "Implemented")
		self.assertEqual([c.round for c in capa.effectiveness_checks], [1, 2])
		capa.effectiveness_checks[1].planned_date = getdate()
		capa.status = "Effectiveness Check"
		capa.save()
		capa.effectiveness_checks[1].result = "Effective"
		capa.status = "Closed"
		capa.save()
		self.assertEqual(capa.closed_on, getdate())
		self.assertEqual(capa.effectiveness_checks[0].result, "Not Effective")

	# ---- the daily run -------------------------------------------------------------------------

	@change_settings("Service Control Settings", {"capa_reminder_days": 3})
	def test_overdue_action_escalates_exactly_once(self):
		capa = make_corrective_action(days_ago=20)
		advance_capa_to(
			capa,
			"Approved",
			actions=[
				{"action": "Late one", "action_owner": TECH_USER, "due_date": add_days(getdate(), -2)},
				{"action": "Soon one", "action_owner": TECH2_USER, "due_date": add_days(getdate(), 1)},
			],
		)
		late, soon = capa.actions
		first = run_daily()
		self.assertGreaterEqual(first["Overdue"], 1)
		self.assertGreaterEqual(first["Reminder"], 1)

		def counts():
			return (
				frappe.db.count("Corrective Action Log", {"row_name": late.name, "event": "Overdue"}),
				frappe.db.count("Corrective Action Log", {"row_name": soon.name, "event": "Reminder"}),
				frappe.db.count("Corrective Action Log", {"row_name": late.name, "event": "Reminder"}),
				frappe.db.count(
					"Notification Log",
					{"for_user": QM_USER, "document_name": capa.name, "subject": ("like", "%overdue%")},
				),
				frappe.db.count(
					"ToDo", {"allocated_to": QM_USER, "reference_name": capa.name, "status": "Open"}
				),
				frappe.db.count("Notification Log", {"for_user": TECH2_USER, "document_name": capa.name}),
			)

		self.assertEqual(counts(), (1, 1, 0, 1, 1, 1))
		self.assertEqual(
			frappe.db.get_value("Corrective Action Log", {"row_name": late.name}, "status"), "Sent"
		)
		self.assertEqual(
			getdate(frappe.db.get_value("Corrective Action Item", late.name, "escalated_on")), getdate()
		)
		second = run_daily()
		self.assertEqual(counts(), (1, 1, 0, 1, 1, 1))
		self.assertEqual((second["Overdue"], second["Reminder"], second["notified"]), (0, 0, 0))

	def test_done_and_closed_actions_are_not_escalated(self):
		capa = make_corrective_action(days_ago=20)
		advance_capa_to(
			capa,
			"Approved",
			actions=[{"action": "x", "action_owner": TECH_USER, "due_date": add_days(getdate(), -2)}],
		)
		capa.actions[0].status, capa.actions[0].completed_on = "Done", add_days(getdate(), -1)
		capa.save()
		run_daily()
		self.assertFalse(frappe.db.exists("Corrective Action Log", {"row_name": capa.actions[0].name}))

	def test_effectiveness_check_falling_due_is_assigned_once(self):
		capa = make_corrective_action(days_ago=60, verifier=QM_USER)
		advance_capa_to(capa, "Implemented")
		capa.effectiveness_checks[0].planned_date = add_days(getdate(), -1)
		capa.save()
		run_daily()
		run_daily()
		self.assertEqual(
			frappe.db.count("ToDo", {"allocated_to": QM_USER, "reference_name": capa.name, "status": "Open"}),
			1,
		)
		self.assertEqual(
			frappe.db.count(
				"Corrective Action Log", {"corrective_action": capa.name, "event": "Effectiveness Due"}
			),
			1,
		)

	# ---- who may edit --------------------------------------------------------------------------

	def test_technician_updates_only_own_actions(self):
		capa = make_corrective_action(days_ago=10)
		advance_capa_to(
			capa,
			"Approved",
			actions=[
				{"action": "Mine", "action_owner": TECH_USER, "due_date": add_days(getdate(), 5)},
				{"action": "Theirs", "action_owner": TECH2_USER, "due_date": add_days(getdate(), 5)},
			],
		)
		frappe.set_user(TECH_USER)
		doc = frappe.get_doc("Corrective Action", capa.name)
		doc.actions[0].status, doc.actions[0].completed_on = "Done", getdate()
		doc.save()
		self.assertEqual(frappe.db.get_value("Corrective Action Item", doc.actions[0].name, "status"), "Done")

		doc = frappe.get_doc("Corrective Action", capa.name)
		doc.actions[1].status = "In Progress"
		with self.assertRaisesRegex(frappe.ValidationError, "only the actions you own"):
			doc.save()
		doc = frappe.get_doc("Corrective Action", capa.name)
		doc.severity = 10
		with self.assertRaisesRegex(frappe.ValidationError, "only the actions you own"):
			doc.save()
		doc = frappe.get_doc("Corrective Action", capa.name)
		doc.actions[0].due_date = add_days(getdate(), 20)
		with self.assertRaisesRegex(frappe.ValidationError, "only status"):
			doc.save()
		frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value("Corrective Action Item", capa.actions[1].name, "status"), "Open"
		)
		self.assertEqual(frappe.db.get_value("Corrective Action", capa.name, "severity"), 6)

	def test_technician_saving_the_form_json_is_not_mistaken_for_other_changes(self):
		capa = make_corrective_action(days_ago=10, problem_how_many=4, problem_when=getdate())
		advance_capa_to(
			capa,
			"Approved",
			actions=[{"action": "Mine", "action_owner": TECH_USER, "due_date": add_days(getdate(), 5)}],
		)
		frappe.set_user(TECH_USER)
		# what the desk sends: dates as strings, a whole float as an integer
		data = frappe.parse_json(frappe.as_json(frappe.get_doc("Corrective Action", capa.name).as_dict()))
		data["problem_how_many"] = 4
		data["actions"][0]["status"] = "In Progress"
		frappe.get_doc(data).save()
		self.assertEqual(
			frappe.db.get_value("Corrective Action Item", capa.actions[0].name, "status"), "In Progress"
		)

	# ---- bad input -----------------------------------------------------------------------------

	def test_bad_new_capas_refused_and_nothing_saved(self):
		count = frappe.db.count("Corrective Action")
		cancelled = make_complaint()
		cancelled.status, cancelled.cancel_reason = "Cancelled", "Registered twice"
		cancelled.save()
		cases = [
			(
				{"actions": [{"action": "x", "due_date": add_days(getdate(), -31)}]},
				"before the CAPA date",
			),
			(
				{"actions": [{"action": "x", "action_owner": GONE_USER, "due_date": getdate()}]},
				"disabled user",
			),
			({"source_type": "Customer Complaint", "source_name": cancelled.name}, "is cancelled"),
			({"severity": 11}, "1 to 10"),
		]
		for kwargs, message in cases:
			with self.subTest(message=message), self.assertRaisesRegex(frappe.ValidationError, message):
				make_corrective_action(**kwargs)
		self.assertEqual(frappe.db.count("Corrective Action"), count)

	def test_capa_as_its_own_source_refused(self):
		capa = make_corrective_action()
		capa.source_type, capa.source_name = "Corrective Action", capa.name
		with self.assertRaisesRegex(frappe.ValidationError, "its own source"):
			capa.save()
		self.assertIsNone(frappe.db.get_value("Corrective Action", capa.name, "source_type"))

	def test_approval_without_corrective_action_refused(self):
		capa = make_corrective_action()
		advance_capa_to(
			capa,
			"Actions Planned",
			actions=[{"action": "Train", "action_type": "Preventive", "due_date": getdate()}],
		)
		capa.status = "Approved"
		with self.assertRaisesRegex(frappe.ValidationError, "at least one corrective action"):
			capa.save()
		self.assertEqual(frappe.db.get_value("Corrective Action", capa.name, "status"), "Actions Planned")

	def test_closing_without_result_and_early_verification_refused(self):
		capa = make_corrective_action(days_ago=60, verifier=QM_USER)
		advance_capa_to(capa, "Implemented")
		capa.effectiveness_checks[0].planned_date = add_days(getdate(), 10)
		capa.status = "Effectiveness Check"
		capa.save()
		capa.status = "Closed"
		with self.assertRaisesRegex(frappe.ValidationError, "effectiveness result"):
			capa.save()
		self.assertEqual(frappe.db.get_value("Corrective Action", capa.name, "status"), "Effectiveness Check")

		frappe.set_user(CS_USER)
		doc = frappe.get_doc("Corrective Action", capa.name)
		doc.effectiveness_checks[0].result = "Effective"
		with self.assertRaisesRegex(frappe.ValidationError, "only a Quality Manager"):
			doc.save()
		frappe.set_user(QM_USER)
		doc = frappe.get_doc("Corrective Action", capa.name)
		doc.effectiveness_checks[0].result = "Effective"
		with self.assertRaisesRegex(frappe.ValidationError, "Give a reason"):
			doc.save()
		self.assertFalse(
			frappe.db.get_value(
				"Corrective Action Effectiveness", capa.effectiveness_checks[0].name, "result"
			)
		)
		doc = frappe.get_doc("Corrective Action", capa.name)
		doc.effectiveness_checks[0].result = "Effective"
		doc.effectiveness_checks[0].reason = "Line audited early by the customer"
		doc.status = "Closed"
		doc.save()
		self.assertEqual(doc.status, "Closed")
		self.assertEqual(doc.effectiveness_checks[0].verified_by, QM_USER)

	def test_closed_capa_is_read_only(self):
		capa = make_corrective_action(days_ago=60)
		advance_capa_to(capa, "Implemented")
		capa.effectiveness_checks[0].planned_date = getdate()
		capa.status = "Effectiveness Check"
		capa.save()
		capa.effectiveness_checks[0].result = "Effective"
		capa.status = "Closed"
		capa.save()
		capa.problem_what = "Changed later"
		with self.assertRaisesRegex(frappe.ValidationError, "no longer be edited"):
			capa.save()

	@change_settings("Service Control Settings", {"capa_effectiveness_days": 45})
	def test_effectiveness_planned_from_settings(self):
		capa = make_corrective_action(days_ago=60)
		advance_capa_to(capa, "Approved")
		capa.actions[0].status, capa.actions[0].completed_on = "Done", add_days(getdate(), -5)
		capa.status = "Implemented"
		capa.save()
		self.assertEqual(getdate(capa.effectiveness_checks[0].planned_date), add_days(getdate(), 40))
