"""Complaints and repair requests store what the service indicators read of them: the unit's
delivery date, territory and customer group, and a repair request's fault found. The report reads
these instead of a delivery note, a customer and the feedback forms per case. One statement per
doctype fills the existing ones."""

from service_control.service_control.service_indicators import fill_case_facts


def execute():
	fill_case_facts()
