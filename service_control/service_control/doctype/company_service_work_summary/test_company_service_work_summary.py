import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE


class TestCompanyServiceWorkSummary(FrappeTestCase):
	"""Covered with the regional summaries in test_service_work_summary (consolidation, approval)."""

	def test_year_refused(self):
		doc = frappe.new_doc("Company Service Work Summary")
		doc.update({"company": frappe.db.get_value("Company", {}, "name"), "year": 1999})
		self.assertRaises(frappe.ValidationError, doc.insert)
