"""Compensations made before currencies were told apart were in the company currency: their
amount in the company currency is their total, at the exchange rate 1."""

import frappe


def execute():
	compensation = frappe.qb.DocType("Compensation")
	(
		frappe.qb.update(compensation)
		.set(compensation.exchange_rate, 1)
		.set(compensation.base_total_amount, compensation.total_amount)
		.where((compensation.exchange_rate.isnull()) | (compensation.exchange_rate == 0))
	).run()
