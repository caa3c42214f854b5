# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from service_control.exceptions import SettingsValidationError
from service_control.tests.utils import OTHER_ABBR, OTHER_COMPANY, TEST_COMPANY, TEST_IGNORE, make_company
from service_control.utils import clear_calendar_cache

test_ignore = TEST_IGNORE


class TestServiceControlSettings(FrappeTestCase):
	def setUp(self):
		make_company()
		self.settings = frappe.get_doc("Service Control Settings")
		self.saved_modified = self.settings.modified

	def tearDown(self):
		frappe.db.rollback()
		frappe.clear_document_cache("Service Control Settings", "Service Control Settings")
		clear_calendar_cache()

	def assert_rejected(self, message_part: str):
		with self.assertRaises(SettingsValidationError) as ctx:
			self.settings.save()
		self.assertIn(message_part, str(ctx.exception))
		self.assertEqual(
			frappe.db.get_value("Service Control Settings", None, "modified"), self.saved_modified
		)

	def test_install_filled_the_procedures_policy(self):
		self.assertEqual(self.settings.retention_years, 3)
		targets = {(r.urgency, r.stage): r.hours for r in self.settings.sla_targets}
		self.assertEqual(targets[("Urgent", "Arrangement")], 24)
		self.assertEqual(targets[("Normal", "Resolution")], 168)
		self.assertTrue(self.settings.working_hours)

	def test_zero_hours_rejected(self):
		self.settings.sla_targets[0].hours = 0
		self.assert_rejected("greater than zero")

	def test_working_hours_ending_before_start_rejected(self):
		row = self.settings.working_hours[0]
		row.from_time, row.to_time = "17:00:00", "09:00:00"
		self.assert_rejected("must end after it starts")

	def test_overlapping_breaks_rejected(self):
		self.settings.append(
			"working_hours", {"weekday": "Monday", "from_time": "11:00:00", "to_time": "14:00:00"}
		)
		self.assert_rejected("overlap")

	def test_thresholds_out_of_order_rejected(self):
		self.settings.append(
			"company_defaults",
			{"company": TEST_COMPANY, "quality_manager_limit": 1000, "supplier_claim_limit": 5000},
		)
		self.assert_rejected("supplier-claim limit")

	def test_account_of_another_company_rejected(self):
		other = make_company(OTHER_COMPANY, OTHER_ABBR)
		account = frappe.db.get_value("Account", {"company": other, "is_group": 0, "root_type": "Expense"})
		self.settings.append(
			"company_defaults",
			{"company": TEST_COMPANY, "quality_manager_limit": 1000, "compensation_expense_account": account},
		)
		self.assert_rejected("belongs to")

	def test_group_warehouse_rejected(self):
		group = frappe.db.get_value("Warehouse", {"company": TEST_COMPANY, "is_group": 1})
		self.settings.append(
			"company_defaults",
			{"company": TEST_COMPANY, "quality_manager_limit": 1000, "pending_warehouse": group},
		)
		self.assert_rejected("is a group")

	def test_disabled_warehouse_rejected(self):
		warehouse = frappe.get_doc(
			{"doctype": "Warehouse", "warehouse_name": "_Test SC Disabled", "company": TEST_COMPANY}
		).insert(ignore_if_duplicate=True)
		frappe.db.set_value("Warehouse", warehouse.name, "disabled", 1)
		self.settings.append(
			"company_defaults",
			{"company": TEST_COMPANY, "quality_manager_limit": 1000, "scrap_warehouse": warehouse.name},
		)
		self.assert_rejected("is disabled")

	def test_valid_company_defaults_saved(self):
		account = frappe.db.get_value(
			"Account", {"company": TEST_COMPANY, "is_group": 0, "root_type": "Expense"}
		)
		self.settings.append(
			"company_defaults",
			{
				"company": TEST_COMPANY,
				"quality_manager_limit": 5000,
				"supplier_claim_limit": 2000,
				"compensation_expense_account": account,
			},
		)
		self.settings.save()
		self.assertEqual(
			frappe.get_single("Service Control Settings").company_defaults[0].company, TEST_COMPANY
		)

	# ---- policy per company ------------------------------------------------------------------

	def _company_rows(self, table: str, company: str) -> int:
		return frappe.db.count(
			{"working_hours": "Service Working Hours", "sla_targets": "Service SLA Target"}.get(
				table, "Service Escalation Level"
			),
			{"parent": "Service Control Settings", "for_company": company},
		)

	def test_overlapping_hours_of_one_company_refused_and_nothing_written(self):
		make_company(OTHER_COMPANY, OTHER_ABBR)
		for start, end in (("08:00:00", "12:00:00"), ("11:00:00", "14:00:00")):
			self.settings.append(
				"working_hours",
				{"for_company": OTHER_COMPANY, "weekday": "Monday", "from_time": start, "to_time": end},
			)
		with self.assertRaises(SettingsValidationError) as ctx:
			self.settings.save()
		message = str(ctx.exception)
		self.assertIn(f"Company {OTHER_COMPANY}", message)
		self.assertIn("Working hours on Monday overlap at 11:00:00", message)
		self.assertEqual(
			frappe.db.get_value("Service Control Settings", None, "modified"), self.saved_modified
		)
		self.assertEqual(self._company_rows("working_hours", OTHER_COMPANY), 0)

	def test_each_companys_rows_are_validated_on_their_own(self):
		make_company(OTHER_COMPANY, OTHER_ABBR)
		default = self.settings.working_hours[0]
		# the default Monday morning again, for a company: no overlap with the default week
		self.settings.append(
			"working_hours",
			{
				"for_company": OTHER_COMPANY,
				"weekday": default.weekday,
				"from_time": default.from_time,
				"to_time": default.to_time,
			},
		)
		# a target and a level the default policy has too, for the company: not set twice
		first = self.settings.sla_targets[0]
		self.settings.append(
			"sla_targets",
			{
				"for_company": OTHER_COMPANY,
				"document_type": first.document_type,
				"urgency": first.urgency,
				"stage": first.stage,
				"hours": 4,
				"basis": "Working Hours",
			},
		)
		self.settings.append(
			"escalation_levels",
			{"for_company": OTHER_COMPANY, "level": 1, "trigger": "Breached", "role": "General Manager"},
		)
		self.settings.save()
		for table in ("working_hours", "sla_targets", "escalation_levels"):
			self.assertEqual(self._company_rows(table, OTHER_COMPANY), 1, table)

		# within the company's rows the rules hold: the same target twice is refused
		self.settings.append("sla_targets", {**self.settings.sla_targets[-1].as_dict(), "name": None})
		self.saved_modified = frappe.db.get_value("Service Control Settings", None, "modified")
		self.assert_rejected(f"Company {OTHER_COMPANY}: SLA target row")
		self.assertEqual(self._company_rows("sla_targets", OTHER_COMPANY), 1)

	def test_escalation_levels_of_a_company_out_of_order_refused(self):
		make_company(OTHER_COMPANY, OTHER_ABBR)
		for level, trigger in ((1, "Breached"), (2, "At Risk")):
			self.settings.append(
				"escalation_levels",
				{"for_company": OTHER_COMPANY, "level": level, "trigger": trigger, "role": "Quality Manager"},
			)
		self.assert_rejected(f"Company {OTHER_COMPANY}: Escalation level 2 would fire before level 1")
		self.assertEqual(self._company_rows("escalation_levels", OTHER_COMPANY), 0)

	def test_row_for_a_company_that_does_not_exist_refused_by_its_link(self):
		self.settings.append(
			"working_hours",
			{
				"for_company": "_Test SC No Such Company",
				"weekday": "Monday",
				"from_time": "08:00",
				"to_time": "12:00",
			},
		)
		with self.assertRaises(frappe.LinkValidationError):
			self.settings.save()
		self.assertEqual(
			frappe.db.get_value("Service Control Settings", None, "modified"), self.saved_modified
		)
		self.assertEqual(self._company_rows("working_hours", "_Test SC No Such Company"), 0)

	def test_working_hours_change_queues_a_recompute_of_the_changed_companies_only(self):
		make_company(OTHER_COMPANY, OTHER_ABBR)
		enqueue_path = (
			"service_control.service_control.doctype.service_control_settings"
			".service_control_settings.frappe.enqueue"
		)
		with patch(enqueue_path) as enqueue:
			# the company gets a week of its own equal to the default one: no calendar moves
			for row in list(self.settings.working_hours):
				self.settings.append(
					"working_hours",
					{
						"for_company": OTHER_COMPANY,
						"weekday": row.weekday,
						"from_time": row.from_time,
						"to_time": row.to_time,
					},
				)
			self.settings.save()
			enqueue.assert_not_called()

			# its own week changes: its clocks only
			own = [r for r in self.settings.working_hours if r.for_company == OTHER_COMPANY]
			own[-1].to_time = "18:00:00"
			self.settings.save()
			enqueue.assert_called_once()
			args, kwargs = enqueue.call_args
			self.assertEqual(args[0], "service_control.service_control.sla.recompute.recompute_open_clocks")
			self.assertEqual(kwargs["queue"], "long")
			self.assertEqual(kwargs["companies"], [OTHER_COMPANY])

			# the default week changes: every company without its own week, not the other one
			enqueue.reset_mock()
			default = [r for r in self.settings.working_hours if not r.for_company]
			default[-1].to_time = "18:00:00"
			self.settings.save()
			enqueue.assert_called_once()
			companies = enqueue.call_args.kwargs.get("companies")
			self.assertIsNotNone(companies)
			self.assertIn(TEST_COMPANY, companies)
			self.assertNotIn(OTHER_COMPANY, companies)
			self.assertNotEqual(enqueue.call_args.kwargs["job_id"], kwargs["job_id"])

	def test_escalation_or_at_risk_change_queues_a_review_of_every_open_case(self):
		enqueue_path = (
			"service_control.service_control.doctype.service_control_settings"
			".service_control_settings.frappe.enqueue"
		)
		with patch(enqueue_path) as enqueue:
			self.settings.escalation_levels[-1].delay_hours = 12
			self.settings.save()
			enqueue.assert_called_once()
			args, kwargs = enqueue.call_args
			self.assertEqual(args[0], "service_control.service_control.sla.recompute.recompute_open_clocks")
			self.assertNotIn("companies", kwargs)  # every company

			enqueue.reset_mock()
			self.settings.at_risk_percent = 80
			self.settings.save()
			enqueue.assert_called_once()

			enqueue.reset_mock()
			self.settings.retention_years = (self.settings.retention_years or 3) + 1
			self.settings.save()  # nothing a case's review reads
			enqueue.assert_not_called()
