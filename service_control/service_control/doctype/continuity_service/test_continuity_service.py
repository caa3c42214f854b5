# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.tests.continuity_factories import (
	CM,
	approve,
	make_plan,
	make_service,
	setup_users,
)
from service_control.tests.utils import TEST_IGNORE, make_supplier

test_ignore = TEST_IGNORE


class TestContinuityService(FrappeTestCase):
	def setUp(self):
		setup_users()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_rto_beyond_mto_is_refused_and_nothing_is_written(self):
		with self.assertRaises(frappe.ValidationError):
			make_service("_Test SC Bad RTO", rto_hours=30, mto_hours=24)
		self.assertFalse(frappe.db.exists("Continuity Service", "_Test SC Bad RTO"))

	def test_impact_falling_over_time_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			make_service(
				"_Test SC Bad BIA",
				impacts=[
					{"hours_after_outage": 4, "financial": 3},
					{"hours_after_outage": 24, "financial": 2},
				],
			)

	def test_suggested_mto_is_the_first_intolerable_impact(self):
		service = make_service(
			"_Test SC BIA",
			impacts=[
				{"hours_after_outage": 4, "financial": 1, "contractual": 2},
				{"hours_after_outage": 8, "financial": 2, "contractual": 4},
				{"hours_after_outage": 24, "financial": 5, "contractual": 5},
			],
		)
		self.assertEqual(service.suggested_mto_hours, 8)

	def test_a_change_marks_the_approved_plans_for_review(self):
		service = make_service("_Test SC Marked")
		plan = approve(make_plan(service.name))
		draft = make_plan(service.name)
		self.assertEqual(frappe.db.get_value("Continuity Plan", plan.name, "review_required"), 0)
		service.reload()
		service.save()  # nothing changed: no review
		self.assertEqual(frappe.db.get_value("Continuity Plan", plan.name, "review_required"), 0)
		service.append("dependencies", {"dependency_type": "Supplier", "supplier": make_supplier()})
		service.save()
		self.assertEqual(frappe.db.get_value("Continuity Plan", plan.name, "review_required"), 1)
		self.assertIn(service.name, frappe.db.get_value("Continuity Plan", plan.name, "review_reason"))
		self.assertEqual(frappe.db.get_value("Continuity Plan", draft.name, "review_required"), 0)

	def test_a_supplier_change_marks_the_plans_of_dependent_services(self):
		supplier = make_supplier()
		service = make_service(
			"_Test SC Supplier Dep", dependencies=[{"dependency_type": "Supplier", "supplier": supplier}]
		)
		plan = approve(make_plan(service.name))
		doc = frappe.get_doc("Supplier", supplier)
		doc.supplier_details = "changed"
		doc.save()
		self.assertEqual(frappe.db.get_value("Continuity Plan", plan.name, "review_required"), 1)

	def test_a_user_without_the_role_cannot_create_a_service(self):
		frappe.set_user("sc.cont.norole@example.com")
		with self.assertRaises(frappe.PermissionError):
			make_service("_Test SC No Role")
		frappe.set_user(CM)
		make_service("_Test SC By CM")
