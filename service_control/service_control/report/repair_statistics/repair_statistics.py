# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""售后服务部维修统计表: repairs per month by item, fault type or technician, with the first-time-fix
rate, the mean time to repair in working hours and the satisfaction rate from the customers'
verifications. The arithmetic is service_control.core.repair's."""

import frappe
from frappe import _
from frappe.utils import get_datetime

from service_control.core import repair as rules
from service_control.service_control.report_filters import where_dates
from service_control.utils import get_settings, get_working_calendar

GROUP_FIELDS = {
	"Item": "item_code",
	"Fault Type": "fault",
	"Technician": "technician",
}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	records = load_records(filters)
	clock = get_working_calendar(filters.get("company"))
	group_by = filters.get("group_by") or "Item"
	field = GROUP_FIELDS.get(group_by, "item_code")
	periodicity = filters.get("periodicity") or rules.MONTHLY
	threshold = rules.satisfied_threshold(get_settings().get("repair_satisfied_rating"))
	stats = rules.group_stats(
		records,
		lambda r: (rules.period_key(r.reported_on, periodicity), getattr(r, field) or ""),
		clock,
		threshold,
	)
	data = [
		{
			"period": period,
			"group": group,
			"repairs": s.repairs,
			"resolved": s.resolved,
			"first_time_fix_rate": _percent(s.first_time_fix_rate),
			"mttr_hours": round(s.mttr.total_seconds() / 3600, 2) if s.mttr is not None else None,
			"verified": s.verified,
			"satisfaction_rate": _percent(s.satisfaction_rate),
		}
		for (period, group), s in stats.items()
	]
	total = rules.summarise(records, clock, threshold)
	return get_columns(group_by), data, None, get_chart(data), get_summary(total)


def _percent(value: float | None) -> float | None:
	return round(value * 100, 1) if value is not None else None


def get_columns(group_by: str) -> list[dict]:
	return [
		{"label": _("Period"), "fieldname": "period", "fieldtype": "Data", "width": 90},
		{"label": _(group_by), "fieldname": "group", "fieldtype": "Data", "width": 180},
		{"label": _("Repairs"), "fieldname": "repairs", "fieldtype": "Int", "width": 80},
		{"label": _("Resolved"), "fieldname": "resolved", "fieldtype": "Int", "width": 80},
		{
			"label": _("First-Time Fix %"),
			"fieldname": "first_time_fix_rate",
			"fieldtype": "Percent",
			"width": 120,
		},
		{"label": _("MTTR (Working Hours)"), "fieldname": "mttr_hours", "fieldtype": "Float", "width": 140},
		{"label": _("Verified"), "fieldname": "verified", "fieldtype": "Int", "width": 80},
		{
			"label": _("Satisfaction %"),
			"fieldname": "satisfaction_rate",
			"fieldtype": "Percent",
			"width": 110,
		},
	]


def load_records(filters) -> list[rules.RepairRecord]:
	"""One RepairRecord per repair request (cancelled ones left out), with the visits of its
	submitted feedback forms and the ratings of the last verified one: three queries."""
	request = frappe.qb.DocType("Repair Request")
	query = (
		frappe.qb.from_(request)
		.select(
			request.name,
			request.item_code,
			request.fault_type,
			request.technician,
			request.reported_on,
			request.resolved_on,
			request.last_result,
			request.remedy,
			request.chargeable,
		)
		.where(request.status != "Cancelled")
		.orderby(request.reported_on)
	)
	for field in ("company", "item_code", "technician"):
		if filters.get(field):
			query = query.where(request[field] == filters[field])
	query = where_dates(query, request.reported_on, filters)
	rows = query.run(as_dict=True)
	names = [r.name for r in rows]
	visits, ratings = {}, {}
	if names:
		for name, count in frappe.db.sql(
			"""select f.repair_request, count(v.name) from `tabRepair Feedback` f
			join `tabRepair Visit` v on v.parent = f.name and v.parenttype = 'Repair Feedback'
			where f.docstatus = 1 and f.repair_request in %(names)s group by f.repair_request""",
			{"names": names},
		):
			visits[name] = count
		for row in frappe.db.sql(
			"""select repair_request, quality_rating, attitude_rating from `tabRepair Feedback`
			where docstatus = 1 and repair_request in %(names)s and verified_on is not null
			order by creation""",
			{"names": names},
			as_dict=True,
		):
			ratings[row.repair_request] = (row.quality_rating, row.attitude_rating)
	return [
		rules.RepairRecord(
			name=r.name,
			item_code=r.item_code,
			reported_on=get_datetime(r.reported_on),
			resolved_on=get_datetime(r.resolved_on) if r.resolved_on else None,
			technician=r.technician,
			fault=r.fault_type,
			visits=visits.get(r.name, 0),
			result=r.last_result or None,
			remedy=r.remedy or rules.REPAIR,
			chargeable=bool(r.chargeable),
			quality_rating=(ratings.get(r.name) or (None, None))[0],
			attitude_rating=(ratings.get(r.name) or (None, None))[1],
		)
		for r in rows
	]


def get_chart(data: list[dict]) -> dict | None:
	by_period: dict[str, int] = {}
	for row in data:
		by_period[row["period"]] = by_period.get(row["period"], 0) + row["repairs"]
	if not by_period:
		return None
	return {
		"data": {
			"labels": list(by_period),
			"datasets": [{"name": _("Repairs"), "values": list(by_period.values())}],
		},
		"type": "bar",
	}


def get_summary(total: rules.RepairStats) -> list[dict]:
	return [
		{"label": _("Repairs"), "value": total.repairs, "datatype": "Int"},
		{"label": _("First-Time Fix %"), "value": _percent(total.first_time_fix_rate), "datatype": "Percent"},
		{
			"label": _("MTTR (Working Hours)"),
			"value": round(total.mttr.total_seconds() / 3600, 2) if total.mttr else None,
			"datatype": "Float",
		},
		{"label": _("Satisfaction %"), "value": _percent(total.satisfaction_rate), "datatype": "Percent"},
	]
