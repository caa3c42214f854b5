"""Run one action from several site connections at once, as concurrent requests would.

Each call gets its own thread, site connection and transaction; all are released together and
each success is committed, so what one commits the others meet under their row locks. The test
commits its own setup first (the other connections cannot see uncommitted rows) and cleans up
what it committed."""

import threading
from collections.abc import Callable

import frappe


def run_concurrently(action: Callable[[], object], users: list[str], timeout: float = 120) -> list:
	"""Call ``action()`` once as each user, at the same time; returns, in order, what each call
	returned or the exception it raised."""
	site, sites_path = frappe.local.site, frappe.local.sites_path
	barrier = threading.Barrier(len(users))
	results: list = [None] * len(users)

	def worker(index: int, user: str) -> None:
		frappe.init(site, sites_path=sites_path)
		frappe.connect()
		frappe.flags.in_test = True
		frappe.flags.mute_emails = True
		try:
			frappe.set_user(user)
			barrier.wait(timeout=30)
			results[index] = action()
			frappe.db.commit()
		except Exception as e:
			frappe.db.rollback()
			results[index] = e
		finally:
			frappe.destroy()

	threads = [threading.Thread(target=worker, args=(i, user)) for i, user in enumerate(users)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout)
	return results


def errors(results: list) -> list[Exception]:
	return [r for r in results if isinstance(r, Exception)]


def restore_settings_rows_after(test_case) -> None:
	"""Call first in ``setUp``, before anything is written: a test that commits would leave the
	company rows it added to Service Control Settings to later tests; this removes them when the
	test ends (after the test's own cleanups). Masters such as users, items and customers stay;
	the test cancels its vouchers itself."""
	committed_rows = frappe.get_all(
		"Service Company Defaults", filters={"parent": "Service Control Settings"}, pluck="name"
	)

	def restore() -> None:
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.db.delete(
			"Service Company Defaults",
			{"parent": "Service Control Settings", "name": ("not in", committed_rows or [""])},
		)
		frappe.db.commit()
		frappe.clear_document_cache("Service Control Settings", "Service Control Settings")

	test_case.addCleanup(restore)
