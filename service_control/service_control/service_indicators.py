"""CPU, TGW and R/1000 by months in service, counted in the database.

The rules (months in service, maturity, what a window counts) are in
``service_control.core.service_indicators``; this module asks the database for the grouped sums
they need, one ``GROUP BY`` query per source, and hands the rows to ``core.merge``:

- units: submitted Delivery Note Items (stock quantity, serial or batch or neither); a return
  Delivery Note nets its quantity off the delivery it returns (``return_against``), at that
  delivery's date (deliveries and returns are two queries, so the deliveries' date range runs on
  the ``sc_company_posting_date`` index of ``setup.indexes``);
- defects (TGW): complaints (not cancelled; optionally of one category and its sub-categories)
  of a delivery note; repair requests with a submitted feedback form that found a fault; and
  answered satisfaction surveys about a delivery note, one defect per criterion scored at most
  ``DEFECT_SCORE_PERCENT`` of the scale;
- repairs (R/1000): repair requests not cancelled;
- cost (CPU): GL entries on expense and income accounts carrying the Customer Complaint
  accounting dimension (compensation, credit notes, scrapped returns, free replacements), and
  the GL entries of the vouchers of warranty repairs (a free repair's parts, a repair's refund or
  replacement) that do not carry it, so no entry counts twice.

Each event belongs to the unit of its delivery note: the delivery date is the note's posting
date (a repair request without one uses its own delivery date, from the serial number), the
territory and customer group the note's (else the customer's), the item the event's own. An
event with no delivery date is not in service and not counted.

For a window of ``W`` months the unit counts when ``posting_date <= maturity_cutoff(as_of, W)``
and the event when ``posting_date <= event date < DATE_ADD(posting_date, INTERVAL W MONTH)``
(``core.in_window``; MariaDB clamps the month's end as ``core.dates.add_months`` does). The site
test ``test_service_indicators`` proves these queries equal a count by the core's definitions on
generated data.
"""

from collections.abc import Sequence
from datetime import date

import frappe
from frappe.utils import getdate

from service_control.core import service_indicators as core
from service_control.core.survey import ANSWERED
from service_control.setup.accounting_dimension import get_dimension_field

#: Where each group-by choice comes from, for the units and for the events of a delivery note.
_UNIT_GROUPS = {
	core.ITEM: "dni.item_code",
	core.ITEM_GROUP: "it.item_group",
	core.TERRITORY: "dn.territory",
	core.CUSTOMER_GROUP: "dn.customer_group",
	core.DELIVERY_MONTH: "date_format({d}, '%%Y-%%m')",
}
_EVENT_GROUPS = {
	core.ITEM: "{item}",
	core.ITEM_GROUP: "it.item_group",
	core.TERRITORY: "coalesce(dn.territory, cu.territory)",
	core.CUSTOMER_GROUP: "coalesce(dn.customer_group, cu.customer_group)",
	core.DELIVERY_MONTH: "date_format({d}, '%%Y-%%m')",
}
#: A repair request a submitted feedback form found a fault in (once, however many visits); a
#: lookup on the feedback's repair_request index, made only for the requests a window counts.
_FOUND = """exists(select 1 from `tabRepair Feedback` rf where rf.repair_request = rr.name
	and rf.docstatus = 1 and ifnull(rf.fault_found, '') != '')"""
_TREES = {"item_group": "Item Group", "territory": "Territory", "customer_group": "Customer Group"}


def get_windows() -> core.IndicatorWindows:
	settings = frappe.get_cached_doc("Service Control Settings")
	return core.IndicatorWindows(
		settings.get("indicator_short_term_months") or core.DEFAULT_SHORT_TERM_MONTHS,
		settings.get("indicator_long_term_months") or core.DEFAULT_LONG_TERM_MONTHS,
	)


class Selection:
	"""The filters of one run, turned into SQL conditions and parameters."""

	def __init__(self, filters: dict, group_by: Sequence[str], windows: Sequence[int]):
		self.filters = frappe._dict(filters)
		for name in group_by:
			if name not in core.GROUP_BY:
				frappe.throw(frappe._("Unknown grouping {0}.").format(name))
		self.group_by = list(group_by)
		self.windows = list(windows)
		self.as_of = getdate(self.filters.get("as_of") or frappe.utils.today())
		self.cutoffs = [core.maturity_cutoff(self.as_of, w) for w in self.windows]
		self.params: dict = {"as_of": self.as_of, "latest": max(self.cutoffs)}
		for i, (months, cutoff) in enumerate(zip(self.windows, self.cutoffs, strict=True)):
			self.params[f"w{i}"] = months
			self.params[f"cut{i}"] = cutoff
		self.params["from_date"] = getdate(self.filters.from_date) if self.filters.get("from_date") else None
		self.params["to_date"] = getdate(self.filters.to_date) if self.filters.get("to_date") else None
		for key in ("company", "item_code", "category"):
			self.params[key] = self.filters.get(key)
		for key, tree in _TREES.items():
			value = self.filters.get(key)
			self.params[key] = [value, *frappe.db.get_descendants(tree, value)] if value else None
		if self.filters.get("category"):
			lft, rgt = frappe.db.get_value("Complaint Category", self.filters.category, ["lft", "rgt"])
			self.params["category_lft"], self.params["category_rgt"] = lft, rgt

	# the pieces every query shares

	def group_exprs(self, table: dict, **names) -> list[str]:
		return [table[g].format(**names) for g in self.group_by]

	def delivery_conditions(self, d: str, item: str, territory: str, customer_group: str) -> list[str]:
		"""The delivery date range (``d`` no later than the youngest mature delivery) and the
		item, item group, territory and customer group filters."""
		out = [f"{d} <= %(latest)s"]
		if self.params["from_date"]:
			out.append(f"{d} >= %(from_date)s")
		if self.params["to_date"]:
			out.append(f"{d} <= %(to_date)s")
		if self.params["item_code"]:
			out.append(f"{item} = %(item_code)s")
		if self.params["item_group"]:
			out.append("it.item_group in %(item_group)s")
		if self.params["territory"]:
			out.append(f"{territory} in %(territory)s")
		if self.params["customer_group"]:
			out.append(f"{customer_group} in %(customer_group)s")
		return out

	def unit_sums(self, d: str, qty: str) -> list[str]:
		return [f"sum(case when {d} <= %(cut{i})s then {qty} else 0 end)" for i in range(len(self.windows))]

	def event_sums(self, d: str, e: str, value: str = "1") -> list[str]:
		"""One sum per window: the unit mature, the event within the window's months."""
		return [
			f"sum(case when {d} <= %(cut{i})s and {e} >= {d} "
			f"and {e} < date_add({d}, interval %(w{i})s month) then {value} else 0 end)"
			for i in range(len(self.windows))
		]

	def run(self, select: list[str], sums: list[str], body: str, conditions: list[str]) -> list[tuple]:
		keys = ", ".join(select) if select else "null"
		group = f"group by {', '.join(select)}" if select else ""
		return frappe.db.sql(
			f"select {keys}, {', '.join(sums)} {body} where {' and '.join(conditions)} {group}",
			self.params,
		)

	# the sources

	def units(self) -> list[tuple]:
		"""Deliveries and returns in two grouped queries, so the deliveries' date is the bare
		``dn.posting_date`` and their range runs on the (company, posting_date) index; a return's
		date is the delivery's it returns (its own when it names none)."""
		deliveries = self._units("dn.posting_date", "dn.is_return = 0", "")
		returns = self._units(
			"coalesce(src.posting_date, dn.posting_date)",
			"dn.is_return = 1",
			"left join `tabDelivery Note` src on src.name = dn.return_against",
		)
		return [*deliveries, *returns]

	def _units(self, d: str, kind: str, source_join: str) -> list[tuple]:
		conditions = [
			"dn.docstatus = 1",
			kind,
			*self.delivery_conditions(d, "dni.item_code", "dn.territory", "dn.customer_group"),
		]
		if self.params["from_date"]:
			conditions.append("dn.posting_date >= %(from_date)s")  # a return comes after its delivery
		if self.params["company"]:
			conditions.append("dn.company = %(company)s")
		return self.run(
			self.group_exprs(_UNIT_GROUPS, d=d),
			self.unit_sums(d, "dni.stock_qty"),
			f"""from `tabDelivery Note Item` dni
			join `tabDelivery Note` dn on dn.name = dni.parent
			{source_join}
			left join `tabItem` it on it.name = dni.item_code""",
			conditions,
		)

	def _event_conditions(self, d: str, e: str, item: str, company: str) -> list[str]:
		out = self.delivery_conditions(
			d, item, "coalesce(dn.territory, cu.territory)", "coalesce(dn.customer_group, cu.customer_group)"
		)
		out.append(f"{e} <= %(as_of)s")
		if self.params["from_date"]:
			out.append(f"{e} >= %(from_date)s")
		if self.params["company"]:
			out.append(f"{company} = %(company)s")
		return out

	def complaints(self) -> list[tuple]:
		d, e = "dn.posting_date", "c.received_on"
		conditions = ["c.status != 'Cancelled'", "dn.docstatus = 1"]
		conditions += self._event_conditions(d, e, "c.item_code", "c.company")
		if self.params["category"]:
			conditions.append(
				"c.category in (select cat.name from `tabComplaint Category` cat"
				" where cat.lft >= %(category_lft)s and cat.rgt <= %(category_rgt)s)"
			)
		return self.run(
			self.group_exprs(_EVENT_GROUPS, d=d, item="c.item_code"),
			self.event_sums(d, f"date({e})"),
			"""from `tabCustomer Complaint` c
			join `tabDelivery Note` dn on dn.name = c.delivery_note
			left join `tabCustomer` cu on cu.name = c.customer
			left join `tabItem` it on it.name = c.item_code""",
			conditions,
		)

	def repairs(self) -> tuple[list[tuple], list[tuple]]:
		"""(repairs, defects): every repair request, and those a submitted feedback found a fault in."""
		d, e = "coalesce(dn.posting_date, rr.delivery_date)", "rr.reported_on"
		conditions = ["rr.status != 'Cancelled'"]
		conditions += self._event_conditions(d, e, "rr.item_code", "rr.company")
		n = len(self.windows)
		rows = self.run(
			self.group_exprs(_EVENT_GROUPS, d=d, item="rr.item_code"),
			self.event_sums(d, f"date({e})") + self.event_sums(d, f"date({e})", _FOUND),
			"""from `tabRepair Request` rr
			left join `tabDelivery Note` dn on dn.name = rr.delivery_note and dn.docstatus = 1
			left join `tabCustomer` cu on cu.name = rr.customer
			left join `tabItem` it on it.name = rr.item_code""",
			conditions,
		)
		keys = len(self.group_by) or 1
		return [r[: keys + n] for r in rows], [r[:keys] + r[keys + n :] for r in rows]

	def surveys(self) -> list[tuple]:
		d, e = "dn.posting_date", "coalesce(r.survey_date, date(r.responded_on))"
		conditions = [
			"r.status = %(answered)s",
			"r.reference_doctype = 'Delivery Note'",
			"sc.parenttype = 'Satisfaction Survey Response'",
			"sc.score_percent <= %(defect_percent)s",
			"ifnull(sc.score, '') != ''",
			"dn.docstatus = 1",
		]
		conditions += self._event_conditions(d, e, "dni.item_code", "r.company")
		self.params["answered"] = ANSWERED
		self.params["defect_percent"] = core.DEFECT_SCORE_PERCENT
		return self.run(
			self.group_exprs(_EVENT_GROUPS, d=d, item="dni.item_code"),
			self.event_sums(d, e),
			"""from `tabSatisfaction Survey Response` r
			join `tabSatisfaction Survey Score` sc on sc.parent = r.name
			join `tabDelivery Note` dn on dn.name = r.reference_name
			join `tabDelivery Note Item` dni on dni.parent = dn.name and dni.idx = 1
			left join `tabCustomer` cu on cu.name = r.customer
			left join `tabItem` it on it.name = dni.item_code""",
			conditions,
		)

	def complaint_costs(self, dimension: str) -> list[tuple]:
		d, e = "dn.posting_date", "gle.posting_date"
		conditions = [
			"gle.is_cancelled = 0",
			"acc.root_type in ('Expense', 'Income')",
			"dn.docstatus = 1",
		]
		conditions += self._event_conditions(d, e, "c.item_code", "gle.company")
		return self.run(
			self.group_exprs(_EVENT_GROUPS, d=d, item="c.item_code"),
			self.event_sums(d, e, "gle.debit - gle.credit"),
			f"""from `tabGL Entry` gle
			join `tabAccount` acc on acc.name = gle.account
			join `tabCustomer Complaint` c on c.name = gle.`{dimension}`
			join `tabDelivery Note` dn on dn.name = c.delivery_note
			left join `tabCustomer` cu on cu.name = c.customer
			left join `tabItem` it on it.name = c.item_code""",
			conditions,
		)

	def repair_costs(self, dimension: str | None) -> list[tuple]:
		d, e = "coalesce(dn.posting_date, rr.delivery_date)", "gle.posting_date"
		conditions = ["gle.is_cancelled = 0", "acc.root_type in ('Expense', 'Income')"]
		if dimension:
			conditions.append(f"ifnull(gle.`{dimension}`, '') = ''")  # counted with its complaint
		conditions += self._event_conditions(d, e, "rr.item_code", "gle.company")
		vouchers = " union ".join(
			[
				f"""select rf.`{field}` voucher_no, rf.repair_request from `tabRepair Feedback` rf
				where rf.chargeable = 0 and ifnull(rf.`{field}`, '') != ''"""
				for field in ("stock_entry", "replacement_delivery_note", "credit_note")
			]
			+ [
				f"""select cp.`{field}`, cp.repair_request from `tabCompensation` cp
				where ifnull(cp.repair_request, '') != '' and ifnull(cp.`{field}`, '') != ''"""
				for field in ("journal_entry", "credit_note", "replacement_delivery", "payment_entry")
			]
		)
		return self.run(
			self.group_exprs(_EVENT_GROUPS, d=d, item="rr.item_code"),
			self.event_sums(d, e, "gle.debit - gle.credit"),
			f"""from ({vouchers}) v
			join `tabGL Entry` gle on gle.voucher_no = v.voucher_no
			join `tabAccount` acc on acc.name = gle.account
			join `tabRepair Request` rr on rr.name = v.repair_request
			left join `tabDelivery Note` dn on dn.name = rr.delivery_note and dn.docstatus = 1
			left join `tabCustomer` cu on cu.name = rr.customer
			left join `tabItem` it on it.name = rr.item_code""",
			conditions,
		)

	def sources(self) -> list[tuple[str, list[tuple]]]:
		dimension = get_dimension_field()
		repairs, findings = self.repairs()
		out = [
			("units", self.units()),
			("defects", self.complaints()),
			("defects", findings),
			("defects", self.surveys()),
			("repairs", repairs),
			("cost", self.repair_costs(dimension)),
		]
		if dimension:
			out.append(("cost", self.complaint_costs(dimension)))
		return out


def figures(filters: dict, group_by: Sequence[str], windows: Sequence[int]) -> dict:
	"""``{group tuple: core.GroupFigures}`` for the filters (company, as_of, from_date, to_date of
	delivery, item_code, item_group, territory, customer_group, category)."""
	windows = list(dict.fromkeys(windows))
	selection = Selection(filters, group_by, windows)
	return core.merge(selection.sources(), windows, keys=len(group_by) or 1)


def indicator_value(
	indicator: str, window: str, filters: dict, as_of: date | None = None
) -> tuple[float | None, core.WindowFigures]:
	"""One indicator over everything the filters select: what a Quality Review reads."""
	months = get_windows().months(window)
	filters = {**filters, "as_of": as_of or filters.get("as_of")}
	total = core.total(figures(filters, [], [months]).values(), [months])
	w = total.window(months)
	return w.value(indicator), w


#: How long a number card's figure is kept: the indicators move with deliveries and events of the
#: day, and each card would otherwise run the whole count on every workspace load.
CARD_CACHE_SECONDS = 6 * 3600


@frappe.whitelist()
def indicator_card(filters: str | dict | None = None) -> dict:
	"""A workspace number card: one indicator of one window over the company's units in service
	as of today, from the card's filters ``indicator``, ``window`` and ``company``; the figure is
	cached for ``CARD_CACHE_SECONDS``. Refused to users who may not run Service Indicators."""
	filters = frappe._dict(frappe.parse_json(filters) or {})
	if not frappe.get_cached_doc("Report", "Service Indicators").is_permitted():
		frappe.throw(frappe._("Not permitted"), frappe.PermissionError)
	if filters.indicator not in core.INDICATORS or filters.get("window", core.LONG_TERM) not in core.WINDOWS:
		frappe.throw(frappe._("Unknown indicator {0}").format(filters.indicator))
	window = filters.get("window", core.LONG_TERM)
	company = filters.company or frappe.defaults.get_user_default("Company")
	today = getdate()
	key = f"service_control:indicator_card:{company}:{filters.indicator}:{window}:{today}"
	value = frappe.cache.get_value(key)
	if value is None:
		value, _figures = indicator_value(filters.indicator, window, {"company": company}, as_of=today)
		frappe.cache.set_value(key, value or 0, expires_in_sec=CARD_CACHE_SECONDS)
	return {
		"value": value or 0,
		"fieldtype": "Float",
		"route": ["query-report", "Service Indicators"],
		"route_options": {"company": company},
	}
