# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import quopri
from datetime import date

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from service_control.core import survey as rules
from service_control.service_control import survey
from service_control.tests.utils import (
	TEST_COMPANY,
	TEST_IGNORE,
	make_outgoing_email_account,
	make_survey_customer,
	make_survey_plan,
	make_survey_template,
	make_user,
)

test_ignore = TEST_IGNORE

CUSTOMER_A = "_Test SC Survey Customer A"
CUSTOMER_B = "_Test SC Survey Customer B"
CUSTOMER_NO_MAIL = "_Test SC Survey Customer No Mail"
PORTAL_USER = "sc.survey.portal@example.com"
RESPONSE = "Satisfaction Survey Response"
GOOD = {"Product Quality": 5, "Delivery": 4, "Service": 3}  # 100*.4 + 75*.3 + 50*.3 = 77.5


def requests_of(plan: str) -> list[dict]:
	return frappe.get_all(
		"Satisfaction Survey Response",
		filters={"plan": plan},
		fields=["name", "customer", "period", "status", "contact_email", "token_hash", "expires_on"],
		order_by="customer",
	)


def emails_of(names: list[str]) -> int:
	return frappe.db.count(
		"Email Queue",
		{"reference_doctype": "Satisfaction Survey Response", "reference_name": ("in", names or [""])},
	)


def give_link(name: str, expires_on: date | None = None) -> str:
	"""What send_link stores, with the token returned (the e-mail itself is checked elsewhere)."""
	expires_on = expires_on or add_days(getdate(), 30)
	token = rules.sign_token(name, expires_on, survey.get_secret())
	frappe.db.set_value(
		"Satisfaction Survey Response",
		name,
		{"token_hash": rules.token_hash(token), "expires_on": expires_on, "status": "Sent"},
	)
	return token


class TestSatisfactionSurveyResponse(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		make_outgoing_email_account()
		make_survey_template()
		make_survey_customer(CUSTOMER_A, key=1, email="survey.a@example.com")
		make_survey_customer(CUSTOMER_B, email="survey.b@example.com")
		make_survey_customer(CUSTOMER_NO_MAIL)
		self.plan = make_survey_plan([CUSTOMER_A, CUSTOMER_B, CUSTOMER_NO_MAIL])
		self.period = rules.period_of(getdate()).key

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def request(self, customer: str = CUSTOMER_A):
		survey.dispatch()
		name = frappe.db.get_value(
			"Satisfaction Survey Response", {"plan": self.plan.name, "customer": customer}
		)
		return frappe.get_doc("Satisfaction Survey Response", name)

	# ---- dispatch ---------------------------------------------------------------------------

	def test_plan_sends_once_per_period(self):
		first = survey.dispatch()
		rows = requests_of(self.plan.name)
		self.assertEqual([r.customer for r in rows], [CUSTOMER_A, CUSTOMER_B, CUSTOMER_NO_MAIL])
		self.assertEqual({r.period for r in rows}, {self.period})
		self.assertGreaterEqual(first["created"], 3)
		by_customer = {r.customer: r for r in rows}
		# the two customers with an e-mail address got a link; the third waits for a phone call
		self.assertEqual(by_customer[CUSTOMER_A].status, "Sent")
		self.assertEqual(by_customer[CUSTOMER_A].contact_email, "survey.a@example.com")
		self.assertTrue(by_customer[CUSTOMER_A].token_hash)
		self.assertEqual(getdate(by_customer[CUSTOMER_A].expires_on), add_days(getdate(), 30))
		self.assertEqual(by_customer[CUSTOMER_NO_MAIL].status, "Pending")
		names = [r.name for r in rows]
		self.assertEqual(emails_of(names), 2)
		message = frappe.db.get_value(
			"Email Queue",
			{
				"reference_doctype": "Satisfaction Survey Response",
				"reference_name": by_customer[CUSTOMER_A].name,
			},
			"message",
		)
		body = quopri.decodestring(message.encode()).decode("utf-8", "ignore")
		self.assertIn("satisfaction-survey?token=", body)
		self.assertIn("顾客满意度调查表", body)

		second = survey.dispatch()
		self.assertEqual(len(requests_of(self.plan.name)), 3)
		self.assertEqual(emails_of(names), 2)
		self.assertEqual(second["sent"], 0)
		# the DB itself refuses a second request for the same (plan, period, customer)
		self.assertEqual(survey.create_requests(frappe._dict(self.plan.as_dict()), self.period), 0)
		with self.assertRaises(Exception) as ctx:
			frappe.db.sql(
				"""insert into `tabSatisfaction Survey Response` (name, customer, company, template, survey_key)
				values ('SSR-DUPLICATE', %s, %s, %s, %s)""",
				(
					CUSTOMER_A,
					TEST_COMPANY,
					self.plan.template,
					f"{self.plan.name}|{self.period}|{CUSTOMER_A}",
				),
			)
		self.assertTrue(frappe.db.is_unique_key_violation(ctx.exception))

	def test_daily_job_runs_dispatch_and_reminders(self):
		stats = survey.run_daily()
		self.assertEqual(set(stats), {"created", "expired", "sent", "visit_reminders"})
		self.assertEqual(len(requests_of(self.plan.name)), 3)
		self.assertEqual(survey.run_daily()["created"], 0)

	def test_only_the_running_period_is_due_and_disabled_customers_are_skipped(self):
		frappe.db.set_value("Customer", CUSTOMER_B, "disabled", 1)
		survey.dispatch()
		rows = requests_of(self.plan.name)
		self.assertEqual({r.customer for r in rows}, {CUSTOMER_A, CUSTOMER_NO_MAIL})
		# next year's plan sends nothing this year
		later = make_survey_plan([CUSTOMER_A], plan_year=getdate().year + 1)
		survey.dispatch()
		self.assertEqual(requests_of(later.name), [])

	def test_key_customer_plan_selects_flagged_customers(self):
		plan = make_survey_plan(None)
		survey.dispatch()
		customers = {r.customer for r in requests_of(plan.name)}
		self.assertIn(CUSTOMER_A, customers)
		self.assertNotIn(CUSTOMER_B, customers)

	def test_customer_group_plan_selects_the_group_and_its_sub_groups(self):
		from service_control.tests.utils import SURVEY_GROUP

		parent = frappe.db.get_value("Customer Group", SURVEY_GROUP, "parent_customer_group")
		plan = make_survey_plan(None, selection="Customer Group", customer_group=parent)
		outside = make_survey_customer("_Test SC Survey Customer Outside")
		frappe.db.set_value("Customer", outside, "customer_group", parent)
		frappe.db.set_value("Customer", CUSTOMER_B, "disabled", 1)
		survey.dispatch()
		customers = {r.customer for r in requests_of(plan.name)}
		# the parent group takes in the survey group below it; disabled customers are left out
		self.assertTrue({CUSTOMER_A, CUSTOMER_NO_MAIL, outside} <= customers)
		self.assertNotIn(CUSTOMER_B, customers)
		plan = make_survey_plan(None, selection="Customer Group", customer_group=SURVEY_GROUP)
		survey.dispatch()
		self.assertEqual({r.customer for r in requests_of(plan.name)}, {CUSTOMER_A, CUSTOMER_NO_MAIL})

	def test_expired_links_are_marked(self):
		doc = self.request()
		give_link(doc.name, add_days(getdate(), -1))
		self.assertGreaterEqual(survey.expire_requests(), 1)
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "status"), "Expired")

	# ---- answering with the e-mailed link --------------------------------------------------------

	def test_token_response_stored_and_reuse_refused(self):
		doc = self.request()
		token = give_link(doc.name)
		frappe.set_user("Guest")
		result = survey.submit_survey(token=token, scores=GOOD, nps_score="9", comments="Good work")
		frappe.set_user("Administrator")
		self.assertEqual(result["name"], doc.name)
		doc.reload()
		self.assertEqual(doc.status, "Answered")
		self.assertEqual(doc.weighted_score, 77.5)
		self.assertEqual(doc.nps_score, "9")
		self.assertEqual(doc.source, "Online")
		self.assertEqual(doc.responded_by, "Guest")
		self.assertEqual(doc.comments, "Good work")
		self.assertEqual({r.criterion: r.score_percent for r in doc.scores}["Delivery"], 75)

		frappe.set_user("Guest")
		with self.assertRaises(frappe.ValidationError) as ctx:
			survey.submit_survey(token=token, scores={k: 1 for k in GOOD}, nps_score="0")
		self.assertIn("already been answered", str(ctx.exception))
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "weighted_score"), 77.5)

	def test_altered_or_expired_token_refused(self):
		doc = self.request()
		other = self.request(CUSTOMER_B)
		token = give_link(doc.name)
		payload, signature = token.split(".")
		forged_other = rules._b64(f"{other.name}|2099-12-31".encode()) + "." + signature
		old = token
		newer = give_link(doc.name, add_days(getdate(), 31))  # a re-sent link replaces the old one
		frappe.set_user("Guest")
		for bad, message in (
			(forged_other, "not valid"),
			(payload + "." + signature[::-1], "not valid"),
			("nonsense", "not valid"),
			(old, "not valid"),
		):
			with self.subTest(token=bad), self.assertRaises(frappe.ValidationError) as ctx:
				survey.submit_survey(token=bad, scores=GOOD, nps_score="9")
			self.assertIn(message, str(ctx.exception))
		frappe.set_user("Administrator")
		expired = give_link(doc.name, add_days(getdate(), -1))
		frappe.set_user("Guest")
		with self.assertRaises(frappe.ValidationError) as ctx:
			survey.submit_survey(token=expired, scores=GOOD, nps_score="9")
		self.assertIn("expired", str(ctx.exception))
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "status"), "Sent")
		self.assertNotEqual(newer, old)

	def test_links_are_signed_with_a_derived_key_and_earlier_links_still_open(self):
		doc = self.request()
		site_secret = survey.get_site_secret()
		token, expires_on = survey.issue_token(doc.name)  # what send_link e-mails
		self.assertEqual(rules.verify_token(token, survey.get_secret(), getdate())[0], doc.name)
		with self.assertRaises(rules.SurveyTokenError):
			rules.verify_token(token, site_secret, getdate())
		# a link signed with the site secret itself, as before the derived key, and still the
		# request's latest: it opens
		legacy = rules.sign_token(doc.name, expires_on, site_secret)
		frappe.db.set_value(doc.doctype, doc.name, {"token_hash": rules.token_hash(legacy), "status": "Sent"})
		frappe.set_user("Guest")
		self.assertEqual(survey.submit_survey(token=legacy, scores=GOOD, nps_score="8")["name"], doc.name)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "status"), "Answered")

	def test_public_page_renders_for_a_token(self):
		from frappe.website.page_renderers.template_page import TemplatePage

		def get_response(path):
			return TemplatePage(path, 200).render()

		doc = self.request()
		token = give_link(doc.name)
		frappe.set_user("Guest")
		frappe.local.form_dict = frappe._dict(token=token)
		response = get_response("satisfaction-survey")
		html = response.get_data(as_text=True)
		self.assertEqual(response.status_code, 200, html[:3000])
		self.assertIn("顾客满意度调查表", html)
		self.assertIn("Product Quality", html)
		frappe.local.form_dict = frappe._dict(token=token + "x")
		self.assertIn("not valid", get_response("satisfaction-survey").get_data(as_text=True))
		frappe.local.form_dict = frappe._dict()

	# ---- the customer portal --------------------------------------------------------------------

	def test_portal_user_answers_only_their_own_survey(self):
		make_user(PORTAL_USER, ["Customer"], user_type="Website User")
		customer = frappe.get_doc("Customer", CUSTOMER_A)
		customer.append("portal_users", {"user": PORTAL_USER})
		customer.save(ignore_permissions=True)
		own, foreign = self.request(CUSTOMER_A), self.request(CUSTOMER_B)

		frappe.set_user(PORTAL_USER)
		visible = frappe.get_list("Satisfaction Survey Response", pluck="name")
		self.assertIn(own.name, visible)
		self.assertNotIn(foreign.name, visible)
		self.assertEqual([s.name for s in survey.open_surveys_of()], [own.name])
		with self.assertRaises(frappe.PermissionError):
			survey.submit_survey(name=foreign.name, scores=GOOD, nps_score="8")
		survey.submit_survey(name=own.name, scores=GOOD, nps_score="8")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(own.doctype, own.name, "status"), "Answered")
		self.assertEqual(frappe.db.get_value(foreign.doctype, foreign.name, "status"), "Sent")
		self.assertEqual(frappe.db.get_value(own.doctype, own.name, "responded_by"), PORTAL_USER)

	# ---- staff entry and bad input ----------------------------------------------------------------

	def test_staff_records_a_phone_answer(self):
		doc = self.request(CUSTOMER_NO_MAIL)
		doc.run_method("onload")
		self.assertEqual([r.criterion for r in doc.scores], ["Product Quality", "Delivery", "Service"])
		doc.source = "Phone"
		for row in doc.scores:
			row.score = "4"
		doc.save()
		self.assertEqual(doc.status, "Answered")
		self.assertEqual(doc.weighted_score, 75)
		self.assertEqual(doc.survey_date, getdate())

	def test_staff_entry_by_phone_visit_or_paper_but_not_online(self):
		for customer, source in ((CUSTOMER_A, "Visit"), (CUSTOMER_B, "Paper")):
			doc = self.request(customer)
			doc.source = source
			survey.answer(doc, GOOD, "7")
			self.assertEqual((doc.status, doc.source, doc.weighted_score), ("Answered", source, 77.5))
			self.assertEqual(doc.responded_by, "Administrator")
		# staff cannot pass an answer off as the customer's own online answer; nothing is saved
		doc = self.request(CUSTOMER_NO_MAIL)
		self.assertEqual(doc.source, "Online")
		with self.assertRaises(frappe.ValidationError) as ctx:
			survey.answer(doc, GOOD, "7")
		self.assertIn("Phone, Visit or Paper", str(ctx.exception))
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "status"), "Pending")
		other_plan = make_survey_plan([CUSTOMER_NO_MAIL], title="_Test SC Survey Plan 2")
		count = frappe.db.count(RESPONSE)
		with self.assertRaises(frappe.ValidationError) as ctx:
			frappe.get_doc(
				{
					"doctype": RESPONSE,
					"customer": CUSTOMER_NO_MAIL,
					"plan": other_plan.name,
					"period": self.period,
					"company": TEST_COMPANY,
					"template": self.plan.template,
					"source": "Online",
					"scores": [
						{"criterion": c, "weight": w, "score": "4"} for c, _zh, w in survey_criteria()
					],
				}
			).insert()
		self.assertIn("Phone, Visit or Paper", str(ctx.exception))
		self.assertEqual(frappe.db.count(RESPONSE), count)
		# an answered phone response cannot be switched to Online afterwards
		doc = frappe.get_doc(doc.doctype, doc.name)
		doc.source = "Phone"
		survey.answer(doc, GOOD)
		doc.source = "Online"
		with self.assertRaises(frappe.ValidationError):
			doc.save()
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "source"), "Phone")

	def test_emailed_link_answers_the_survey(self):
		"""The link in the queued e-mail is the one stored for the request: a guest answers with it."""
		import re

		survey.dispatch()
		name = frappe.db.get_value(
			"Satisfaction Survey Response", {"plan": self.plan.name, "customer": CUSTOMER_A}
		)
		queue = frappe.get_doc(
			"Email Queue", {"reference_doctype": "Satisfaction Survey Response", "reference_name": name}
		)
		self.assertEqual([r.recipient for r in queue.recipients], ["survey.a@example.com"])
		body = quopri.decodestring(queue.message.encode()).decode("utf-8", "ignore")
		link = re.search(r'href="([^"]*/satisfaction-survey\?token=([^"]+))"', body)
		self.assertTrue(link, body[:2000])
		from urllib.parse import unquote

		token = unquote(link.group(2))
		self.assertEqual(rules.token_hash(token), frappe.db.get_value(RESPONSE, name, "token_hash"))
		frappe.set_user("Guest")
		survey.submit_survey(token=token, scores=GOOD, nps_score="10")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(RESPONSE, name, "status"), "Answered")

	def test_job_and_report_columns_are_indexed(self):
		def indexed(doctype):
			rows = frappe.db.sql(f"show index from `tab{doctype}`", as_dict=True)
			return {(r.Key_name, r.Seq_in_index): r.Column_name for r in rows}, {
				r.Column_name for r in rows if r.Seq_in_index == 1
			}

		_all, first = indexed(RESPONSE)
		for column in ("survey_key", "status", "expires_on", "plan", "period", "company", "customer_group"):
			self.assertIn(column, first)
		self.assertIn("survey_date", first)
		self.assertIn("sent_on", set(_all.values()))  # (status, sent_on) for send_pending
		self.assertIn("criterion", indexed("Satisfaction Survey Score")[1])
		self.assertIn("sc_key_customer", indexed("Customer")[1])
		for column in ("customer", "status", "visit_date"):
			self.assertIn(column, indexed("Key Customer Visit")[1])
		self.assertTrue({"plan_year", "is_active"} <= indexed("Satisfaction Survey Plan")[1])

	def test_print_format_renders_bilingual(self):
		doc = self.request()
		doc.source = "Paper"
		survey.answer(doc, GOOD, "9")
		html = frappe.get_print(doc.doctype, doc.name, "Customer Satisfaction Survey")
		self.assertIn("顾客满意度调查表", html)
		self.assertIn("产品质量", html)
		self.assertIn("Product Quality", html)
		self.assertEqual(html.count("sc-box sc-on"), 4)  # three criteria and the recommendation

	def test_bad_input_refused_and_nothing_saved(self):
		doc = self.request()
		count = frappe.db.count("Satisfaction Survey Response")
		# a second response for the same customer and period
		with self.assertRaises(frappe.ValidationError) as ctx:
			frappe.get_doc(
				{
					"doctype": "Satisfaction Survey Response",
					"customer": CUSTOMER_A,
					"plan": self.plan.name,
					"period": self.period,
					"company": TEST_COMPANY,
					"source": "Paper",
				}
			).insert()
		self.assertIn("already has survey response", str(ctx.exception))
		# a period the plan does not have
		with self.assertRaises(frappe.ValidationError) as ctx:
			frappe.get_doc(
				{
					"doctype": "Satisfaction Survey Response",
					"customer": CUSTOMER_A,
					"plan": self.plan.name,
					"period": f"{getdate().year - 1}-H1",
					"company": TEST_COMPANY,
					"source": "Paper",
				}
			).insert()
		self.assertIn("is not a period of plan", str(ctx.exception))
		# a disabled customer
		disabled = make_survey_customer("_Test SC Survey Disabled", disabled=1)
		with self.assertRaises(frappe.ValidationError) as ctx:
			frappe.get_doc(
				{
					"doctype": "Satisfaction Survey Response",
					"customer": disabled,
					"plan": self.plan.name,
					"period": self.period,
					"company": TEST_COMPANY,
					"source": "Visit",
				}
			).insert()
		self.assertIn("disabled", str(ctx.exception))
		self.assertEqual(frappe.db.count("Satisfaction Survey Response"), count)
		# a score outside the scale, a missing score, an NPS outside 0-10
		token = give_link(doc.name)
		for scores, nps, message in (
			({**GOOD, "Delivery": 6}, "9", "outside the scale 1 to 5"),
			({**GOOD, "Delivery": 0}, "9", "outside the scale 1 to 5"),
			({"Product Quality": 5, "Delivery": 4}, "9", "Give a score for Service"),
			(GOOD, None, "recommend"),
		):
			with self.subTest(scores=scores), self.assertRaises(frappe.ValidationError) as ctx:
				survey.submit_survey(token=token, scores=scores, nps_score=nps)
			self.assertIn(message, str(ctx.exception))
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "status"), "Sent")

	def test_case_response_rates_a_closed_complaint_once(self):
		from service_control.tests.utils import make_complaint

		complaint = make_complaint(customer=CUSTOMER_A)
		case = {
			"doctype": "Satisfaction Survey Response",
			"customer": CUSTOMER_A,
			"company": TEST_COMPANY,
			"template": make_survey_template(),
			"source": "Case",
			"reference_doctype": "Customer Complaint",
			"reference_name": complaint.name,
			"scores": [{"criterion": c, "weight": w, "score": "5"} for c, _zh, w in survey_criteria()],
		}
		with self.assertRaises(frappe.ValidationError) as ctx:
			frappe.get_doc(case).insert()
		self.assertIn("not closed yet", str(ctx.exception))
		frappe.db.set_value("Customer Complaint", complaint.name, "status", "Closed")
		doc = frappe.get_doc(case).insert()
		self.assertEqual((doc.status, doc.weighted_score), ("Answered", 100))
		with self.assertRaises(frappe.ValidationError) as ctx:
			frappe.get_doc(case).insert()
		self.assertIn("already rated", str(ctx.exception))


def survey_criteria():
	from service_control.tests.utils import SURVEY_CRITERIA

	return SURVEY_CRITERIA
