# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

import random
from datetime import timedelta
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, now_datetime

from service_control.core import capa as rules
from service_control.service_control import capa_sweep
from service_control.service_control.capa_sweep import (
	EFFECTIVENESS_DUE,
	OVERDUE,
	REMINDER,
	_log_actions,
	notify_pending,
	run_daily,
)
from service_control.tests.utils import TEST_IGNORE, advance_capa_to, make_corrective_action

test_ignore = TEST_IGNORE


class TestCorrectiveActionLog(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_an_overdue_row_is_logged_once_and_claimed_once(self):
		capa = make_corrective_action(days_ago=20)
		advance_capa_to(capa, "Approved", actions=[{"action": "x", "due_date": add_days(getdate(), -1)}])
		today = getdate()
		self.assertGreaterEqual(_log_actions(OVERDUE, "i.due_date < %(start)s", today, today), 1)
		self.assertEqual(_log_actions(OVERDUE, "i.due_date < %(start)s", today, today), 0)
		log = frappe.get_all(
			"Corrective Action Log",
			filters={"row_name": capa.actions[0].name},
			fields=["name", "status", "event", "corrective_action"],
		)
		self.assertEqual(len(log), 1)
		self.assertEqual(
			(log[0].status, log[0].event, log[0].corrective_action), ("Pending", OVERDUE, capa.name)
		)
		self.assertGreaterEqual(notify_pending(), 1)
		self.assertEqual(frappe.db.get_value("Corrective Action Log", log[0].name, "status"), "Sent")
		self.assertEqual(notify_pending(), 0)

	# ---- the job's SQL against the core's selection --------------------------------------------

	def _run_job(self, today, days: int) -> None:
		"""The daily job as the scheduler runs it, with ``days`` of reminder window and the sending
		left out (the selection is what is compared here)."""
		settings = frappe._dict(capa_reminder_days=days)
		with (
			patch.object(capa_sweep, "get_settings", return_value=settings),
			patch.object(capa_sweep, "notify_pending", return_value=0),
		):
			run_daily(today)

	def _logged(self, capas) -> set[tuple[str, str]]:
		return {
			(row.event, row.row_name)
			for row in frappe.get_all(
				"Corrective Action Log",
				filters={"corrective_action": ("in", capas)},
				fields=["event", "row_name"],
			)
		}

	def _generate(self, rng: random.Random, count: int) -> list[tuple]:
		"""``count`` CAPAs with random statuses, rounds, action rows and checks, written as rows
		(the selection reads rows; the controller's gates are beside the point here); about one in
		five is imported history, which the job must never select. Returns (name, status,
		current_round, history, actions, checks) with the rows as the core sees them."""
		today, now, tag = getdate(), now_datetime(), frappe.generate_hash(length=6)
		action_statuses = (*rules.OPEN_ACTION_STATUSES, rules.ACTION_DONE, rules.ACTION_CANCELLED)

		def some_date(low: int, high: int):
			return None if rng.random() < 0.1 else today + timedelta(days=rng.randint(low, high))

		common = {"docstatus": 0, "creation": now, "modified": now, "owner": "Administrator"}
		capas, parents, items, checks = [], [], [], []
		for n in range(count):
			name = f"_T-CAPA-SEL-{tag}-{n}"
			status, current_round = rng.choice(rules.STATUSES), rng.randint(1, 3)
			history = rng.random() < 0.2
			parents.append(
				{
					**common,
					"name": name,
					"status": status,
					"current_round": current_round,
					"is_history": int(history),
				}
			)
			actions = []
			for i in range(rng.randint(0, 4)):
				row = rules.ActionRow(
					round=rng.randint(1, 3),
					status=rng.choice(action_statuses),
					due_date=some_date(-8, 12),
					key=f"{name}-a{i}",
				)
				actions.append(row)
				items.append(
					{
						**common,
						"name": row.key,
						"parent": name,
						"parenttype": "Corrective Action",
						"parentfield": "actions",
						"idx": i + 1,
						"round": row.round,
						"action_type": rules.CORRECTIVE,
						"action": "generated",
						"status": row.status,
						"due_date": row.due_date,
					}
				)
			check_rows = []
			for i in range(rng.randint(0, 2)):
				check = rules.CheckRow(
					round=rng.randint(1, 3),
					planned_date=some_date(-5, 5),
					result=rng.choice((None, "", rules.EFFECTIVE, rules.NOT_EFFECTIVE)),
					key=f"{name}-c{i}",
				)
				check_rows.append(check)
				checks.append(
					{
						**common,
						"name": check.key,
						"parent": name,
						"parenttype": "Corrective Action",
						"parentfield": "effectiveness_checks",
						"idx": i + 1,
						"round": check.round,
						"planned_date": check.planned_date,
						"result": check.result,
					}
				)
			capas.append((name, status, current_round, history, actions, check_rows))
		for doctype, rows in (
			("Corrective Action", parents),
			("Corrective Action Item", items),
			("Corrective Action Effectiveness", checks),
		):
			if rows:
				fields = list(rows[0])
				frappe.db.bulk_insert(doctype, fields, [tuple(r[f] for f in fields) for r in rows])
		return capas

	def test_daily_job_selects_what_the_core_selects(self):
		"""On generated CAPAs, the rows the job logs for each event are exactly those that
		core.capa.needs_reminder / is_overdue / check_falls_due select (none of imported history)."""
		seed = 20261203  # fixed: the generated dates are relative to today, so every run is the same
		rng = random.Random(seed)
		capas = self._generate(rng, 120)
		names = [c[0] for c in capas]
		selected, excluded = False, False
		for _run in range(6):
			today = getdate() + timedelta(days=rng.randint(-4, 4))
			days = rng.choice((0, 1, 3, 7, 14))
			expected, live_if_not_history = set(), set()
			for _name, status, current_round, history, actions, checks in capas:
				for row in actions:
					if rules.needs_reminder(row, status, today, days, history):
						expected.add((REMINDER, row.key))
					if rules.is_overdue(row, status, today, history):
						expected.add((OVERDUE, row.key))
					if history and rules.is_overdue(row, status, today):
						live_if_not_history.add(row.key)
				for check in checks:
					if rules.check_falls_due(check, status, current_round, today, history):
						expected.add((EFFECTIVENESS_DUE, check.key))
			frappe.db.delete("Corrective Action Log", {"corrective_action": ("in", names)})
			self._run_job(today, days)
			context = f"seed {seed}, today {today}, {days} reminder days"
			selected |= bool(expected)
			excluded |= bool(live_if_not_history)
			self.assertEqual(self._logged(names), expected, context)
			# a second run logs nothing more
			self._run_job(today, days)
			self.assertEqual(self._logged(names), expected, context)
		# the generated rows exercise the selection and its exclusion of history
		self.assertTrue(selected and excluded, f"seed {seed}")

	def test_a_moved_due_date_earns_a_new_reminder_but_no_second_escalation(self):
		capa = make_corrective_action(days_ago=20)
		advance_capa_to(
			capa,
			"Approved",
			actions=[
				{"action": "soon", "due_date": add_days(getdate(), 1)},
				{"action": "late", "due_date": add_days(getdate(), -1)},
			],
		)
		soon, late = capa.actions

		def logged(row, event):
			return frappe.db.count("Corrective Action Log", {"row_name": row.name, "event": event})

		self._run_job(getdate(), 3)
		self.assertEqual((logged(soon, REMINDER), logged(late, OVERDUE)), (1, 1))
		frappe.db.set_value("Corrective Action Item", soon.name, "due_date", add_days(getdate(), 2))
		frappe.db.set_value("Corrective Action Item", late.name, "due_date", add_days(getdate(), -2))
		self._run_job(getdate(), 3)
		self.assertEqual((logged(soon, REMINDER), logged(late, OVERDUE)), (2, 1))
		self._run_job(getdate(), 3)
		self.assertEqual((logged(soon, REMINDER), logged(late, OVERDUE)), (2, 1))
