# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.tests.continuity_factories import CM, OWNER, QM, make_service, setup_users
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE

test_ignore = TEST_IGNORE

REPORT = "Continuity Risk Assessment"


def make_report(risks: list[dict], service: str | None = None):
	return frappe.get_doc(
		{
			"doctype": REPORT,
			"title": "Head office",
			"company": TEST_COMPANY,
			"service": service,
			"assessor": QM,
			"risks": risks,
		}
	).insert()


class TestContinuityRiskAssessment(FrappeTestCase):
	def setUp(self):
		setup_users()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_scores_and_bands_come_from_the_core(self):
		report = make_report(
			[
				{
					"threat": "Fire",
					"likelihood": 2,
					"impact": 5,
					"treatment": "Sprinklers",
					"treatment_owner": OWNER,
				},
				{"threat": "Theft", "likelihood": 1, "impact": 3},
			]
		)
		self.assertEqual([(r.score, r.band) for r in report.risks], [(10, "High"), (3, "Low")])
		self.assertEqual((report.highest_score, report.highest_band), (10, "High"))

	def test_a_rating_out_of_scale_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			make_report([{"threat": "Fire", "likelihood": 6, "impact": 1}])

	def test_a_risk_above_the_threshold_without_treatment_cannot_be_approved(self):
		report = make_report([{"threat": "Power Loss", "likelihood": 4, "impact": 4}])
		frappe.set_user(CM)
		with self.assertRaises(frappe.ValidationError) as caught:
			report.submit()
		self.assertIn("treatment", str(caught.exception))
		self.assertEqual(frappe.db.get_value(REPORT, report.name, "docstatus"), 0)
		report.reload()
		report.risks[0].treatment = "UPS and generator"
		report.risks[0].treatment_owner = OWNER
		report.submit()
		self.assertEqual((report.approved_by, frappe.db.get_value(REPORT, report.name, "docstatus")), (CM, 1))

	def test_only_a_continuity_manager_approves(self):
		service = make_service().name
		frappe.set_user(QM)  # writes the report, may not approve it
		report = make_report([{"threat": "Theft", "likelihood": 1, "impact": 1}], service)
		with self.assertRaises(frappe.PermissionError):
			report.submit()
