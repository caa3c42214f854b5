# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import random
from datetime import timedelta
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, now_datetime

from service_control.core import feedback as rules
from service_control.core import survey as survey_rules
from service_control.exceptions import InvalidTransitionError, ServiceControlValidationError
from service_control.service_control import feedback_sweep
from service_control.service_control.doctype.feedback_handling_form.feedback_handling_form import (
	make_corrective_action,
	make_feedback_form,
)
from service_control.service_control.feedback_sweep import OVERDUE, REMINDER, RESULT, run_daily
from service_control.tests.utils import (
	SURVEY_CRITERIA,
	TEST_ABBR,
	TEST_COMPANY,
	TEST_IGNORE,
	make_complaint,
	make_customer,
	make_outgoing_email_account,
	make_survey_customer,
	make_survey_plan,
	make_survey_template,
	make_user,
)

test_ignore = TEST_IGNORE

FORM = "Feedback Handling Form"
LOG = "Feedback Rectification Log"
QM = "sc.fhf.qm@example.com"
CS = "sc.fhf.cs@example.com"
GM = "sc.fhf.gm@example.com"
SALES = "sc.fhf.sales@example.com"
ROW_OWNER = "sc.fhf.owner@example.com"
OUTSIDER = "sc.fhf.outsider@example.com"
NO_ROLE = "sc.fhf.norole@example.com"
CUSTOMER_EMAIL = "sc.fhf.customer@example.com"
SURVEY_CUSTOMER = "_Test SC Feedback Survey Customer"


def make_department(name: str = "_Test SC Quality") -> str:
	full = f"{name} - {TEST_ABBR}"
	if not frappe.db.exists("Department", full):
		frappe.get_doc(
			{
				"doctype": "Department",
				"department_name": name,
				"company": TEST_COMPANY,
				"parent_department": frappe.db.get_value("Department", {"is_group": 1}, "name"),
			}
		).insert(ignore_permissions=True)
	return full


def make_employee_user(email: str) -> str:
	"""A desk user linked to an Employee: ERPNext keeps the Employee role only on such users."""
	make_user(email, [])
	if not frappe.db.exists("Employee", {"user_id": email}):
		if not frappe.db.exists("Gender", "Male"):
			frappe.get_doc({"doctype": "Gender", "gender": "Male"}).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": email.split("@")[0],
				"company": TEST_COMPANY,
				"gender": "Male",
				"date_of_birth": "1990-01-01",
				"date_of_joining": "2020-01-01",
				"user_id": email,
			}
		).insert(ignore_permissions=True)
	return email


def make_form(**kwargs):
	doc = frappe.get_doc(
		{
			"doctype": FORM,
			"company": TEST_COMPANY,
			"customer": make_customer(),
			"feedback": "<p>Labels peel off after a week</p>",
			**kwargs,
		}
	)
	doc.insert()
	return doc


def rectifying(doc, rows: list[dict]):
	"""Take ``doc`` through Investigating to Rectifying with ``rows``."""
	doc.investigated_by = QM
	doc.status = rules.INVESTIGATING
	doc.save()
	doc.investigation = "<p>Wrong glue batch</p>"
	for row in rows:
		doc.append(
			"rectifications",
			{"department": make_department(), "action": "Change the glue", "action_owner": ROW_OWNER, **row},
		)
	doc.status = rules.RECTIFYING
	doc.save()
	return doc


def mails_to(form: str, address: str) -> int:
	queue, recipient = frappe.qb.DocType("Email Queue"), frappe.qb.DocType("Email Queue Recipient")
	return (
		frappe.qb.from_(queue)
		.join(recipient)
		.on(recipient.parent == queue.name)
		.select(queue.name)
		.where(
			(queue.reference_doctype == FORM)
			& (queue.reference_name == form)
			& (recipient.recipient == address)
		)
		.run()
		.__len__()
	)


class TestFeedbackHandlingForm(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		make_outgoing_email_account()
		make_user(QM, ["Quality Manager"])
		make_user(CS, ["Customer Service User"])
		make_user(GM, ["General Manager"])
		make_user(SALES, ["Customer Service User"])
		make_employee_user(ROW_OWNER)
		make_employee_user(OUTSIDER)
		make_user(NO_ROLE, [])

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	# ---- made from a source ------------------------------------------------------------------

	def test_make_from_a_complaint_once(self):
		complaint = make_complaint(description="<p>Pump housing cracked</p>")
		frappe.set_user(CS)
		form = make_feedback_form("Customer Complaint", complaint.name)
		self.assertEqual(
			(form.source_doctype, form.source_name, form.company, form.customer, form.status),
			("Customer Complaint", complaint.name, TEST_COMPANY, complaint.customer, rules.OPEN),
		)
		self.assertIn("Pump housing cracked", form.feedback)
		self.assertEqual(form.title, complaint.title)
		# a second call, from anyone, leads to the same open form
		again = make_feedback_form("Customer Complaint", complaint.name)
		self.assertEqual(again.name, form.name)
		self.assertEqual(
			frappe.db.count(FORM, {"source_doctype": "Customer Complaint", "source_name": complaint.name}), 1
		)
		# and a second form saved by hand for the same source is refused
		frappe.set_user("Administrator")
		with self.assertRaises(frappe.ValidationError):
			make_form(source_doctype="Customer Complaint", source_name=complaint.name)

	def test_a_closed_form_does_not_block_a_new_one(self):
		complaint = make_complaint()
		form = make_feedback_form("Customer Complaint", complaint.name)
		form.status, form.cancel_reason = rules.CANCELLED, "registered twice"
		form.save()
		self.assertNotEqual(make_feedback_form("Customer Complaint", complaint.name).name, form.name)

	def test_make_from_a_survey_response(self):
		make_survey_template()
		make_survey_customer(SURVEY_CUSTOMER, email="sc.fhf.survey@example.com")
		plan = make_survey_plan([SURVEY_CUSTOMER])
		response = frappe.get_doc(
			{
				"doctype": "Satisfaction Survey Response",
				"customer": SURVEY_CUSTOMER,
				"plan": plan.name,
				"period": survey_rules.period_of(getdate()).key,
				"source": "Phone",
				"comments": "Delivery is always <late>",
				"nps_score": "3",
				"scores": [
					{"criterion": en, "label_zh": zh, "weight": weight, "score": score}
					for (en, zh, weight), score in zip(SURVEY_CRITERIA, ("5", "2", "1"), strict=True)
				],
			}
		).insert()
		form = make_feedback_form("Satisfaction Survey Response", response.name)
		self.assertEqual((form.customer, form.company), (SURVEY_CUSTOMER, TEST_COMPANY))
		# the comment (escaped), the criteria below the target (80 %) lowest first, the NPS
		self.assertIn("Delivery is always &lt;late&gt;", form.feedback)
		self.assertIn("Service: 0%", form.feedback)
		self.assertIn("Delivery: 25%", form.feedback)
		self.assertNotIn("Product Quality", form.feedback)
		self.assertLess(form.feedback.index("Service: 0%"), form.feedback.index("Delivery: 25%"))
		self.assertIn("3", form.feedback)
		self.assertEqual(make_feedback_form("Satisfaction Survey Response", response.name).name, form.name)

	def test_make_from_a_contact_log(self):
		if not frappe.db.exists("DocType", "Customer Contact Log"):
			self.skipTest(
				"Customer Contact Log is not installed on this site yet (built by another engineer)"
			)
		log = frappe.get_doc(
			{
				"doctype": "Customer Contact Log",
				"company": TEST_COMPANY,
				"contact_type": "Phone",
				"received_on": now_datetime(),
				"received_by": SALES,
				"customer": make_customer(),
				"caller_name": "Mr Wang",
				"caller_phone": "138 0000 0000",
				"sender_email": CUSTOMER_EMAIL,
				"subject": "Labels peel off",
				"classification": "Product Feedback",
				"content": "<p>The labels peel off in the cold store</p>",
				"answer_requested": 1,
			}
		).insert()
		form = make_feedback_form("Customer Contact Log", log.name)
		self.assertEqual(
			(form.subject, form.contact_email, form.answer_requested, form.receiving_user),
			("Labels peel off", CUSTOMER_EMAIL, 1, SALES),
		)
		self.assertIn("Mr Wang", form.feedback)
		self.assertIn("The labels peel off in the cold store", form.feedback)

	def test_make_needs_read_permission_on_the_source_and_a_known_source(self):
		complaint = make_complaint()
		frappe.set_user(NO_ROLE)
		with self.assertRaises(frappe.PermissionError):
			make_feedback_form("Customer Complaint", complaint.name)
		frappe.set_user("Administrator")
		with self.assertRaises(ServiceControlValidationError):
			make_feedback_form("Sales Invoice", "SINV-X")

	# ---- the flow and closing ----------------------------------------------------------------

	def test_rectifying_needs_rows_and_an_investigation(self):
		form = make_form(investigated_by=QM)
		form.status = rules.INVESTIGATING
		form.save()
		form.status = rules.RECTIFYING
		with self.assertRaises(InvalidTransitionError):
			form.save()

	def test_closing_with_open_rows_is_refused_and_writes_nothing(self):
		form = rectifying(
			make_form(receiving_user=SALES),
			[{"due_date": add_days(getdate(), 5)}, {"due_date": add_days(getdate(), 5)}],
		)
		form.reload()
		form.rectifications[0].status = "Done"
		form.rectifications[0].result = "Glue changed"
		form.result = "<p>Fixed</p>"
		form.status = rules.CLOSED
		with self.assertRaises(InvalidTransitionError) as error:
			form.save()
		self.assertIn("rows 2 must be Done", str(error.exception))
		self.assertEqual(frappe.db.get_value(FORM, form.name, "status"), rules.RECTIFYING)
		self.assertFalse(frappe.db.get_value(FORM, form.name, "closed_on"))
		self.assertEqual(
			frappe.db.get_value("Feedback Rectification", form.rectifications[0].name, "status"), "Open"
		)
		self.assertEqual(frappe.db.count(LOG, {"feedback_form": form.name}), 0)
		self.assertEqual(mails_to(form.name, SALES), 0)

	def test_closing_with_done_and_waived_rows_reports_the_result_once(self):
		form = rectifying(
			make_form(receiving_user=SALES, answer_requested=1, contact_email=CUSTOMER_EMAIL),
			[{"due_date": add_days(getdate(), 5)}, {"due_date": add_days(getdate(), 5)}],
		)
		form.reload()
		done, waived = form.rectifications
		done.status, done.result = "Done", "Glue changed on line 2"
		waived.status = "Waived"
		form.result = "<p>Labels now hold at -20 °C</p>"
		form.status = rules.CLOSED
		with self.assertRaises(InvalidTransitionError):  # waived without a reason
			form.save()
		form.reload()
		done, waived = form.rectifications
		done.status, done.result = "Done", "Glue changed on line 2"
		waived.status, waived.waive_reason = "Waived", "Only one batch was affected"
		form.result = "<p>Labels now hold at -20 °C</p>"
		form.status = rules.CLOSED
		frappe.set_user(QM)
		form.save()
		self.assertEqual((getdate(form.closed_on), form.closed_by), (getdate(), QM))
		self.assertEqual(getdate(form.rectifications[0].done_on), getdate())  # stamped
		self.assertEqual((mails_to(form.name, SALES), mails_to(form.name, CUSTOMER_EMAIL)), (1, 1))
		log = frappe.get_all(
			LOG, filters={"feedback_form": form.name}, fields=["event", "status", "recipients"]
		)
		self.assertEqual([(r.event, r.status) for r in log], [(RESULT, "Sent")])
		self.assertEqual(set(log[0].recipients.split("\n")), {SALES, CUSTOMER_EMAIL})

		# a re-save, a System Manager's correction and the daily run send nothing more
		frappe.set_user("Administrator")
		form.reload()
		form.save()
		form.result = "<p>Labels now hold at -25 °C</p>"
		form.change_reason = "Figure corrected by the lab"
		form.save()
		run_daily()
		self.assertEqual((mails_to(form.name, SALES), mails_to(form.name, CUSTOMER_EMAIL)), (1, 1))

	def test_without_an_answer_requested_the_customer_gets_no_mail(self):
		form = make_form(receiving_user=SALES, contact_email=CUSTOMER_EMAIL, investigated_by=QM)
		form.status = rules.INVESTIGATING
		form.save()
		form.investigation, form.result, form.status = "<p>No fault</p>", "<p>Explained</p>", rules.CLOSED
		form.save()  # nothing to rectify: closes from Investigating
		self.assertEqual((mails_to(form.name, SALES), mails_to(form.name, CUSTOMER_EMAIL)), (1, 0))

	def test_a_closed_form_is_read_only(self):
		form = make_form(investigated_by=QM)
		form.status = rules.INVESTIGATING
		form.save()
		form.investigation, form.result, form.status = "<p>No fault</p>", "<p>Explained</p>", rules.CLOSED
		form.save()
		frappe.set_user(QM)
		form.reload()
		form.result = "<p>Changed</p>"
		with self.assertRaises(ServiceControlValidationError):
			form.save()
		form.reload()
		form.status = rules.INVESTIGATING
		with self.assertRaises(ServiceControlValidationError):
			form.save()
		frappe.set_user("Administrator")  # a System Manager, with a reason
		form.reload()
		form.result = "<p>Changed</p>"
		with self.assertRaises(ServiceControlValidationError):
			form.save()
		form.reload()
		form.result, form.change_reason = "<p>Changed</p>", "Typo"
		form.save()
		self.assertEqual(frappe.db.get_value(FORM, form.name, "result"), "<p>Changed</p>")

	# ---- the daily job -----------------------------------------------------------------------

	def test_reminder_and_escalation_are_sent_once_over_two_runs(self):
		today = getdate()
		form = rectifying(
			make_form(),
			[
				{"due_date": add_days(today, 1)},  # reminder
				{"due_date": add_days(today, -1)},  # overdue
				{"due_date": add_days(today, 30)},  # neither
			],
		)
		form.reload()
		soon, late, later = form.rectifications

		def logged(row, event):
			return frappe.db.count(LOG, {"row_name": row.name, "event": event, "status": "Sent"})

		def todos(user):
			return frappe.db.count(
				"ToDo",
				{"allocated_to": user, "reference_type": FORM, "reference_name": form.name, "status": "Open"},
			)

		def alerts(user, text):
			return frappe.db.count(
				"Notification Log",
				{"for_user": user, "document_name": form.name, "subject": ("like", f"%{text}%")},
			)

		for _run in range(2):
			run_daily(today)
			self.assertEqual((logged(soon, REMINDER), logged(late, OVERDUE)), (1, 1))
			self.assertEqual(
				(logged(late, REMINDER), logged(soon, OVERDUE), logged(later, REMINDER)), (0, 0, 0)
			)
			self.assertEqual(alerts(ROW_OWNER, "due on"), 1)
			self.assertEqual(alerts(QM, "overdue since"), 1)
			self.assertEqual(todos(QM), 1)
		self.assertEqual(
			getdate(frappe.db.get_value("Feedback Rectification", late.name, "escalated_on")), today
		)
		# a moved due date earns a new reminder; an escalation stays single
		frappe.db.set_value("Feedback Rectification", soon.name, "due_date", add_days(today, 2))
		frappe.db.set_value("Feedback Rectification", late.name, "due_date", add_days(today, -2))
		run_daily(today)
		self.assertEqual(frappe.db.count(LOG, {"row_name": soon.name, "event": REMINDER}), 2)
		self.assertEqual(frappe.db.count(LOG, {"row_name": late.name, "event": OVERDUE}), 1)

	def test_daily_job_is_registered_on_the_long_queue(self):
		self.assertIn(
			"service_control.service_control.feedback_sweep.run_daily",
			frappe.get_hooks("scheduler_events")["daily_long"],
		)

	def _generate(self, rng: random.Random, count: int) -> list[tuple]:
		"""``count`` forms with random statuses and rows, written as rows (the selection reads
		rows; the controller's gates are beside the point here). Returns (name, status, rows)."""
		today, now, tag = getdate(), now_datetime(), frappe.generate_hash(length=6)
		common = {"docstatus": 0, "creation": now, "modified": now, "owner": "Administrator"}
		forms, parents, children = [], [], []
		for n in range(count):
			name = f"_T-FHF-SEL-{tag}-{n}"
			# half the forms in Rectifying, the status the selection looks at
			status = rules.RECTIFYING if rng.random() < 0.5 else rng.choice(rules.STATUSES)
			parents.append(
				{**common, "name": name, "status": status, "company": TEST_COMPANY, "feedback": "x"}
			)
			rows = []
			for i in range(rng.randint(0, 4)):
				due = None if rng.random() < 0.1 else today + timedelta(days=rng.randint(-8, 12))
				row = rules.RectificationRow(
					status=rng.choice(rules.ROW_STATUSES), due_date=due, key=f"{name}-{i}"
				)
				rows.append(row)
				children.append(
					{
						**common,
						"name": row.key,
						"parent": name,
						"parenttype": FORM,
						"parentfield": "rectifications",
						"idx": i + 1,
						"action": "generated",
						"status": row.status,
						"due_date": row.due_date,
					}
				)
			forms.append((name, status, rows))
		for doctype, rows in ((FORM, parents), ("Feedback Rectification", children)):
			fields = list(rows[0])
			frappe.db.bulk_insert(doctype, fields, [tuple(r[f] for f in fields) for r in rows])
		return forms

	def test_daily_job_selects_what_the_core_selects(self):
		"""On generated forms, the rows the job logs for each event are exactly those that
		core.feedback.needs_reminder / is_overdue select, and a second run logs nothing more."""
		seed = random.randrange(1 << 30)
		rng = random.Random(seed)
		forms = self._generate(rng, 120)
		names = [f[0] for f in forms]

		def logged() -> set[tuple[str, str]]:
			return {
				(r.event, r.row_name)
				for r in frappe.get_all(
					LOG, filters={"feedback_form": ("in", names)}, fields=["event", "row_name"]
				)
			}

		for _run in range(6):
			today = getdate() + timedelta(days=rng.randint(-4, 4))
			days = rng.choice((0, 1, 2, 5, 10))
			expected = set()
			for _name, status, rows in forms:
				for row in rows:
					if rules.needs_reminder(row, status, today, days):
						expected.add((REMINDER, row.key))
					if rules.is_overdue(row, status, today):
						expected.add((OVERDUE, row.key))
			frappe.db.delete(LOG, {"feedback_form": ("in", names)})
			context = f"seed {seed}, today {today}, {days} reminder days"
			with patch.object(feedback_sweep, "notify_pending", return_value=0):
				run_daily(today, days)
				self.assertTrue(expected, context)  # the generated rows exercise the selection
				self.assertEqual(logged(), expected, context)
				run_daily(today, days)
				self.assertEqual(logged(), expected, context)

	# ---- permissions -------------------------------------------------------------------------

	def test_row_owners_read_their_forms_and_nobody_else_does(self):
		from frappe.client import get as rest_get
		from frappe.desk.form.load import getdoc

		mine = rectifying(make_form(), [{"due_date": add_days(getdate(), 3)}])
		other = make_form()
		frappe.set_user(ROW_OWNER)
		self.assertTrue(frappe.has_permission(FORM, "read", doc=mine.name))
		self.assertFalse(frappe.has_permission(FORM, "write", doc=mine.name))
		getdoc(FORM, mine.name)
		self.assertEqual(rest_get(FORM, mine.name)["name"], mine.name)
		visible = frappe.get_list(FORM, pluck="name")
		self.assertIn(mine.name, visible)
		self.assertNotIn(other.name, visible)
		with self.assertRaises(frappe.PermissionError):
			rest_get(FORM, other.name)

		for user in (OUTSIDER, NO_ROLE):
			frappe.set_user(user)
			self.assertFalse(frappe.has_permission(FORM, "read", doc=mine.name), user)
			with self.assertRaises(frappe.PermissionError):
				getdoc(FORM, mine.name)
			with self.assertRaises(frappe.PermissionError):
				rest_get(FORM, mine.name)
			visible = frappe.get_list(FORM, pluck="name") if user == OUTSIDER else []
			self.assertNotIn(mine.name, visible)
		frappe.set_user(NO_ROLE)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_list(FORM)

		frappe.set_user(GM)  # reads every form, changes none
		self.assertTrue(frappe.has_permission(FORM, "read", doc=other.name))
		self.assertFalse(frappe.has_permission(FORM, "write", doc=other.name))
		frappe.set_user(CS)
		self.assertIn(other.name, frappe.get_list(FORM, pluck="name"))
		self.assertTrue(frappe.has_permission(FORM, "create"))

	def test_the_list_shows_what_the_form_opens(self):
		"""The SQL condition and has_permission are one rule (service_control.permissions): for each
		way of taking part the list and the form agree."""
		by_row = rectifying(make_form(), [{"due_date": add_days(getdate(), 3)}])
		by_investigator = make_form(investigated_by=OUTSIDER)
		by_receiver = make_form(receiving_user=OUTSIDER)
		nobody = make_form()
		names = [d.name for d in (by_row, by_investigator, by_receiver, nobody)]
		expected = {
			ROW_OWNER: {by_row.name},
			OUTSIDER: {by_investigator.name, by_receiver.name},
			GM: set(names),
		}
		for user, sees in expected.items():
			frappe.set_user(user)
			listed = set(frappe.get_list(FORM, filters={"name": ("in", names)}, pluck="name"))
			opened = {n for n in names if frappe.has_permission(FORM, "read", doc=n)}
			self.assertEqual(listed, sees, user)
			self.assertEqual(opened, sees, user)

	# ---- CAPA and print ----------------------------------------------------------------------

	def test_capa_is_raised_once_and_linked(self):
		form = make_form(investigated_by=QM)
		frappe.set_user(QM)
		capa = make_corrective_action(form.name)
		self.assertEqual((capa.source_type, capa.source_name, capa.company), (FORM, form.name, TEST_COMPANY))
		self.assertIn("Labels peel off", capa.problem_what)
		self.assertEqual(capa.capa_owner, QM)
		self.assertEqual(frappe.db.get_value(FORM, form.name, "corrective_action"), capa.name)
		self.assertEqual(make_corrective_action(form.name).name, capa.name)
		self.assertEqual(
			frappe.db.count("Corrective Action", {"source_type": FORM, "source_name": form.name}), 1
		)

	def test_print_format(self):
		form = rectifying(make_form(subject="Labels <b>peel</b>"), [{"due_date": add_days(getdate(), 3)}])
		html = frappe.get_print(FORM, form.name, print_format="Feedback Handling Form")
		for text in (
			"信息反馈处理单",
			"Feedback Handling Form",
			form.name,
			"Wrong glue batch",
			"Change the glue",
		):
			self.assertIn(text, html)
		self.assertIn("Labels &lt;b&gt;peel&lt;/b&gt;", html)
