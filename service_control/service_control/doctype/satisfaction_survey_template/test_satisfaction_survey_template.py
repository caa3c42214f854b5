# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE


def template(name="_Test SC Template Weights", scale="1-5", weights=(60, 40)):
	return frappe.get_doc(
		{
			"doctype": "Satisfaction Survey Template",
			"template_name": name,
			"scale": scale,
			"criteria": [{"label_en": f"Criterion {i}", "weight": w} for i, w in enumerate(weights)],
		}
	)


class TestSatisfactionSurveyTemplate(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_valid_template_saves_total(self):
		doc = template(scale="0-10").insert()
		self.assertEqual(doc.total_weight, 100)

	def test_weights_that_do_not_add_up_are_refused(self):
		for weights, message in (
			((60, 30), "add up to 90, not 100"),
			((60, 50), "add up to 110"),
			((100, 0), "greater than zero"),
		):
			with self.subTest(weights=weights), self.assertRaises(frappe.ValidationError) as ctx:
				template(weights=weights).insert()
			self.assertIn(message, str(ctx.exception))
		self.assertFalse(frappe.db.exists("Satisfaction Survey Template", "_Test SC Template Weights"))

	def test_default_template_installed_and_valid(self):
		from service_control.setup.survey_defaults import DEFAULT_TEMPLATE

		doc = frappe.get_doc("Satisfaction Survey Template", DEFAULT_TEMPLATE)
		self.assertEqual(doc.total_weight, 100)
		self.assertTrue(all(row.label_zh for row in doc.criteria))
		doc.criteria[0].weight += 1
		with self.assertRaises(frappe.ValidationError):
			doc.save()

	def test_empty_template_refused(self):
		doc = template(weights=())
		with self.assertRaises(frappe.ValidationError):
			doc.insert()
