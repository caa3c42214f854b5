# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from service_control.core import delivery as rules
from service_control.exceptions import ServiceControlValidationError
from service_control.service_control.doctype.customer_training_record.customer_training_record import (
	make_training_record,
)
from service_control.service_control.report.deliveries_awaiting_acceptance_or_training.deliveries_awaiting_acceptance_or_training import (
	execute as awaiting,
)
from service_control.tests.delivery_factories import (
	GROUP,
	SALES,
	TECH,
	delivery,
	draft_delivery,
	make_delivery_masters,
	receive,
	signed,
)
from service_control.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE
TEMPLATE = "_Test SC Operation Training"


def make_template() -> str:
	if not frappe.db.exists("Customer Training Template", TEMPLATE):
		frappe.get_doc(
			{
				"doctype": "Customer Training Template",
				"template_name": TEMPLATE,
				"item_group": GROUP,
				"topics": [{"topic": "Safe operation"}, {"topic": "Daily maintenance"}],
			}
		).insert(ignore_permissions=True)
	return TEMPLATE


def training(dn_name: str, **kwargs):
	doc = make_training_record(dn_name)
	doc.update(
		{
			"training_date": getdate(),
			"duration_hours": 3,
			"trainers": [{"user": TECH}],
			"trainees": [
				{"trainee_name": "Wang Fang", "position": "Operator", "attended": 1},
				{"trainee_name": "Chen Jie", "position": "Operator", "attended": 0},
			],
			"evaluation": "Good",
			**kwargs,
		}
	)
	return doc


def report_row(dn_name: str, company: str):
	_columns, data = awaiting({"company": company, "show_deliveries": 1})[:2]
	return next((r for r in data if r["delivery_note"] == dn_name), None)


class TestCustomerTrainingRecord(FrappeTestCase):
	def setUp(self):
		make_delivery_masters()
		make_template()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_record_from_a_delivery_and_the_report_until_trained_and_accepted(self):
		dn, serials = delivery(qty=2)
		row = report_row(dn.name, dn.company)
		self.assertEqual((row["awaits_acceptance"], row["awaits_training"]), (1, 1))
		self.assertEqual(
			(row["awaits_acceptance"], row["awaits_training"]),
			rules.outstanding(row["acceptance_status"], True, False),
		)
		# per territory (the customer's), counted in the database
		territory = frappe.db.get_value("Customer", dn.customer, "territory")
		before = {r["territory"]: r for r in awaiting({"company": dn.company})[1]}[territory]
		dn2, _serials = delivery(qty=1)
		after = {r["territory"]: r for r in awaiting({"company": dn.company})[1]}[territory]
		self.assertEqual(
			(after["deliveries"], after["awaits_acceptance"], after["awaits_training"]),
			(before["deliveries"] + 1, before["awaits_acceptance"] + 1, before["awaits_training"] + 1),
		)
		self.assertEqual(
			{r["territory"] for r in awaiting({"company": dn.company, "territory": territory})[1]},
			{territory},
		)
		doc = training(dn.name)
		self.assertEqual(doc.template, TEMPLATE)
		self.assertEqual([t.topic for t in doc.topics], ["Safe operation", "Daily maintenance"])
		self.assertEqual(set(doc.serial_no.split("\n")), set(serials))
		signed(doc, result=None).insert()
		row = report_row(dn.name, dn.company)
		self.assertEqual((row["awaits_acceptance"], row["awaits_training"]), (1, 1))  # a draft does not count
		self.assertEqual(doc.trainers[0].trainer_name, frappe.db.get_value("User", TECH, "full_name"))
		doc.submit()
		row = report_row(dn.name, dn.company)
		self.assertEqual((row["awaits_acceptance"], row["awaits_training"]), (1, 0))
		self.assertEqual((1, 0), rules.outstanding(row["acceptance_status"], True, True))

		from service_control.service_control.doctype.delivery_acceptance.delivery_acceptance import (
			make_delivery_acceptance,
		)

		acceptance = make_delivery_acceptance(dn.name)
		for r in acceptance.checklist:
			r.delivered = 1
		signed(acceptance).insert()
		acceptance.submit()
		self.assertIsNone(report_row(dn.name, dn.company))  # nothing outstanding

	def test_submit_needs_evaluation_signature_and_an_attending_trainee(self):
		dn, _serials = delivery(qty=1)
		doc = training(dn.name, evaluation=None).insert()
		self.assertRaisesRegex(ServiceControlValidationError, "evaluation", doc.submit)
		doc.reload()
		doc.evaluation = "Good"
		for t in doc.trainees:
			t.attended = 0
		signed(doc, result=None)
		self.assertRaisesRegex(ServiceControlValidationError, "attended", doc.submit)

	def test_bad_references_are_refused(self):
		dn, _serials = delivery(qty=1)
		other = receive(qty=1)[0]
		doc = training(dn.name, serial_no=other)
		self.assertRaisesRegex(ServiceControlValidationError, other, doc.insert)
		doc = training(dn.name, customer="_Test SC Other Customer")
		self.assertRaisesRegex(ServiceControlValidationError, "not to _Test SC Other Customer", doc.insert)
		draft = draft_delivery()
		self.assertRaisesRegex(
			ServiceControlValidationError, "not submitted", make_training_record, draft.name
		)
		doc = training(dn.name, trainers=[{"trainer_name": "Someone"}])
		self.assertRaisesRegex(ServiceControlValidationError, "user or employee", doc.insert)
		self.assertEqual(frappe.db.count("Customer Training Record", {"delivery_note": dn.name}), 0)

	def test_a_user_without_the_role_is_refused(self):
		dn, _serials = delivery(qty=1)
		doc = training(dn.name)
		frappe.set_user(SALES)
		self.assertRaises(frappe.PermissionError, doc.insert)
		frappe.set_user(TECH)
		from frappe.desk.query_report import run

		self.assertRaises(
			frappe.PermissionError, run, "Deliveries Awaiting Acceptance or Training", {"company": dn.company}
		)
