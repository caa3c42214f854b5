"""Site benchmarks of the front desk, printed as figures.

1. **Mail intake**: ``--mails`` inbound mails (default 10,000) go through Frappe's own intake
   (``frappe.email.receive.InboundMail.process``, what an Email Account's pull runs for each
   mail), appended to the Customer Contact Log and, the same mails with other Message-IDs, to a
   plain doctype with only a subject and a sender (``SC Bench Plain Mail``, a custom doctype this
   script makes), in alternating blocks of 50 so that the machine's other load weighs on both.
   The difference per mail is what the app adds: its first-answer clock, the sender's match to a
   Contact, the entry's content and received time from the first mail. A tenth of the senders are known contacts of a customer; every mail opens a new
   entry (a follow-up would only add a Communication). Each mail is committed, as the pull does.
2. **Register report**: the site is filled up to ``--entries`` contact register entries (default
   500,000, named ``SCB-CCL-…``, spread over two years) and Customer Contact Register runs for
   one month as the desk runs it (``frappe.desk.query_report.run``), three times.

Run it on a throwaway site of a bench with ERPNext and service_control installed, from the
bench's ``sites`` folder::

    ../env/bin/python ../apps/service_control/benchmarks/bench_front_desk.py --site bench.localhost

``--delete`` removes what the script made (entries, mails, the plain doctype) and stops.
"""

import argparse
import random
import sys
import time as timer
from datetime import timedelta
from pathlib import Path

import frappe
from frappe.email.receive import InboundMail
from frappe.utils import add_months, get_first_day, get_last_day, now_datetime

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_site_sla import doc_row

SEED = 20261203
MAILBOX = "bench-desk@sc-bench.example"
ACCOUNT = "SC Bench Desk"
PLAIN = "SC Bench Plain Mail"
PREFIX = "SCB-CCL-"
CONTACT_TYPES = ("Phone", "E-mail", "Visit", "Letter", "Fax", "Showroom")
CLASSIFICATIONS = ("Inquiry", "Product Feedback", "Complaint", "Repair Request", "Praise", "Other")
KNOWN_SENDERS = 200


def plain_doctype() -> None:
	"""A doctype with only what Frappe's intake fills: the side of the comparison without the app."""
	if frappe.db.exists("DocType", PLAIN):
		return
	frappe.get_doc(
		{
			"doctype": "DocType",
			"name": PLAIN,
			"module": "Service Control",
			"custom": 1,
			"autoname": "hash",
			"email_append_to": 1,
			"subject_field": "subject",
			"sender_field": "sender",
			"sender_name_field": "sender_name",
			"fields": [
				{"fieldname": "subject", "fieldtype": "Data", "label": "Subject"},
				# indexed like the register's sender: Frappe's intake looks a thread up by sender and
				# subject, and without it that lookup scans the table and outweighs everything else
				{
					"fieldname": "sender",
					"fieldtype": "Data",
					"label": "Sender",
					"options": "Email",
					"search_index": 1,
				},
				{"fieldname": "sender_name", "fieldtype": "Data", "label": "Sender Name"},
			],
			"permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1}],
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()


def account(append_to: str):
	if not frappe.db.exists("Email Account", ACCOUNT):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": ACCOUNT,
				"email_id": MAILBOX,
				"enable_incoming": 0,
				"enable_outgoing": 0,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
	doc = frappe.get_doc("Email Account", ACCOUNT)
	doc.enable_incoming, doc.use_imap, doc.append_to = 1, 0, append_to
	return doc


def known_senders(company: str) -> list[str]:
	"""Senders that are contacts of a customer, made once."""
	customer = frappe.db.get_value("Customer", {"disabled": 0}, "name")
	senders = [f"buyer{i}@bench-customer.example" for i in range(KNOWN_SENDERS)]
	for sender in senders:
		if frappe.db.exists("Contact Email", {"email_id": sender}):
			continue
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": sender,
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		)
		contact.add_email(sender, is_primary=True)
		contact.insert(ignore_permissions=True)
	frappe.db.commit()
	return senders


def raw_mail(sender: str, subject: str, body: str, run: str, i: int) -> bytes:
	return "\r\n".join(
		[
			f"From: Bench Sender <{sender}>",
			f"To: {MAILBOX}",
			f"Subject: {subject}",
			f"Message-ID: <{run}-{i}@bench-customer.example>",
			"Date: Thu, 03 Dec 2026 08:00:00 +0000",
			"Content-Type: text/plain; charset=utf-8",
			"",
			body,
		]
	).encode()


def mails(count: int, senders: list[str], run: str) -> list[bytes]:
	rng = random.Random(SEED)
	out = []
	for i in range(count):
		sender = rng.choice(senders) if rng.random() < 0.1 else f"user{i}@bench-unknown{i % 97}.example"
		# a distinct subject per mail: Frappe's subject match must not thread them together
		subject = f"Bench matter {run} {i}: {rng.choice(CLASSIFICATIONS)}"
		out.append(raw_mail(sender, subject, "Our pump leaks at the flange. " * rng.randint(1, 20), run, i))
	return out


def intake(email_account, raws: list[bytes]) -> float:
	"""Seconds through Frappe's intake for ``raws``, each mail committed."""
	began = timer.perf_counter()
	for raw in raws:
		InboundMail(raw, email_account).process()
		frappe.db.commit()
	return timer.perf_counter() - began


def bench_intake(count: int, block: int = 50) -> None:
	"""Both sides in alternating blocks of ``block`` mails, so that whatever else the machine
	does weighs on both alike."""
	plain_doctype()
	company = frappe.db.get_single_value("Global Defaults", "default_company")
	senders = known_senders(company)
	run = frappe.generate_hash(length=6)
	sides = {
		PLAIN: mails(count, senders, run + "p"),
		"Customer Contact Log": mails(count, senders, run + "a"),
	}
	totals = dict.fromkeys(sides, 0.0)
	# a short warm-up of both sides (caches, prepared metadata)
	for doctype in sides:
		intake(account(doctype), mails(50, senders, run + "w" + doctype[:3]))
	for start in range(0, count, block):
		for doctype, raws in sides.items():
			totals[doctype] += intake(account(doctype), raws[start : start + block])
	plain, app = totals[PLAIN] / count, totals["Customer Contact Log"] / count
	print(f"mail intake, {count:,} mails each, in alternating blocks of {block}, committed one by one:")
	print(f"  plain doctype         {plain * 1000:7.2f} ms per mail")
	print(f"  Customer Contact Log  {app * 1000:7.2f} ms per mail")
	print(f"  the app adds          {(app - plain) * 1000:7.2f} ms per mail (target <= 5 ms)")


def fill_register(total: int) -> None:
	"""Entries up to ``total``, received over the last two years, most answered."""
	have = frappe.db.count("Customer Contact Log", {"name": ("like", f"{PREFIX}%")})
	missing = total - have
	if missing <= 0:
		return
	rng = random.Random(SEED + have)
	company = frappe.db.get_single_value("Global Defaults", "default_company")
	now = now_datetime()
	columns = (
		"name", "creation", "modified", "owner", "modified_by", "docstatus", "naming_series", "title",
		"company", "contact_type", "received_on", "received_by", "status", "sla_state", "caller_name",
		"caller_phone", "subject", "classification", "handling", "answered_on", "answered_by", "unmatched",
		"answer_requested",
	)  # fmt: skip
	sql = (
		f"insert into `tabCustomer Contact Log` ({', '.join(f'`{c}`' for c in columns)}) "
		f"values ({', '.join(['%s'] * len(columns))})"
	)
	batch = []
	began = timer.perf_counter()
	for i in range(have, total):
		received = now - timedelta(minutes=rng.uniform(0, 2 * 365 * 24 * 60))
		answered = received + timedelta(hours=rng.uniform(0.1, 40)) if rng.random() < 0.95 else None
		if answered and answered > now:
			answered = None
		batch.append(
			(
				*doc_row(f"{PREFIX}{i:07d}", received),
				"CCL-.YYYY.-",
				f"Caller {i}: bench matter",
				company,
				rng.choice(CONTACT_TYPES),
				received,
				"Administrator",
				"Answered" if answered else "Open",
				("Met" if rng.random() < 0.9 else "Met Late") if answered else "Breached",
				f"Caller {i}",
				f"+86 10 {i:08d}",
				f"Bench matter {i}",
				rng.choice(CLASSIFICATIONS),
				"Answered on the Spot" if answered else "Referred to Departments",
				answered,
				"Administrator" if answered else None,
				0,
				0,
			)
		)
		if len(batch) == 5_000:
			frappe.db.sql_list("select 1")  # keep the connection warm
			frappe.db._cursor.executemany(sql, batch)
			frappe.db.commit()
			batch = []
	if batch:
		frappe.db._cursor.executemany(sql, batch)
		frappe.db.commit()
	print(f"inserted {missing:,} entries in {timer.perf_counter() - began:.0f} s")


def bench_register(total: int) -> None:
	from frappe.desk.query_report import run

	fill_register(total)
	month = add_months(now_datetime().date(), -1)
	filters = {
		"company": frappe.db.get_single_value("Global Defaults", "default_company"),
		"from_date": str(get_first_day(month)),
		"to_date": str(get_last_day(month)),
	}
	times = []
	for _ in range(3):
		began = timer.perf_counter()
		result = run("Customer Contact Register", filters=filters)
		times.append(timer.perf_counter() - began)
	print(f"Customer Contact Register, one month of {total:,} entries ({len(result['result']):,} rows):")
	print(f"  best {min(times):.2f} s, worst {max(times):.2f} s (target <= 1 s)")


def delete() -> None:
	frappe.db.sql("delete from `tabCustomer Contact Log` where name like %s", f"{PREFIX}%")
	frappe.db.sql("delete from `tabCommunication` where email_account = %s", ACCOUNT)
	frappe.db.sql(
		"delete from `tabCustomer Contact Log` where sender_email like %s or sender_email like %s",
		("%@bench-unknown%", "%@bench-customer.example"),
	)
	frappe.db.sql(
		"""delete from `tabService SLA Clock` where parenttype = 'Customer Contact Log'
		and parent not in (select name from `tabCustomer Contact Log`)"""
	)
	if frappe.db.exists("DocType", PLAIN):
		frappe.delete_doc("DocType", PLAIN, force=True, ignore_permissions=True)
	frappe.db.commit()


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--mails", type=int, default=10_000)
	parser.add_argument("--entries", type=int, default=500_000)
	parser.add_argument("--only", choices=("intake", "register"))
	parser.add_argument("--delete", action="store_true")
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.mute_emails = True
	try:
		if args.delete:
			delete()
			return
		if args.only != "register":
			bench_intake(args.mails)
		if args.only != "intake":
			bench_register(args.entries)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
