# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, make_complaint, make_customer, make_item

test_ignore = TEST_IGNORE

LETTER_HEAD = "_Test SC Letter Head"


class TestComplaintPrintFormats(FrappeTestCase):
	def setUp(self):
		make_customer("_Test SC Print Customer")
		make_item("_Test SC Print Item")
		self.doc = make_complaint(
			customer="_Test SC Print Customer",
			item_code="_Test SC Print Item",
			affected_qty=4,
			description="<p>Housing cracked on arrival</p>",
			remedy_requested="Please <i>replace</i> them",
		)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def print_html(self, print_format: str, doc=None, **kwargs) -> str:
		return frappe.get_print(
			"Customer Complaint", self.doc.name, print_format=print_format, doc=doc or self.doc, **kwargs
		)

	def test_handling_form(self):
		doc = self.doc
		doc.root_cause = "Packing foam too thin"
		doc.responsibility = "Company"
		doc.append("containment_actions", {"action": "Re-pack stock in the warehouse"})
		html = self.print_html("Complaint Handling Form", doc=doc)
		self.assertIn("客户投诉处理单", html)
		self.assertIn("Complaint Handling Form", html)
		for text in (
			doc.name,
			"_Test SC Print Customer",
			"_Test SC Print Item",
			"<p>Housing cracked on arrival</p>",
			"Packing foam too thin",
			"Re-pack stock in the warehouse",
			"签字",
		):
			self.assertIn(text, html)
		# plain-text fields are escaped, not rendered as markup
		self.assertIn("Please &lt;i&gt;replace&lt;/i&gt; them", html)
		self.assertNotIn("<i>replace</i>", html)

	def test_reply_letter_uses_company_letter_head(self):
		if not frappe.db.exists("Letter Head", LETTER_HEAD):
			frappe.get_doc(
				{
					"doctype": "Letter Head",
					"letter_head_name": LETTER_HEAD,
					"source": "HTML",
					"content": "<div>SC LETTERHEAD {{ doc.company }}</div>",
				}
			).insert()
		frappe.db.set_value("Company", TEST_COMPANY, "default_letter_head", LETTER_HEAD)
		doc = self.doc
		doc.root_cause = "Packing foam too thin"
		doc.reply = "<p>We will send four new housings this week.</p>"
		html = self.print_html("Complaint Reply Letter", doc=doc)
		self.assertIn("顾客投诉处理答复书", html)
		self.assertIn(f"SC LETTERHEAD {TEST_COMPANY}", html)
		for text in (doc.name, "_Test SC Print Customer", "Packing foam too thin", "We will send four new"):
			self.assertIn(text, html)

		html = self.print_html("Complaint Reply Letter", doc=doc, no_letterhead=1)
		self.assertNotIn("SC LETTERHEAD", html)


class TestServiceControlWorkspace(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def _page(self) -> dict:
		from frappe.desk.desktop import get_desktop_page

		return get_desktop_page(frappe.as_json({"name": "Service Control", "title": "Service Control"}))

	def test_every_report_of_the_module_is_on_the_workspace(self):
		page = self._page()
		links = {link.link_to for card in page["cards"]["items"] for link in card["links"]}
		reports = frappe.get_all("Report", filters={"module": "Service Control"}, pluck="name")
		self.assertTrue(reports)
		self.assertEqual(set(reports) - links, set())
		self.assertTrue({"Satisfaction Survey Template", "Key Customer Visit"} <= links)
		self.assertEqual(
			{card.number_card_name for card in page["number_cards"]["items"]},
			set(frappe.get_all("Number Card", filters={"module": "Service Control"}, pluck="name")),
		)
		self.assertEqual([c.chart_name for c in page["charts"]["items"]], ["Complaints by Month"])

	def test_customer_service_sees_only_the_reports_it_may_open(self):
		from service_control.tests.utils import make_user

		frappe.set_user(make_user("sc.cs@example.com", ["Customer Service User"]))
		links = {link.link_to for card in self._page()["cards"]["items"] for link in card["links"]}
		self.assertIn("Complaint Register", links)
		self.assertNotIn("Cost of Poor Quality", links)  # finance and quality only
