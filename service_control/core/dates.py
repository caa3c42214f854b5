"""Calendar helpers shared by the core modules."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
	"""``day`` plus whole months, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29)."""
	month_index = day.month - 1 + months
	year, month = day.year + month_index // 12, month_index % 12 + 1
	return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
