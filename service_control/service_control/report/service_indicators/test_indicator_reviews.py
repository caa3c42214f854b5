# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Quality Goal objectives bound to a service indicator, reviewed by ERPNext's own scheduler."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_months, getdate

from erpnext.quality_management.doctype.quality_review.quality_review import review

# imported before a test moves frappe.utils.getdate to the scheduler's day: the hooks and the
# CAPA keep today's date (a module first imported under the patch would keep the patched one)
import service_control.overrides.quality_review
import service_control.service_control.doctype.corrective_action.corrective_action  # noqa: F401
from service_control.core import service_indicators as core
from service_control.setup.accounting_dimension import get_dimension_field
from service_control.tests.repair_factories import make_repair_masters, make_repair_request
from service_control.tests.utils import (
	TEST_COMPANY,
	TEST_IGNORE,
	make_complaint,
	make_customer,
	make_delivery_note,
	make_item,
	set_service_company_defaults,
)

test_ignore = TEST_IGNORE

GROUP = "_Test SC MIS Review Group"
GOAL = "_Test SC Service Indicators"


def make_item_group() -> str:
	if not frappe.db.exists("Item Group", GROUP):
		frappe.get_doc(
			{"doctype": "Item Group", "item_group_name": GROUP, "parent_item_group": "All Item Groups"}
		).insert(ignore_permissions=True)
	return GROUP


def objective(text, indicator, window, target, uom=None):
	return {
		"objective": text,
		"target": target,
		"uom": uom or core.INDICATOR_UOM[indicator],
		"sc_indicator": indicator,
		"sc_window": window,
		"sc_company": TEST_COMPANY,
		"sc_item_group": GROUP,
	}


class TestIndicatorReviews(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("sc_indicator_reviews")
		make_repair_masters()
		make_item_group()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="sc_indicator_reviews")

	def make_service_history(self):
		"""500 units delivered today with one complaint (250 paid on the ledger) and one repair:
		R/1000 = 2.0, TGW = 0.2, CPU = 0.5 over the short-term window."""
		item = make_item("_Test SC MIS Review Item", item_group=GROUP)
		customer = make_customer("_Test SC MIS Review Customer")
		dn = make_delivery_note(customer, item, qty=500, rate=10)
		complaint = make_complaint(customer=customer, item_code=item, delivery_note=dn.name, affected_qty=1)
		make_repair_request(None, customer=customer, item_code=item, delivery_note=dn.name)
		defaults = set_service_company_defaults()
		je = frappe.get_doc(
			{
				"doctype": "Journal Entry",
				"company": TEST_COMPANY,
				"posting_date": getdate(),
				"accounts": [
					{
						"account": defaults["compensation_expense_account"],
						"debit_in_account_currency": 250,
						"cost_center": frappe.db.get_value("Company", TEST_COMPANY, "cost_center"),
						get_dimension_field(): complaint.name,
					},
					{
						"account": frappe.db.get_value("Company", TEST_COMPANY, "default_cash_account"),
						"credit_in_account_currency": 250,
					},
				],
			}
		)
		je.insert()
		je.submit()

	def test_scheduler_review_fills_bound_objectives_and_offers_one_capa(self):
		self.make_service_history()
		frappe.get_doc(
			{
				"doctype": "Quality Goal",
				"goal": GOAL,
				"frequency": "Daily",
				"objectives": [
					objective("Repairs per 1000 units, first 3 months", core.R1000, core.SHORT_TERM, "1.5"),
					objective("Defects per 100 units, first 3 months", core.TGW, core.SHORT_TERM, "0.5"),
					objective("Cost per unit, first 12 months", core.CPU, core.LONG_TERM, "1"),
					{"objective": "Not an indicator", "target": "5", "uom": "Nos"},
				],
			}
		).insert()
		review_day = add_months(getdate(), 4)
		real_getdate = frappe.utils.getdate

		def scheduler_day(date=None, *args, **kwargs):
			return real_getdate(date, *args, **kwargs) if date else review_day

		# the scheduler runs four months on (ERPNext reads the day as frappe.utils.getdate())
		with patch("frappe.utils.getdate", scheduler_day):
			review()  # ERPNext's own daily scheduler function
			reviews = frappe.get_all("Quality Review", filters={"goal": GOAL}, pluck="name")
			self.assertEqual(len(reviews), 1)
			doc = frappe.get_doc("Quality Review", reviews[0])
			rows = {row.objective: row for row in doc.reviews}
			r1000 = rows["Repairs per 1000 units, first 3 months"]
			self.assertEqual((r1000.sc_achieved, r1000.status), (2.0, "Failed"))
			self.assertIn("500", r1000.review)
			tgw = rows["Defects per 100 units, first 3 months"]
			self.assertEqual((tgw.sc_achieved, tgw.status), (0.2, "Passed"))
			# nothing delivered a year before the review: nothing to judge
			cpu = rows["Cost per unit, first 12 months"]
			self.assertEqual((cpu.sc_achieved, cpu.status), (0, "Open"))
			self.assertIsNone(rows["Not an indicator"].status)  # left to the reviewer
			self.assertEqual(doc.status, "Open")

			capas = frappe.get_all(
				"Corrective Action",
				filters={"source_type": "Quality Review", "source_name": doc.name},
				fields=["name", "status", "problem_where", "problem_what", "company"],
			)
			self.assertEqual(len(capas), 1)
			self.assertEqual((capas[0].status, capas[0].company), ("Draft", TEST_COMPANY))
			self.assertIn("R/1000", capas[0].problem_what)
			# the scheduler runs again the same month: a second review, the same CAPA
			review()
			self.assertEqual(len(frappe.get_all("Quality Review", filters={"goal": GOAL})), 2)
			self.assertEqual(
				frappe.db.count(
					"Corrective Action",
					{"source_type": "Quality Review", "problem_where": capas[0].problem_where},
				),
				1,
			)

	def test_binding_needs_the_indicator_unit_of_measure(self):
		goal = frappe.get_doc(
			{
				"doctype": "Quality Goal",
				"goal": GOAL,
				"frequency": "None",
				"objectives": [objective("R/1000", core.R1000, core.SHORT_TERM, "2", uom="Nos")],
			}
		)
		self.assertRaises(frappe.ValidationError, goal.insert)
		goal.objectives[0].uom = core.INDICATOR_UOM[core.R1000]
		goal.objectives[0].target = "two"
		self.assertRaises(frappe.ValidationError, goal.insert)
		goal.objectives[0].target = "2"
		goal.insert()
