# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""The regional summary from real complaints in a territory, against figures worked out by hand;
the bad input refused with nothing written; who may make, submit and approve it."""

from datetime import datetime

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from service_control.core import work_summary as rules
from service_control.service_control.doctype.service_work_summary.service_work_summary import make_summary
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, make_complaint, make_item, make_user

test_ignore = TEST_IGNORE

REGION = "_Test SC Region North"
OTHER_REGION = "_Test SC Region South"
ITEM = "_Test SC Summary Pump"
SALES_USER = "sc.region.user@example.com"
SALES_HEAD = "sc.sales.head@example.com"
OUTSIDER = "sc.summary.outsider@example.com"
NARRATIVE = {
	"shortcomings": "Replies were slow in May.",
	"customer_needs": "Spare seals on site.",
	"improvements": "Keep seals in the regional store.",
}


def make_territory(name: str) -> str:
	if not frappe.db.exists("Territory", name):
		frappe.get_doc(
			{
				"doctype": "Territory",
				"territory_name": name,
				"parent_territory": frappe.db.get_value("Territory", {"is_group": 1}, "name"),
			}
		).insert(ignore_permissions=True)
	return name


def make_region_customer(name: str, territory: str) -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
				"territory": make_territory(territory),
			}
		).insert(ignore_permissions=True)
	return name


class TestServiceWorkSummary(FrappeTestCase):
	"""Last year (Y) in the North: three complaints of one customer on one item (categories A, A,
	B; received 10 Feb, 1 Mar, 20 Apr: one repeat chain of 3 within 90 days), confirmed on closure
	Satisfied (10 Feb), Not Satisfied (5 May), Partly Satisfied (20 May); in Y-1 one complaint,
	Satisfied. A South complaint in Y counts nowhere in the North.

	By hand: complaints 3 (A 2 = 66.7 %, B 1 = 33.3 %), previous year 1; repeat cases 1 with 3
	complaints; satisfaction Y (100 + 0 + 50) / 3 = 50.0 over 3 ratings, Y-1 100.0, change -50.0,
	Declined; Q1 100.0 (1), Q2 25.0 (2), Q3 and Q4 none."""

	def setUp(self):
		frappe.set_user("Administrator")
		self.year = getdate().year - 1
		y = self.year
		categories = frappe.get_all("Complaint Category", filters={"is_group": 0}, pluck="name", limit=2)
		self.cat_a, self.cat_b = categories
		north = make_region_customer("_Test SC North Customer", REGION)
		south = make_region_customer("_Test SC South Customer", OTHER_REGION)
		make_item(ITEM)
		for received, category, satisfaction, closed in (
			(datetime(y, 2, 10, 9), self.cat_a, "Satisfied", datetime(y, 2, 10, 17)),
			(datetime(y, 3, 1, 9), self.cat_a, "Not Satisfied", datetime(y, 5, 5, 12)),
			(datetime(y, 4, 20, 9), self.cat_b, "Partly Satisfied", datetime(y, 5, 20, 12)),
			(datetime(y - 1, 6, 1, 9), self.cat_b, "Satisfied", datetime(y - 1, 6, 20, 12)),
		):
			self.complaint(north, received, category, satisfaction, closed)
		self.complaint(south, datetime(y, 3, 3, 9), self.cat_a, "Not Satisfied", datetime(y, 3, 9, 9))
		make_user(SALES_USER, ["Sales User"])
		make_user(SALES_HEAD, ["Sales Manager"])
		make_user(OUTSIDER, ["Customer Service User"])

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def complaint(self, customer, received, category, satisfaction, closed):
		doc = make_complaint(customer=customer, received_on=received, category=category, item_code=ITEM)
		frappe.db.set_value(
			"Customer Complaint",
			doc.name,
			{"status": "Closed", "satisfaction": satisfaction, "closed_on": closed},
		)

	def test_figures_by_hand(self):
		doc = frappe.get_doc("Service Work Summary", make_summary(TEST_COMPANY, REGION, self.year))
		self.assertEqual((doc.complaints, doc.previous_complaints), (3, 1))
		self.assertEqual(
			[(r.cause, r.complaints, r.share) for r in doc.complaint_categories],
			[(self.cat_a, 2, 66.7), (self.cat_b, 1, 33.3)],
		)
		self.assertEqual((doc.repeat_cases, doc.repeat_complaints), (1, 3))
		self.assertEqual((doc.satisfaction_index, doc.satisfaction_responses), (50.0, 3))
		self.assertEqual((doc.previous_satisfaction, doc.previous_responses), (100.0, 1))
		self.assertEqual((doc.satisfaction_change, doc.satisfaction_trend), (-50.0, rules.DECLINED))
		quarters = {r.period: (r.responses, r.satisfaction_index) for r in doc.satisfaction_quarters}
		self.assertEqual(quarters[f"{self.year}-Q1"], (1, 100.0))
		self.assertEqual(quarters[f"{self.year}-Q2"], (2, 25.0))
		self.assertEqual(quarters[f"{self.year}-Q3"], (0, 0))
		self.assertEqual(quarters[str(self.year)], (3, 50.0))
		self.assertEqual(quarters[str(self.year - 1)], (1, 100.0))
		self.assertEqual(
			{(r.indicator, r.indicator_window) for r in doc.indicators if not r.quality_goal},
			{(i, w) for i in ("CPU", "TGW", "R/1000") for w in ("Short-term", "Long-term")},
		)
		stages = {r.stage for r in doc.sla_rates}
		self.assertTrue(stages, "the SLA Performance counts of the region's complaints")
		# the record keeps what was true when made: a new complaint changes nothing until refreshed
		make_complaint(
			customer="_Test SC North Customer", received_on=datetime(self.year, 8, 1, 9), category=self.cat_b
		)
		doc.reload()
		self.assertEqual(doc.complaints, 3)
		doc.refresh_figures()
		self.assertEqual(frappe.db.get_value("Service Work Summary", doc.name, "complaints"), 4)

	def test_second_summary_for_the_region_and_year_refused(self):
		make_summary(TEST_COMPANY, REGION, self.year)
		before = frappe.db.count("Service Work Summary")
		with self.assertRaises(frappe.ValidationError) as raised:
			make_summary(TEST_COMPANY, REGION, self.year)
		self.assertIn("already exists", str(raised.exception))
		self.assertEqual(frappe.db.count("Service Work Summary"), before)

	def test_running_year_saved_as_draft_not_submitted(self):
		doc = frappe.get_doc("Service Work Summary", make_summary(TEST_COMPANY, REGION, getdate().year))
		doc.update(NARRATIVE)
		doc.save()
		with self.assertRaises(frappe.ValidationError) as raised:
			doc.submit()
		self.assertIn("once the year has ended", str(raised.exception))
		self.assertEqual(frappe.db.get_value("Service Work Summary", doc.name, "docstatus"), 0)

	def test_region_submits_sales_head_approves_and_company_consolidates(self):
		frappe.set_user(SALES_USER)
		doc = frappe.get_doc("Service Work Summary", make_summary(TEST_COMPANY, REGION, self.year))
		with self.assertRaises(frappe.ValidationError):
			doc.submit()  # the narrative is not written yet
		doc.reload()
		doc.update(NARRATIVE)
		doc.submit()
		self.assertEqual(doc.review_status, rules.PENDING_REVIEW)
		with self.assertRaises(frappe.PermissionError):
			doc.review(1)  # a region does not approve its own summary
		frappe.set_user(OUTSIDER)
		with self.assertRaises(frappe.PermissionError):
			make_summary(TEST_COMPANY, OTHER_REGION, self.year)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Service Work Summary", doc.name).check_permission("read")
		frappe.set_user(SALES_HEAD)
		doc = frappe.get_doc("Service Work Summary", doc.name)
		doc.review(1, "Agreed.")
		doc.reload()
		self.assertEqual((doc.review_status, doc.reviewed_by), (rules.APPROVED, SALES_HEAD))

		from service_control.service_control.doctype.company_service_work_summary.company_service_work_summary import (
			make_company_summary,
		)

		company = frappe.get_doc(
			"Company Service Work Summary", make_company_summary(TEST_COMPANY, self.year)
		)
		self.assertEqual([r.summary for r in company.regions], [doc.name])
		self.assertEqual((company.complaints, company.satisfaction_index), (3, 50.0))
		self.assertEqual(
			[(r.cause, r.complaints) for r in company.complaint_categories],
			[(self.cat_a, 2), (self.cat_b, 1)],
		)
		company.submit()
		frappe.set_user(SALES_USER)
		with self.assertRaises(frappe.PermissionError):
			make_company_summary(TEST_COMPANY, self.year - 1)

	def test_summary_prints(self):
		name = make_summary(TEST_COMPANY, REGION, self.year)
		html = frappe.get_print("Service Work Summary", name, print_format="Service Work Summary")
		self.assertIn("服务工作总结", html)
		self.assertIn(REGION, html)
