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
		# a second "Create CAPA" leads to the live CAPA instead of a duplicate
		count = frappe.db.count("Corrective Action")
		self.assertEqual(make_from_complaint(complaint.name).name, capa.name)
		self.assertEqual(frappe.db.count("Corrective Action"), count)
		# once it is closed (or cancelled) the problem can be opened again
		frappe.db.set_value("Corrective Action", capa.name, "status", "Closed")
		self.assertTrue(make_from_complaint(complaint.name).is_new())

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


class TestCorrectiveActionSources(FrappeTestCase):
	"""The other sources end to end: Repair Request and ERPNext's Non Conformance, and a cancelled
	source refused against a real cancelled document."""

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_repair_request_source_and_cancelled_repair_refused(self):
		from service_control.service_control.doctype.repair_request.repair_request import (
			make_corrective_action as make_from_repair,
		)
		from service_control.tests.repair_factories import make_repair_masters, make_repair_request

		make_repair_masters()
		request = make_repair_request(None)
		request.company_responsible = 1
		request.save()
		capa = make_from_repair(request.name)
		capa.insert()
		advance_capa_to(capa, "Root Cause")
		capa.reload()
		self.assertEqual((capa.source_type, capa.source_name), ("Repair Request", request.name))
		self.assertEqual((capa.status, capa.company), ("Root Cause", request.company))
		self.assertIn("Does not power on", capa.problem_what)

		request.reload()
		request.change_status("Cancelled", "Registered twice")
		count = frappe.db.count("Corrective Action")
		with self.assertRaisesRegex(frappe.ValidationError, "is cancelled"):
			make_corrective_action(source_type="Repair Request", source_name=request.name)
		self.assertEqual(frappe.db.count("Corrective Action"), count)
		# the CAPA opened before the cancellation keeps its source and goes on
		capa.team = "Service, Quality"
		capa.save()

	def test_non_conformance_source_fills_the_procedure_and_cancelled_nc_refused(self):
		procedure = "_Test SC Packing Procedure"
		if not frappe.db.exists("Quality Procedure", procedure):
			frappe.get_doc({"doctype": "Quality Procedure", "quality_procedure_name": procedure}).insert()
		nc = frappe.get_doc(
			{
				"doctype": "Non Conformance",
				"subject": "Foam thinner than drawing",
				"procedure": procedure,
				"status": "Open",
			}
		).insert()
		capa = make_corrective_action(source_type="Non Conformance", source_name=nc.name)
		self.assertEqual(capa.quality_procedure, procedure)
		advance_capa_to(capa, "Actions Planned")
		self.assertEqual(frappe.db.get_value("Corrective Action", capa.name, "status"), "Actions Planned")

		nc.status = "Cancelled"
		nc.save()
		count = frappe.db.count("Corrective Action")
		with self.assertRaisesRegex(frappe.ValidationError, "is cancelled"):
			make_corrective_action(source_type="Non Conformance", source_name=nc.name)
		# nor may an existing CAPA be pointed at it
		other = make_corrective_action()
		other.source_type, other.source_name = "Non Conformance", nc.name
		with self.assertRaisesRegex(frappe.ValidationError, "is cancelled"):
			other.save()
		self.assertEqual(frappe.db.count("Corrective Action"), count + 1)
		self.assertIsNone(frappe.db.get_value("Corrective Action", other.name, "source_name"))

	def test_complaint_follows_the_capa_to_cancelled_and_then_allows_a_new_one(self):
		make_user(QM_USER, ["Quality Manager"])
		make_item()
		complaint = make_complaint(
			item_code="_Test SC Item",
			responsibility="Company",
			containment_actions=[{"action": "Hold stock", "action_type": "Emergency"}],
		)
		capa = make_from_complaint(complaint.name)
		capa.insert()
		capa.status, capa.cancel_reason = "Cancelled", "Duplicate of an audit finding"
		capa.save()
		self.assertEqual(
			frappe.db.get_value(
				"Customer Complaint", complaint.name, ["corrective_action", "corrective_action_status"]
			),
			(capa.name, "Cancelled"),
		)
		again = make_from_complaint(complaint.name)
		again.insert()
		self.assertEqual(
			frappe.db.get_value(
				"Customer Complaint", complaint.name, ["corrective_action", "corrective_action_status"]
			),
			(again.name, "Draft"),
		)


class TestCorrectiveActionPermissionsAndPrint(FrappeTestCase):
	def setUp(self):
		make_user(QM_USER, ["Quality Manager"])
		make_user(TECH_USER, ["Service Technician"])
		make_user(TECH2_USER, ["Service Technician"])

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_technician_sees_only_capas_they_take_part_in(self):
		from service_control.service_control.report.overdue_capa_actions.overdue_capa_actions import (
			execute as overdue_report,
		)

		late = add_days(getdate(), -2)
		mine = advance_capa_to(
			make_corrective_action(days_ago=20),
			"Approved",
			actions=[{"action": "Mine", "action_owner": TECH_USER, "due_date": late}],
		)
		theirs = advance_capa_to(
			make_corrective_action(days_ago=20),
			"Approved",
			actions=[{"action": "Theirs", "action_owner": TECH2_USER, "due_date": late}],
		)
		verifying = make_corrective_action(verifier=TECH_USER)
		frappe.set_user(TECH_USER)
		visible = set(frappe.get_list("Corrective Action", pluck="name"))
		self.assertTrue({mine.name, verifying.name} <= visible)
		self.assertNotIn(theirs.name, visible)
		self.assertTrue(frappe.has_permission("Corrective Action", "read", mine.name))
		self.assertFalse(frappe.has_permission("Corrective Action", "read", theirs.name))
		self.assertFalse(frappe.has_permission("Corrective Action", "write", theirs.name))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Corrective Action", theirs.name).save()
		_columns, rows, *_rest = overdue_report({})
		self.assertEqual({r.corrective_action for r in rows}, {mine.name})

		frappe.set_user(QM_USER)
		visible = set(frappe.get_list("Corrective Action", pluck="name"))
		self.assertTrue({mine.name, theirs.name, verifying.name} <= visible)
		_columns, rows, *_rest = overdue_report({})
		self.assertTrue({mine.name, theirs.name} <= {r.corrective_action for r in rows})

	def test_the_list_shows_what_the_form_opens(self):
		"""The SQL condition and has_permission are one rule (service_control.permissions): for each
		way of taking part, and for a containment row (not a way), the list and the form agree."""
		by_owner = make_corrective_action(capa_owner=TECH_USER)
		by_verifier = make_corrective_action(verifier=TECH_USER)
		by_action = advance_capa_to(
			make_corrective_action(),
			"Actions Planned",
			actions=[{"action": "Mine", "action_owner": TECH_USER, "due_date": add_days(getdate(), 5)}],
		)
		by_containment = make_corrective_action(
			containment_actions=[
				{"action": "Sort stock", "action_type": "Emergency", "action_owner": TECH_USER}
			]
		)
		nobody = make_corrective_action()
		names = [d.name for d in (by_owner, by_verifier, by_action, by_containment, nobody)]
		expected = {
			TECH_USER: {by_owner.name, by_verifier.name, by_action.name},
			TECH2_USER: set(),
			QM_USER: set(names),
		}
		for user, sees in expected.items():
			frappe.set_user(user)
			listed = set(frappe.get_list("Corrective Action", filters={"name": ("in", names)}, pluck="name"))
			opened = {n for n in names if frappe.has_permission("Corrective Action", "read", n)}
			self.assertEqual(listed, sees, user)
			self.assertEqual(opened, sees, user)

	def test_8d_report_prints_d1_to_d8_in_chinese_and_english(self):
		capa = make_corrective_action(
			days_ago=60,
			team="Li Lei (quality), Han Meimei (assembly)",
			verifier=QM_USER,
			root_cause_method="5 Whys",
			why_chain=[{"why": "Why scratched?", "because": "Fixture edge <b>sharp</b>"}],
			root_cause="Worn fixture",
		)
		advance_capa_to(
			capa,
			"Implemented",
			actions=[{"action": "Replace the fixture", "due_date": add_days(getdate(), -30)}],
		)
		capa.append(
			"actions",
			{
				"round": 1,
				"action_type": "Preventive",
				"action": "Add the fixture to the maintenance plan",
				"action_owner": "Administrator",
				"due_date": add_days(getdate(), -20),
				"status": "Done",
				"completed_on": add_days(getdate(), -20),
			},
		)
		capa.effectiveness_checks[0].planned_date = getdate()
		capa.effectiveness_checks[0].criteria = "No scratches in 200 units"
		capa.status = "Effectiveness Check"
		capa.save()
		capa.effectiveness_checks[0].result = "Effective"
		capa.conclusion = "Closed after 200 clean units"
		capa.status = "Closed"
		capa.save()

		html = frappe.get_print("Corrective Action", capa.name, print_format="8D Report")
		for step in ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"):
			self.assertIn(step, html)
		for zh, en in (
			("8D 纠正和预防措施报告", "8D Corrective and Preventive Action Report"),
			("根本原因分析", "Root Cause Analysis"),
			("预防再发生", "Prevent Recurrence"),
			("结案与小组认可", "Closure and Team Recognition"),
		):
			self.assertIn(zh, html)
			self.assertIn(en, html)
		for text in (
			capa.name,
			"Li Lei (quality), Han Meimei (assembly)",
			"Housings scratched in final assembly",
			"Sort stock on hand",
			"Why scratched?",
			"Worn fixture",
			"Replace the fixture",
			"Add the fixture to the maintenance plan",
			"No scratches in 200 units",
			"Closed after 200 clean units",
		):
			self.assertIn(text, html)
		# plain text is escaped, not rendered as markup
		self.assertIn("Fixture edge &lt;b&gt;sharp&lt;/b&gt;", html)
		self.assertIn("Closed", html)
		self.assertIn("Effective", html)

		frappe.local.lang = "zh"
		try:
			html = frappe.get_print("Corrective Action", capa.name, print_format="8D Report")
		finally:
			frappe.local.lang = "en"
		self.assertIn("已结案", html)  # the status, translated
		self.assertIn("有效", html)  # the effectiveness result
		self.assertIn("Root Cause Analysis", html)  # the labels stay bilingual

	def test_daily_job_is_scheduled(self):
		method = "service_control.service_control.capa_sweep.run_daily"
		self.assertIn(method, frappe.get_hooks("scheduler_events")["daily_long"])
		self.assertEqual(
			frappe.db.get_value("Scheduled Job Type", {"method": method}, "frequency"), "Daily Long"
		)

	def test_workflow_by_role_and_the_core_gate_behind_it(self):
		from frappe.model.workflow import WorkflowTransitionError, apply_workflow

		self.assertTrue(frappe.db.get_value("Workflow", {"document_type": "Corrective Action"}, "is_active"))
		make_user(CS_USER, ["Customer Service User"])
		capa = advance_capa_to(make_corrective_action(days_ago=10), "Actions Planned")
		frappe.set_user(CS_USER)
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(frappe.get_doc("Corrective Action", capa.name), "Approve")
		frappe.set_user(QM_USER)
		doc = apply_workflow(frappe.get_doc("Corrective Action", capa.name), "Approve")
		self.assertEqual((doc.status, doc.approver), ("Approved", QM_USER))
