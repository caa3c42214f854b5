# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""History brought in through Frappe's own Data Import: the registers kept before the app.

Data Import commits each good row and rolls back each bad one, so these tests cannot run in one
rolled-back transaction: every record they import is deleted again in ``tearDown`` (and
committed), so no other test counts it."""

import csv
import io
from datetime import datetime, timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime, getdate, now_datetime

from service_control.core.dates import add_months
from service_control.service_control import capa_sweep
from service_control.service_control.report.complaint_register.complaint_register import (
	execute as complaint_register,
)
from service_control.service_control.report.satisfaction_analysis import satisfaction_analysis
from service_control.service_control.report.sla_performance.sla_performance import (
	execute as sla_performance,
)
from service_control.service_control.sla.sweep import review_due
from service_control.tests.utils import (
	TEST_COMPANY,
	TEST_IGNORE,
	make_customer,
	make_item,
	make_survey_template,
)

test_ignore = TEST_IGNORE

CUSTOMER = "_Test SC History Customer"
ITEM = "_Test SC Item"
#: a month no other test writes to, so the report counts below are exact
MAY = datetime(2020, 5, 4, 9, 0)
#: the child tables and logs of an imported record, deleted with it
CHILDREN = (
	"Service SLA Clock",
	"Service SLA Pause",
	"Corrective Action Item",
	"Corrective Action Effectiveness",
	"Repair Visit",
	"Repair Part",
	"Satisfaction Survey Score",
	"Customer Contact Department",
)


def csv_text(rows: list[dict]) -> str:
	out = io.StringIO()
	writer = csv.DictWriter(out, fieldnames=list(rows[0]))
	writer.writeheader()
	writer.writerows(rows)
	return out.getvalue()


def stamp(value: datetime) -> str:
	return value.strftime("%Y-%m-%d %H:%M:%S")


class TestHistoryImport(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		make_customer(CUSTOMER)
		make_item(ITEM)
		self.imports: list[str] = []
		self.go_live = frappe.db.get_single_value("Service Control Settings", "go_live_on")
		frappe.db.commit()

	def tearDown(self):
		frappe.db.rollback()
		for data_import in self.imports:
			for doctype, name in self._imported(data_import):
				self._delete(doctype, name)
			file_url = frappe.db.get_value("Data Import", data_import, "import_file")
			frappe.db.delete("File", {"file_url": file_url})
			frappe.db.delete("Data Import Log", {"data_import": data_import})
			frappe.db.delete("Data Import", {"name": data_import})
		frappe.db.set_single_value("Service Control Settings", "go_live_on", self.go_live)
		frappe.db.commit()

	# ---- helpers ---------------------------------------------------------------------------

	def run_import(self, doctype: str, rows: list[dict], submit: bool = False):
		"""Import ``rows`` into ``doctype`` as Frappe's desk does: a CSV file attached to a Data
		Import, started at once (``start_import`` runs in the request under tests)."""
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"history-{frappe.generate_hash(length=8)}.csv",
				"content": csv_text(rows),
				"is_private": 1,
			}
		).save(ignore_permissions=True)
		data_import = frappe.get_doc(
			{
				"doctype": "Data Import",
				"reference_doctype": doctype,
				"import_type": "Insert New Records",
				"import_file": file.file_url,
				"submit_after_import": int(submit),
				"mute_emails": 0,  # nothing is muted: the history itself must send nothing
			}
		).insert()
		frappe.db.commit()  # as Frappe's own test does: a failing row rolls back to here
		self.imports.append(data_import.name)
		data_import.start_import()
		logs = frappe.get_all(
			"Data Import Log",
			filters={"data_import": data_import.name},
			fields=["success", "docname", "messages", "row_indexes", "exception"],
			order_by="log_index",
		)
		return data_import.reload(), logs

	def _imported(self, data_import: str) -> list[tuple[str, str]]:
		doctype = frappe.db.get_value("Data Import", data_import, "reference_doctype")
		names = frappe.get_all(
			"Data Import Log", filters={"data_import": data_import, "success": 1}, pluck="docname"
		)
		return [(doctype, name) for name in names]

	def _delete(self, doctype: str, name: str) -> None:
		for child in CHILDREN:
			frappe.db.delete(child, {"parenttype": doctype, "parent": name})
		frappe.db.delete("Version", {"ref_doctype": doctype, "docname": name})
		frappe.db.delete("Comment", {"reference_doctype": doctype, "reference_name": name})
		frappe.db.delete("Service Escalation Log", {"reference_doctype": doctype, "reference_name": name})
		if doctype == "Corrective Action":
			frappe.db.delete("Corrective Action Log", {"corrective_action": name})
		frappe.db.delete(doctype, {"name": name})

	def complaint_rows(self) -> list[dict]:
		base = {
			"Company": TEST_COMPANY,
			"Customer": CUSTOMER,
			"Channel": "Phone",
			"Urgency": "Normal",
			"Severity": "Critical",  # a live critical complaint informs the management representative
			"Description": "Legacy complaint",
			"Imported History": 1,
			"Start Clocks at Go-Live": 0,
			"Status": "Closed",
			"Received On": stamp(MAY),
			"Answer Method": "Phone",
			"Reply": "Replaced the parts",
			"Replied On": stamp(MAY + timedelta(hours=1)),
			"Satisfaction": "Satisfied",
			"Closed On": stamp(MAY + timedelta(hours=2)),
		}
		late = MAY + timedelta(days=30)
		return [
			base,  # 1: answered within the hour, closed the same morning
			{  # 2: answered a month later
				**base,
				"Received On": stamp(MAY + timedelta(days=1)),
				"Replied On": stamp(late),
				"Closed On": stamp(late + timedelta(days=1)),
			},
			{**base, "Closed On": stamp(MAY - timedelta(days=1))},  # 3: closed before received
			{**base, "Reply": "", "Answer Method": ""},  # 4: closed without an answer
			{  # 5: still open at go-live, clocks from go-live
				**base,
				"Status": "Open",
				"Start Clocks at Go-Live": 1,
				"Received On": stamp(now_datetime() - timedelta(days=30)),
				"Answer Method": "",
				"Reply": "",
				"Replied On": "",
				"Satisfaction": "",
				"Closed On": "",
			},
		]

	def assert_nothing_sent(self, doctype: str, names: list[str]) -> None:
		self.assertFalse(
			frappe.get_all(
				"Service Escalation Log",
				filters={"reference_doctype": doctype, "reference_name": ("in", names)},
			)
		)
		self.assertFalse(
			frappe.get_all(
				"Notification Log", filters={"document_type": doctype, "document_name": ("in", names)}
			)
		)
		self.assertFalse(
			frappe.get_all("ToDo", filters={"reference_type": doctype, "reference_name": ("in", names)})
		)
		self.assertFalse(
			frappe.get_all(
				"Email Queue", filters={"reference_doctype": doctype, "reference_name": ("in", names)}
			)
		)

	# ---- tests -----------------------------------------------------------------------------

	def test_complaint_history_imported_with_its_real_dates_and_clocks(self):
		frappe.db.set_single_value(
			"Service Control Settings", "go_live_on", now_datetime() - timedelta(hours=1)
		)
		frappe.db.commit()
		data_import, logs = self.run_import("Customer Complaint", self.complaint_rows())

		self.assertEqual(data_import.status, "Partial Success")
		by_row = {frappe.parse_json(log.row_indexes)[0]: log for log in logs}
		good = {row: by_row[row].docname for row in (2, 3, 6)}  # the sheet's rows 2, 3 and 6
		for row in (2, 3, 6):
			self.assertTrue(by_row[row].success, by_row[row].messages)
		self.assertIn("is before", by_row[4].messages)
		self.assertIn("Record the answer", by_row[5].messages)
		for row in (4, 5):
			self.assertFalse(by_row[row].success)
		self.assertEqual(
			frappe.db.count("Customer Complaint", {"customer": CUSTOMER, "description": "Legacy complaint"}),
			3,
		)

		on_time = frappe.get_doc("Customer Complaint", good[2])
		self.assertEqual((on_time.status, on_time.is_history), ("Closed", 1))
		self.assertEqual(get_datetime(on_time.received_on), MAY)
		self.assertEqual(get_datetime(on_time.closed_on), MAY + timedelta(hours=2))
		self.assertEqual(get_datetime(on_time.first_response_on), MAY + timedelta(hours=1))
		self.assertEqual(getdate(on_time.retain_until), add_months(MAY.date(), 36))
		clocks = {c.stage: c.state for c in on_time.sla_clocks}
		self.assertEqual(clocks["First Reply"], "Met")
		self.assertEqual(clocks["Closure"], "Met")
		self.assertEqual(clocks["Arrangement"], "Stopped")  # never recorded, not yet due at closing
		self.assertIsNone(on_time.sla_next_on)
		self.assertIsNone(on_time.due_by)

		late = frappe.get_doc("Customer Complaint", good[3])
		clocks = {c.stage: c.state for c in late.sla_clocks}
		self.assertEqual(clocks["First Reply"], "Met Late")
		self.assertEqual(clocks["Resolution"], "Met Late")
		self.assertEqual(clocks["Arrangement"], "Breached")  # breached as it was at closing
		self.assertEqual(late.sla_state, "Breached")
		self.assertIsNone(late.sla_next_on)

		# nothing about the past: no escalation, notification, ToDo or e-mail, even after a sweep
		frappe.db.set_single_value("Service Control Settings", "go_live_on", self.go_live or None)
		review_due(now_datetime())
		self.assert_nothing_sent("Customer Complaint", [good[2], good[3]])

		# the reports count the history
		names = {
			r.name
			for r in complaint_register(
				{"company": TEST_COMPANY, "from_date": "2020-05-01", "to_date": "2020-05-31"}
			)[1]
		}
		self.assertTrue({good[2], good[3]} <= names)
		rows = {
			(r["group"], r["stage"]): r
			for r in sla_performance(
				{
					"company": TEST_COMPANY,
					"from_date": "2020-05-01",
					"to_date": "2020-05-31",
					"group_by": "Month",
				}
			)[1]
		}
		first_reply = rows[("2020-05", "First Reply")]
		self.assertEqual((first_reply["met"], first_reply["met_late"]), (1, 1))

	def test_open_case_escalates_only_after_its_go_live_deadline(self):
		go_live = now_datetime().replace(microsecond=0) - timedelta(hours=1)
		frappe.db.set_single_value("Service Control Settings", "go_live_on", go_live)
		frappe.db.commit()
		_data_import, logs = self.run_import("Customer Complaint", self.complaint_rows()[-1:])
		self.assertTrue(logs[0].success, logs[0].messages)
		case = frappe.get_doc("Customer Complaint", logs[0].docname)
		self.assertEqual(case.status, "Open")
		self.assertLess(
			get_datetime(case.received_on), go_live - timedelta(days=29)
		)  # kept for the statistics
		first = next(c for c in case.sla_clocks if c.stage == "First Reply")
		self.assertEqual(get_datetime(first.start_on), go_live)
		self.assertEqual(case.sla_state, "On Track")
		self.assertGreater(get_datetime(case.sla_next_on), now_datetime())
		self.assert_nothing_sent("Customer Complaint", [case.name])

		frappe.db.set_single_value("Service Control Settings", "go_live_on", go_live)  # the sweep runs inline
		review_due(now_datetime())
		self.assertFalse(frappe.db.count("Service Escalation Log", {"reference_name": case.name}))
		review_due(get_datetime(case.due_by) + timedelta(days=10))
		self.assertTrue(frappe.db.count("Service Escalation Log", {"reference_name": case.name}))

	def test_capa_repair_and_compensation_history(self):
		_di, logs = self.run_import("Customer Complaint", self.complaint_rows()[:1])
		complaint = logs[0].docname
		opened = MAY.date()
		capa_base = {
			"Company": TEST_COMPANY,
			"CAPA Date": str(opened),
			"Imported History": 1,
			"Status": "Closed",
			"What Happened": "Cracked housings",
			"Method": "Fishbone",
			"Cause Category": "Machine",
			"Root Cause (D4)": "Worn mould",
			"Closed On": str(opened + timedelta(days=60)),
			"Type (Corrective and Preventive Actions (D5-D7))": "Corrective",
			"Action (Corrective and Preventive Actions (D5-D7))": "Replace the mould",
			"Owner (Corrective and Preventive Actions (D5-D7))": "Administrator",
			"Due Date (Corrective and Preventive Actions (D5-D7))": str(opened + timedelta(days=20)),
			"Status (Corrective and Preventive Actions (D5-D7))": "Done",
			"Completed On (Corrective and Preventive Actions (D5-D7))": str(opened + timedelta(days=15)),
			"Result (Effectiveness Checks)": "Effective",
			"Verified By (Effectiveness Checks)": "Administrator",
			"Verified On (Effectiveness Checks)": str(opened + timedelta(days=55)),
		}
		_di, capa_logs = self.run_import(
			"Corrective Action",
			[
				capa_base,
				{
					**capa_base,
					"Result (Effectiveness Checks)": "",
					"Verified By (Effectiveness Checks)": "",
					"Verified On (Effectiveness Checks)": "",
				},
			],
		)
		self.assertTrue(capa_logs[0].success, capa_logs[0].messages)
		self.assertFalse(capa_logs[1].success)
		self.assertIn("effectiveness result", capa_logs[1].messages)
		capa = frappe.get_doc("Corrective Action", capa_logs[0].docname)
		self.assertEqual((capa.status, getdate(capa.closed_on)), ("Closed", opened + timedelta(days=60)))
		self.assertIsNone(capa.approver)

		repair_base = {
			"Company": TEST_COMPANY,
			"Customer": CUSTOMER,
			"Item": ITEM,
			"Channel": "Phone",
			"Urgency": "Normal",
			"Fault Description": "Does not start",
			"Imported History": 1,
			"Status": "Closed",
			"Reported On": stamp(MAY),
			"Technician": "Administrator",
			"Assigned On": stamp(MAY + timedelta(hours=2)),
			"Resolved On": stamp(MAY + timedelta(days=2)),
			"Last Result": "Fixed",
			"Verified by Customer": 1,
			"Closed On": stamp(MAY + timedelta(days=3)),
		}
		_di, repair_logs = self.run_import(
			"Repair Request", [repair_base, {**repair_base, "Verified by Customer": 0}]
		)
		self.assertTrue(repair_logs[0].success, repair_logs[0].messages)
		self.assertFalse(repair_logs[1].success)
		repair = frappe.get_doc("Repair Request", repair_logs[0].docname)
		self.assertEqual(repair.status, "Closed")
		self.assertEqual(get_datetime(repair.closed_on), MAY + timedelta(days=3))
		self.assertIsNone(repair.sla_next_on)
		self.assertEqual({c.stage: c.state for c in repair.sla_clocks}["First Reply"], "Met")

		currency = frappe.get_cached_value("Company", TEST_COMPANY, "default_currency")
		comp_base = {
			"Customer Complaint": complaint,
			"Company": TEST_COMPANY,
			"Customer": CUSTOMER,
			"Currency": currency,
			"Imported History": 1,
			"Status": "Settled",
			"Posting Date": str(MAY.date() + timedelta(days=5)),
			"Goods": 500,
			"Settlement Method": "Journal Entry",
			"Reason for a Claim Without Return": "Scrapped at the customer",
			"Voucher Reference": "JV-2020-0042",
		}
		_di, comp_logs = self.run_import(
			"Compensation", [comp_base, {**comp_base, "Voucher Reference": ""}], submit=True
		)
		self.assertTrue(comp_logs[0].success, comp_logs[0].messages)
		self.assertFalse(comp_logs[1].success)
		self.assertIn("voucher reference", comp_logs[1].messages)
		comp = frappe.get_doc("Compensation", comp_logs[0].docname)
		self.assertEqual((comp.docstatus, comp.status, comp.journal_entry), (1, "Settled", None))
		self.assertFalse(frappe.db.exists("Journal Entry", {"user_remark": ("like", f"%{comp.name}%")}))

		self.assert_nothing_sent("Corrective Action", [capa.name])
		self.assert_nothing_sent("Repair Request", [repair.name])
		self.assert_nothing_sent("Compensation", [comp.name])

	def test_unknown_customer_is_named_and_nothing_imported(self):
		"""Frappe's Data Import checks every link of the file first: a customer that does not exist
		is a warning naming it, and the file is not imported until it is corrected. Through the REST
		API (an insert) the row fails alone, with Frappe's link error."""
		row = {**self.complaint_rows()[0], "Customer": "_Test SC No Such Customer"}
		data_import, logs = self.run_import("Customer Complaint", [row])
		self.assertFalse(logs)
		self.assertIn("_test sc no such customer", data_import.template_warnings.lower())
		doc = frappe.get_doc(
			{
				"doctype": "Customer Complaint",
				"company": TEST_COMPANY,
				"customer": "_Test SC No Such Customer",
				"description": "Legacy complaint",
				"received_on": MAY,
				"is_history": 1,
			}
		)
		self.assertRaises(frappe.LinkValidationError, doc.insert)

	def test_only_a_system_manager_marks_history(self):
		"""``is_history`` is at permission level 2, written by System Managers only: for anyone else
		Frappe resets it on insert, and the record is an ordinary new complaint."""
		meta = frappe.get_meta("Customer Complaint")
		self.assertEqual(meta.get_field("is_history").permlevel, 2)
		writers = {p.role for p in meta.permissions if p.permlevel == 2 and p.write}
		self.assertEqual(writers, {"System Manager"})

	def test_setup_status_marks_the_onboarding_steps(self):
		from service_control.service_control.setup_status import setup_status

		self.assertTrue(frappe.db.exists("Module Onboarding", "Service Control"))
		status = setup_status()
		self.assertEqual(set(status), {"blocking", "missing"})
		done = frappe.db.get_value("Onboarding Step", "SC Survey Template", "is_complete")
		self.assertEqual(bool(done), bool(frappe.db.count("Satisfaction Survey Template")))
		frappe.db.rollback()

	# ---- the daily CAPA run, repair feedback forms, survey answers and contact entries ----------

	def test_daily_capa_run_leaves_an_open_capa_of_history_alone(self):
		opened = MAY.date()
		action = "(Corrective and Preventive Actions (D5-D7))"
		row = {
			"Company": TEST_COMPANY,
			"CAPA Date": str(opened),
			"Imported History": 1,
			"Status": "Approved",
			"What Happened": "Loose screws",
			"Method": "Fishbone",
			"Cause Category": "Method",
			"Root Cause (D4)": "No torque check",
			f"Type {action}": "Corrective",
			f"Action {action}": "Add a torque check",
			f"Owner {action}": "Administrator",
			f"Due Date {action}": str(opened + timedelta(days=20)),  # long past: overdue
			f"Status {action}": "Open",
		}
		soon = {  # a second action row of the same CAPA, due today: inside the reminder window
			**{key: "" for key in row},
			f"Type {action}": "Preventive",
			f"Action {action}": "Train the line",
			f"Owner {action}": "Administrator",
			f"Due Date {action}": str(getdate()),
			f"Status {action}": "Open",
		}
		_di, logs = self.run_import("Corrective Action", [row, soon])
		self.assertTrue(logs[0].success, logs[0].messages)
		capa = frappe.get_doc("Corrective Action", logs[0].docname)
		self.assertEqual((capa.status, capa.is_history, len(capa.actions)), ("Approved", 1, 2))

		for _run in range(2):  # as the scheduler runs it, sending included, twice
			capa_sweep.run_daily(getdate())
			frappe.db.commit()
		self.assertFalse(frappe.db.count("Corrective Action Log", {"corrective_action": capa.name}))
		self.assertFalse(any(a.escalated_on for a in frappe.get_doc("Corrective Action", capa.name).actions))
		self.assert_nothing_sent("Corrective Action", [capa.name])

	def test_repair_feedback_history_resolves_its_request_at_its_real_time(self):
		go_live = now_datetime().replace(microsecond=0) - timedelta(hours=1)
		frappe.db.set_single_value("Service Control Settings", "go_live_on", go_live)
		frappe.db.commit()
		_di, request_logs = self.run_import(
			"Repair Request",
			[
				{
					"Company": TEST_COMPANY,
					"Customer": CUSTOMER,
					"Item": ITEM,
					"Channel": "Phone",
					"Urgency": "Normal",
					"Fault Description": "Noisy gearbox",
					"Imported History": 1,
					"Start Clocks at Go-Live": 1,
					"Status": "Assigned",
					"Reported On": stamp(MAY),
					"Technician": "Administrator",
					"Assigned On": stamp(MAY + timedelta(hours=2)),
				}
			],
		)
		self.assertTrue(request_logs[0].success, request_logs[0].messages)
		request = request_logs[0].docname
		verified = MAY + timedelta(days=2, hours=7)
		form = {
			"Repair Request": request,
			"Date": str(MAY.date() + timedelta(days=2)),
			"Technician": "Administrator",
			"Imported History": 1,
			"Visit Date (Visits)": str(MAY.date() + timedelta(days=2)),
			"Technician (Visits)": "Administrator",
			"Hours (Visits)": 3,
			"Fault Found": "Worn bearing",
			"Work Done": "Replaced the bearing",
			"Result": "Fixed",
			"Repair Quality": 0.8,
			"Verified By (Customer)": "Wang Fang",
			"Verified On": stamp(verified),
		}
		_di, logs = self.run_import(
			"Repair Feedback",
			[{**form, "Work Done": ""}, form, {**form, "Verified On": stamp(MAY - timedelta(days=1))}],
			submit=True,
		)
		by_row = {frappe.parse_json(log.row_indexes)[0]: log for log in logs}
		self.assertIn("the work done", by_row[2].messages)
		self.assertTrue(by_row[3].success, by_row[3].messages or by_row[3].exception)
		self.assertIn("is before", by_row[4].messages)
		feedback = frappe.get_doc("Repair Feedback", by_row[3].docname)
		self.assertEqual((feedback.docstatus, feedback.is_history), (1, 1))
		self.assertEqual(get_datetime(feedback.verified_on), verified)
		self.assertEqual(getdate(feedback.posting_date), MAY.date() + timedelta(days=2))
		self.assertEqual(
			(feedback.stock_entry, feedback.compensation, feedback.sales_invoice), (None, None, None)
		)

		case = frappe.get_doc("Repair Request", request)
		self.assertEqual(
			(case.status, case.last_result, case.verified, case.visits), ("Resolved", "Fixed", 1, 1)
		)
		self.assertEqual(get_datetime(case.resolved_on), verified)
		self.assertEqual(get_datetime(case.reported_on), MAY)  # kept for the statistics
		self.assertEqual({c.stage: c.state for c in case.sla_clocks}["Resolution"], "Met")
		review_due(now_datetime())
		self.assert_nothing_sent("Repair Request", [request])
		self.assert_nothing_sent("Repair Feedback", [feedback.name])

	def test_survey_answers_of_history_count_in_the_analysis(self):
		template = make_survey_template()
		frappe.db.commit()
		window = {
			"company": TEST_COMPANY,
			"from_date": "2020-05-01",
			"to_date": "2020-05-31",
			"include_cases": 0,
		}

		def answered() -> int:
			responses, _requests = satisfaction_analysis.load(satisfaction_analysis.prepare_filters(window))
			return len(responses)

		before = answered()
		_di, complaint_logs = self.run_import("Customer Complaint", self.complaint_rows()[:1])
		base = {
			"Customer": CUSTOMER,
			"Company": TEST_COMPANY,
			"Survey Template": template,
			"Imported History": 1,
			"Source": "Case",
			"Rates Case Type": "Customer Complaint",
			"Rates Case": complaint_logs[0].docname,
			"Survey Date": "2020-05-10",
			"Responded On": "2020-05-12 10:00:00",
			"Would Recommend (0-10)": "9",
		}
		criteria = [("Product Quality", 40, "5"), ("Delivery", 30, "4"), ("Service", 30, "4")]
		rows = []
		for variant in (
			{},
			{"Responded On": "2020-05-08 10:00:00"},  # before the survey date
			{"Survey Date": "2020-05-11", "Would Recommend (0-10)": "", "blank": True},  # no answer
		):
			blank = variant.pop("blank", False)
			for i, (criterion, weight, score) in enumerate(criteria):
				head = {**base, **variant} if i == 0 else {key: "" for key in base}
				rows.append(
					{
						**head,
						"Criterion (Scores)": criterion,
						"Weight (%) (Scores)": weight,
						"Score (Scores)": "" if blank else score,
					}
				)
		_di, logs = self.run_import("Satisfaction Survey Response", rows)
		self.assertTrue(logs[0].success, logs[0].messages)
		self.assertIn("is before", logs[1].messages)
		self.assertIn("carries its answers", logs[2].messages)
		response = frappe.get_doc("Satisfaction Survey Response", logs[0].docname)
		self.assertEqual((response.status, response.is_history), ("Answered", 1))
		self.assertEqual(getdate(response.survey_date), getdate("2020-05-10"))
		self.assertEqual(get_datetime(response.responded_on), datetime(2020, 5, 12, 10, 0))
		self.assertIsNone(response.sent_on)
		self.assertGreater(response.weighted_score, 0)
		self.assertEqual(answered(), before + 1)  # the work summary reads the same load
		self.assert_nothing_sent("Satisfaction Survey Response", [response.name])
		self.assertFalse(frappe.db.count("Email Queue", {"reference_name": response.name}))

	def test_contact_register_history_keeps_its_first_answer_clock(self):
		base = {
			"Company": TEST_COMPANY,
			"Contact Type": "Phone",
			"Imported History": 1,
			"Customer": CUSTOMER,
			"Subject": "Legacy call",
			"Classification": "Inquiry",
			"Handling": "Answered on the Spot",
			"Received On": stamp(MAY),
			"Answered On": stamp(MAY + timedelta(hours=1)),
			"Answer": "Sent the manual",
		}
		_di, logs = self.run_import(
			"Customer Contact Log",
			[
				base,
				{**base, "Answered On": stamp(MAY + timedelta(days=3))},  # answered late
				{**base, "Handling": "Referred to Departments", "Answered On": "", "Answer": ""},
				{**base, "Answered On": stamp(MAY - timedelta(hours=1))},
			],
		)
		by_row = {frappe.parse_json(log.row_indexes)[0]: log for log in logs}
		for row in (2, 3):
			self.assertTrue(by_row[row].success, by_row[row].messages)
		self.assertIn("comes answered", by_row[4].messages)
		self.assertIn("before the contact was received", by_row[5].messages)
		on_time = frappe.get_doc("Customer Contact Log", by_row[2].docname)
		late = frappe.get_doc("Customer Contact Log", by_row[3].docname)
		for entry, state in ((on_time, "Met"), (late, "Met Late")):
			self.assertEqual((entry.status, entry.is_history), ("Answered", 1))
			self.assertEqual(get_datetime(entry.received_on), MAY)
			self.assertEqual({c.stage: c.state for c in entry.sla_clocks}["First Answer"], state)
			self.assertIsNone(entry.sla_next_on)
		self.assertEqual(get_datetime(late.answered_on), MAY + timedelta(days=3))
		review_due(now_datetime())
		self.assert_nothing_sent("Customer Contact Log", [on_time.name, late.name])
