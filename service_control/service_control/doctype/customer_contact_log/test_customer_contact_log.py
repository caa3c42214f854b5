# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

from datetime import timedelta
from unittest.mock import patch

import frappe
from frappe.email.receive import InboundMail
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime, now_datetime

from service_control.service_control.intake import convert
from service_control.service_control.sla.sweep import run_sweep
from service_control.tests.repair_factories import mute_emails
from service_control.tests.utils import TEST_COMPANY, TEST_IGNORE, make_customer, make_item, make_user

test_ignore = TEST_IGNORE

MAILBOX = "service-desk@sc-test.example"
CUSTOMER = "_Test SC Desk Customer"
OTHER_CUSTOMER = "_Test SC Desk Other Customer"
BUYER = "buyer@desk-customer.example"
DESK_USER = "sc.desk@example.com"
RESTRICTED = "sc.desk.restricted@example.com"


def make_contact(email: str, customer: str) -> str:
	name = frappe.db.get_value("Contact Email", {"email_id": email, "parenttype": "Contact"}, "parent")
	if name:
		return name
	contact = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": email.split("@")[0],
			"links": [{"link_doctype": "Customer", "link_name": customer}],
		}
	)
	contact.add_email(email, is_primary=True)
	return contact.insert(ignore_permissions=True).name


def make_entry(**kwargs):
	doc = frappe.get_doc(
		{
			"doctype": "Customer Contact Log",
			"company": TEST_COMPANY,
			"contact_type": "Phone",
			"customer": CUSTOMER,
			"subject": "Pump leaks at the flange",
			"content": "The pump delivered last month leaks.",
			**kwargs,
		}
	)
	return doc.insert()


def mailbox():
	if not frappe.db.exists("Email Account", {"email_id": MAILBOX}):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "SC Service Desk",
				"email_id": MAILBOX,
				"enable_incoming": 0,
				"enable_outgoing": 0,
				"append_to": "Customer Contact Log",
			}
		).insert(ignore_permissions=True)
	account = frappe.get_doc("Email Account", {"email_id": MAILBOX})
	# what the pull sees: incoming on POP (no IMAP folders), appending to the register
	account.enable_incoming = 1
	account.use_imap = 0
	account.append_to = "Customer Contact Log"
	return account


def raw_mail(sender, subject, body="Hello", message_id=None, in_reply_to=None, date=None, headers=""):
	message_id = message_id or f"{frappe.generate_hash(length=12)}@desk-customer.example"
	lines = [
		f"From: {sender}",
		f"To: {MAILBOX}",
		f"Subject: {subject}",
		f"Message-ID: <{message_id}>",
		f"Date: {date or 'Thu, 03 Dec 2026 08:00:00 +0000'}",
	]
	if in_reply_to:
		lines.append(f"In-Reply-To: <{in_reply_to}>")
	if headers:
		lines.append(headers)
	lines += ["Content-Type: text/plain; charset=utf-8", "", body]
	return "\r\n".join(lines).encode()


def receive(raw: bytes):
	return InboundMail(raw, mailbox()).process()


class TestCustomerContactLog(FrappeTestCase):
	def setUp(self):
		make_customer(CUSTOMER)
		make_customer(OTHER_CUSTOMER)
		make_user(DESK_USER, ["Customer Service User"])
		mute_emails(self)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	# ---- the register and its first-answer clock -----------------------------------------

	def test_first_answer_clock_runs_from_the_contact_and_is_met_by_the_answer(self):
		received = now_datetime() - timedelta(hours=2)
		entry = make_entry(received_on=received, contact_type="Fax")
		clock = entry.sla_clocks[0]
		self.assertEqual((clock.stage, entry.status), ("First Answer", "Open"))
		# Fax: 48 calendar hours by default
		self.assertEqual(get_datetime(entry.due_by), received + timedelta(hours=48))
		entry.handling = "Answered on the Spot"
		entry.answer = "Told the customer to tighten the flange bolts."
		entry.answered_on = now_datetime()
		entry.save()
		self.assertEqual((entry.status, entry.sla_clocks[0].state, entry.due_by), ("Answered", "Met", None))
		self.assertEqual(entry.answered_by, "Administrator")

	def test_the_entry_prints_as_the_bilingual_register_row(self):
		entry = make_entry(subject="Asked for the <b>manual</b>")
		html = frappe.get_print("Customer Contact Log", entry.name, print_format="Customer Contact Entry")
		self.assertIn("顾客来人来函登记", html)
		self.assertIn("Asked for the &lt;b&gt;manual&lt;/b&gt;", html)

	def test_answered_on_the_spot_without_an_answer_is_refused_and_nothing_is_written(self):
		count = frappe.db.count("Customer Contact Log")
		with self.assertRaisesRegex(frappe.ValidationError, "answered on the spot needs the answer"):
			make_entry(handling="Answered on the Spot")
		self.assertEqual(frappe.db.count("Customer Contact Log"), count)

	def test_sweep_breaches_an_unanswered_contact_and_escalates_it_once(self):
		entry = make_entry(received_on=now_datetime() - timedelta(hours=30))  # Phone: 24 h
		self.assertEqual(entry.sla_state, "Breached")
		run_sweep()
		logs = frappe.get_all(
			"Service Escalation Log",
			filters={"reference_doctype": "Customer Contact Log", "reference_name": entry.name},
			pluck="level",
		)
		self.assertTrue(logs)
		run_sweep()
		self.assertEqual(
			frappe.db.count(
				"Service Escalation Log",
				{"reference_doctype": "Customer Contact Log", "reference_name": entry.name},
			),
			len(logs),
		)

	# ---- e-mail intake --------------------------------------------------------------------

	def test_a_mail_from_a_known_contact_becomes_one_matched_entry(self):
		contact = make_contact(BUYER, CUSTOMER)
		communication = receive(
			raw_mail(
				f"Li Wei <{BUYER}>", "Pump leaks", "It leaks again.", date="Thu, 03 Dec 2026 01:30:00 +0000"
			)
		)
		self.assertEqual(communication.reference_doctype, "Customer Contact Log")
		entry = frappe.get_doc("Customer Contact Log", communication.reference_name)
		self.assertEqual((entry.contact_type, entry.customer, entry.contact), ("E-mail", CUSTOMER, contact))
		self.assertEqual((entry.unmatched, entry.caller_name, entry.sender_email), (0, "Li Wei", BUYER))
		self.assertIn("It leaks again.", entry.content)
		# the clock starts when the mail was sent, not when it was pulled
		self.assertEqual(get_datetime(entry.received_on), get_datetime(communication.communication_date))
		self.assertEqual(entry.sla_clocks[0].stage, "First Answer")

	def test_an_unknown_sender_is_kept_and_flagged(self):
		communication = receive(raw_mail("Stranger <stranger@nowhere.example>", "Price of pumps?"))
		entry = frappe.get_doc("Customer Contact Log", communication.reference_name)
		self.assertEqual((entry.customer, entry.unmatched, entry.caller_name), (None, 1, "Stranger"))
		self.assertEqual(entry.company, frappe.db.get_single_value("Global Defaults", "default_company"))

	def test_follow_ups_and_replies_thread_into_the_same_entry(self):
		make_contact(BUYER, CUSTOMER)
		first_id = f"{frappe.generate_hash(length=12)}@desk-customer.example"
		first = receive(raw_mail(BUYER, "Valve sticks", message_id=first_id))
		name = first.reference_name
		# a reply to the customer's own mail, and a mail whose subject names the same matter
		receive(raw_mail(BUYER, "Re: Valve sticks", "More photos", in_reply_to=first_id))
		receive(raw_mail(BUYER, "RE: Valve sticks", "Any news?"))
		received = frappe.get_all(
			"Communication",
			filters={"reference_doctype": "Customer Contact Log", "reference_name": name},
			pluck="name",
		)
		self.assertEqual(len(received), 3)
		self.assertEqual(frappe.db.count("Customer Contact Log", {"sender_email": BUYER}), 1)
		# the desk answers from the entry: its first answer
		frappe.set_user(DESK_USER)
		frappe.core.doctype.communication.email.make(
			doctype="Customer Contact Log",
			name=name,
			content="We send a technician tomorrow.",
			subject="Re: Valve sticks",
			recipients=BUYER,
			send_email=False,
		)
		entry = frappe.get_doc("Customer Contact Log", name)
		self.assertEqual((entry.status, entry.answered_by), ("Answered", DESK_USER))
		self.assertEqual(entry.sla_clocks[0].state, "Met")

	def test_auto_replies_and_loops_make_no_entry(self):
		count = frappe.db.count("Customer Contact Log")
		receive(raw_mail(BUYER, "Automatic reply: Valve sticks"))
		receive(raw_mail("MAILER-DAEMON@mx.example", "Mail delivery failed"))
		with self.assertRaises(frappe.email.receive.SentEmailInInboxError):
			receive(raw_mail(MAILBOX, "Our own newsletter"))  # Frappe refuses its own mail
		self.assertEqual(frappe.db.count("Customer Contact Log"), count)

	def test_a_malformed_mail_never_stops_the_pull_for_the_others(self):
		account = mailbox()
		# Frappe itself refuses to store a mail whose sender is no address (its Communication's
		# sender field), logs it and goes on with the next mail
		broken = (
			b"From: \xff\xfe broken\r\nSubject: =?x-unknown?B?////?=\r\n"
			b"Content-Type: multipart/mixed\r\n\r\n\x00\x01"
		)
		good = raw_mail(BUYER, "Second pump leaks")
		mails = [InboundMail(broken, account), InboundMail(good, account)]
		# the pull commits each mail and rolls a failed one back: inside a test neither may run
		with (
			patch.object(type(account), "get_inbound_mails", return_value=mails),
			patch.object(frappe.db, "commit"),
			patch.object(frappe.db, "rollback"),
			self.assertRaisesRegex(Exception, "not a valid Email Address"),
		):
			account.receive()
		self.assertTrue(frappe.db.exists("Customer Contact Log", {"subject": "Second pump leaks"}))

	def test_a_garbled_sender_is_kept_as_the_name(self):
		entry = frappe.new_doc("Customer Contact Log")
		entry.update({"subject": "Hello", "sender_email": "not an address", "caller_name": None})
		entry.flags.ignore_mandatory = True  # as Frappe's intake makes it
		entry.insert(ignore_permissions=True)
		self.assertEqual((entry.sender_email, entry.caller_name), (None, "not an address"))
		self.assertEqual((entry.contact_type, entry.unmatched), ("E-mail", 1))

	def test_a_user_may_not_reply_to_an_entry_whose_customer_they_may_not_read(self):
		entry = make_entry(customer=OTHER_CUSTOMER)
		make_user(RESTRICTED, ["Customer Service User"])
		if not frappe.db.exists("User Permission", {"user": RESTRICTED, "allow": "Customer"}):
			frappe.get_doc(
				{"doctype": "User Permission", "user": RESTRICTED, "allow": "Customer", "for_value": CUSTOMER}
			).insert(ignore_permissions=True)
		frappe.set_user(RESTRICTED)
		with self.assertRaises(frappe.PermissionError):
			frappe.core.doctype.communication.email.make(
				doctype="Customer Contact Log",
				name=entry.name,
				content="Hello",
				subject="Re",
				recipients=BUYER,
				send_email=False,
			)
		self.assertFalse(frappe.get_list("Customer Contact Log", filters={"name": entry.name}))
		with self.assertRaises(frappe.PermissionError):
			convert("Customer Contact Log", entry.name, "Customer Complaint")

	# ---- conversion ---------------------------------------------------------------------------

	def test_conversion_carries_the_first_contact_time_files_and_thread_once(self):
		make_contact(BUYER, CUSTOMER)
		communication = receive(raw_mail(BUYER, "Pump leaks badly", "Photos attached"))
		name = communication.reference_name
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "leak.txt",
				"content": b"photo",
				"attached_to_doctype": "Customer Contact Log",
				"attached_to_name": name,
			}
		).insert(ignore_permissions=True)
		received_on = get_datetime(frappe.db.get_value("Customer Contact Log", name, "received_on"))
		frappe.set_user(DESK_USER)
		complaint_name = convert("Customer Contact Log", name, "Customer Complaint")
		complaint = frappe.get_doc("Customer Complaint", complaint_name)
		self.assertEqual(get_datetime(complaint.received_on), received_on)
		self.assertEqual((complaint.channel, complaint.customer), ("E-mail", CUSTOMER))
		self.assertEqual((complaint.intake_doctype, complaint.intake_name), ("Customer Contact Log", name))
		first_reply = next(c for c in complaint.sla_clocks if c.stage == "First Reply")
		self.assertEqual(get_datetime(first_reply.start_on), received_on)
		entry = frappe.get_doc("Customer Contact Log", name)
		self.assertEqual((entry.status, entry.customer_complaint), ("Converted", complaint_name))
		self.assertEqual(entry.sla_clocks[0].state, "Met")
		self.assertTrue(
			frappe.db.exists(
				"File", {"attached_to_doctype": "Customer Complaint", "attached_to_name": complaint_name}
			)
		)
		self.assertTrue(
			frappe.db.exists(
				"Communication Link",
				{
					"parent": communication.name,
					"link_doctype": "Customer Complaint",
					"link_name": complaint_name,
				},
			)
		)
		# a double click returns the same complaint; a repair request from it is refused
		self.assertEqual(convert("Customer Contact Log", name, "Customer Complaint"), complaint_name)
		self.assertEqual(frappe.db.count("Customer Complaint", {"intake_name": name}), 1)
		with self.assertRaisesRegex(frappe.ValidationError, "already converted into"):
			convert("Customer Contact Log", name, "Repair Request")

	def test_an_entry_without_a_customer_is_not_converted(self):
		entry = make_entry(customer=None, caller_name="Walk-in", caller_organisation="Acme")
		with self.assertRaisesRegex(frappe.ValidationError, "Link the entry to a customer"):
			convert("Customer Contact Log", entry.name, "Customer Complaint")
		customer = entry.make_customer()
		entry.reload()
		self.assertEqual((entry.customer, entry.unmatched), (customer, 0))
		self.assertTrue(convert("Customer Contact Log", entry.name, "Customer Complaint"))

	def test_an_issue_and_a_warranty_claim_convert_like_an_entry(self):
		issue = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": "Noise from the gearbox",
				"customer": CUSTOMER,
				"company": TEST_COMPANY,
				"raised_by": BUYER,
				"opening_date": frappe.utils.add_days(frappe.utils.today(), -1),
				"opening_time": "09:15:00",
			}
		).insert(ignore_permissions=True)
		complaint = frappe.get_doc("Customer Complaint", convert("Issue", issue.name, "Customer Complaint"))
		self.assertEqual(
			get_datetime(complaint.received_on),
			get_datetime(f"{frappe.utils.add_days(frappe.utils.today(), -1)} 09:15:00"),
		)
		self.assertEqual(frappe.db.get_value("Issue", issue.name, "sc_customer_complaint"), complaint.name)
		self.assertEqual(convert("Issue", issue.name, "Customer Complaint"), complaint.name)

		item = make_item("_Test SC Desk Unit")
		claim = frappe.get_doc(
			{
				"doctype": "Warranty Claim",
				"customer": CUSTOMER,
				"company": TEST_COMPANY,
				"complaint": "Display flickers",
				"complaint_date": frappe.utils.today(),
				"item_code": item,
				"status": "Open",
			}
		).insert(ignore_permissions=True)
		request = frappe.get_doc("Repair Request", convert("Warranty Claim", claim.name, "Repair Request"))
		self.assertEqual((request.warranty_claim, request.item_code), (claim.name, item))
		self.assertEqual(frappe.db.get_value("Warranty Claim", claim.name, "sc_repair_request"), request.name)
