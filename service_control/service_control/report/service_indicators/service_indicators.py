# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Service indicators by months in service (MIS): CPU, TGW and R/1000, short- and long-term,
per item group, item, territory, customer group or delivery month; or a cohort view, one row per
delivery month and one column per month in service. Definitions in docs/indicators.md; the
counting is in service_control.service_control.service_indicators (SQL) and
service_control.core.service_indicators (rules)."""

import frappe
from frappe import _
from frappe.utils import cint

from service_control.core import service_indicators as core
from service_control.service_control import service_indicators as counting

GROUPS = "Groups"
COHORTS = "Cohorts"
_FIELDNAMES = {
	core.ITEM: ("item_code", "Link", "Item"),
	core.ITEM_GROUP: ("item_group", "Link", "Item Group"),
	core.TERRITORY: ("territory", "Link", "Territory"),
	core.CUSTOMER_GROUP: ("customer_group", "Link", "Customer Group"),
	core.DELIVERY_MONTH: ("delivery_month", "Data", None),
}
_RATES = ((core.TGW, "tgw", "Float"), (core.R1000, "r_per_1000", "Float"), (core.CPU, "cpu", "Currency"))


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	indicator = filters.get("indicator") or core.R1000
	if indicator not in core.INDICATORS:
		frappe.throw(_("Unknown indicator {0}: use CPU, TGW or R/1000.").format(indicator))
	if filters.get("view") == COHORTS:
		return cohort_view(filters, indicator)
	return group_view(filters, indicator)


def group_by_of(filters) -> list[str]:
	out = [filters.get("group_by") or core.ITEM_GROUP]
	if filters.get("then_by") and filters.then_by not in out:
		out.append(filters.then_by)
	return out


def group_view(filters, indicator: str):
	windows = counting.get_windows()
	months = list(dict.fromkeys([windows.short_term, windows.long_term]))
	group_by = group_by_of(filters)
	groups = core.sort_groups(counting.figures(filters, group_by, months))
	data = []
	for g in groups:
		row = {_FIELDNAMES[name][0]: value for name, value in zip(group_by, g.group, strict=True)}
		for label, m in (("short", windows.short_term), ("long", windows.long_term)):
			w = g.windows.get(m) or core.WindowFigures()
			row[f"units_{label}"] = w.units
			for _name, key, _type in _RATES:
				row[f"{key}_{label}"] = getattr(w, key)
		data.append(row)
	total = core.total(groups, months)
	summary = []
	for label, m in ((_("Short-term"), windows.short_term), (_("Long-term"), windows.long_term)):
		w = total.window(m)
		summary.append({"label": _("Units ({0} MIS)").format(m), "value": w.units, "datatype": "Float"})
		for name, key, datatype in _RATES:
			summary.append(
				{
					"label": _("{0} {1} ({2} MIS)").format(label, name, m),
					"value": getattr(w, key),
					"datatype": datatype,
				}
			)
	message = _(
		"Units delivered at least {0} / {1} months before {2}; events within that many months of delivery."
	).format(
		windows.short_term,
		windows.long_term,
		frappe.format(filters.get("as_of") or frappe.utils.today(), "Date"),
	)
	return group_columns(group_by, windows), data, message, group_chart(data, group_by, indicator), summary


def group_columns(group_by: list[str], windows: core.IndicatorWindows) -> list[dict]:
	columns = []
	for name in group_by:
		fieldname, fieldtype, options = _FIELDNAMES[name]
		columns.append(
			{
				"label": _(name),
				"fieldname": fieldname,
				"fieldtype": fieldtype,
				"options": options,
				"width": 160,
			}
		)
	for label, m in (("short", windows.short_term), ("long", windows.long_term)):
		columns.append(
			{
				"label": _("Units ({0} MIS)").format(m),
				"fieldname": f"units_{label}",
				"fieldtype": "Float",
				"width": 120,
			}
		)
		for name, key, fieldtype in _RATES:
			columns.append(
				{
					"label": _("{0} ({1} MIS)").format(name, m),
					"fieldname": f"{key}_{label}",
					"fieldtype": fieldtype,
					"width": 110,
				}
			)
	return columns


def group_chart(data: list[dict], group_by: list[str], indicator: str) -> dict | None:
	key = dict((name, k) for name, k, _t in _RATES)[indicator]
	rows = [r for r in data if r.get(f"{key}_short") is not None or r.get(f"{key}_long") is not None][:20]
	if not rows:
		return None
	fields = [_FIELDNAMES[name][0] for name in group_by]
	return {
		"data": {
			"labels": [" / ".join(str(r.get(f) or _("Not Set")) for f in fields) for r in rows],
			"datasets": [
				{
					"name": _("{0} short-term").format(indicator),
					"values": [r.get(f"{key}_short") or 0 for r in rows],
				},
				{
					"name": _("{0} long-term").format(indicator),
					"values": [r.get(f"{key}_long") or 0 for r in rows],
				},
			],
		},
		"type": "bar",
	}


def cohort_view(filters, indicator: str):
	months = cint(filters.get("months")) or counting.get_windows().long_term
	try:
		mis = core.cohort_windows(months)
	except core.IndicatorError as e:
		frappe.throw(_(e.message).format(*e.args_))
	groups = core.sort_groups(counting.figures(filters, [core.DELIVERY_MONTH], mis))
	data = []
	for g in groups:
		row = {"delivery_month": g.group[0], "units": g.window(1).units}
		for k in mis:
			row[f"mis_{k}"] = g.window(k).value(indicator)
		data.append(row)
	total = core.total(groups, mis)
	fieldtype = "Currency" if indicator == core.CPU else "Float"
	columns = [
		{"label": _("Delivery Month"), "fieldname": "delivery_month", "fieldtype": "Data", "width": 110},
		{"label": _("Units (1 MIS)"), "fieldname": "units", "fieldtype": "Float", "width": 110},
	] + [
		{"label": _("MIS {0}").format(k), "fieldname": f"mis_{k}", "fieldtype": fieldtype, "width": 80}
		for k in mis
	]
	chart = {
		"data": {
			"labels": [_("MIS {0}").format(k) for k in mis],
			"datasets": [
				{
					"name": _("{0}, all cohorts").format(indicator),
					"values": [total.window(k).value(indicator) or 0 for k in mis],
				}
			],
		},
		"type": "line",
	}
	message = _(
		"{0} of each delivery month up to each month in service, over the units mature for it."
	).format(indicator)
	return columns, data, message, chart
