"""CPU, TGW and R/1000 by months in service, counted in the database.

The rules (months in service, maturity, what a window counts) are in
``service_control.core.service_indicators``; this module asks the database for the grouped sums
they need, one ``GROUP BY`` query per source, and hands the rows to ``core.merge``:

- units: submitted Delivery Note Items (stock quantity, serial or batch or neither); a return
  Delivery Note nets its quantity off the delivery it returns (``return_against``), at that
  delivery's date (deliveries and returns are two queries, so the deliveries' date range runs on
  the ``sc_indicator_units`` index of ``setup.indexes``, and each note's lines on
  ``sc_indicator_lines``: neither read touches a table row);
- defects (TGW): complaints (not cancelled; optionally of one category and its sub-categories)
  of a delivery note; repair requests a submitted feedback form found a fault in; and
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
event with no delivery date is not in service and not counted. A complaint and a repair request
store these when saved (``set_event_unit``; a cancelled note takes its cases out again), and an
index of their indicator columns holds each one, so their queries read no delivery note,
customer or item per event: each groups its own rows by item code, territory, customer group or
delivery month, and the item group comes from the few grouped item codes (``Selection.run``).

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

#: The inner query's key of each grouping, as an alias of the source's column; the item group is
#: the item's, looked up once per grouped item in the outer query.
_KEYS = {
	core.ITEM: "k_item",
	core.ITEM_GROUP: "k_item",
	core.TERRITORY: "k_territory",
	core.CUSTOMER_GROUP: "k_customer_group",
	core.DELIVERY_MONTH: "k_month",
}
_OUTER = {
	core.ITEM: "g.k_item",
	core.ITEM_GROUP: "it.item_group",
	core.TERRITORY: "g.k_territory",
	core.CUSTOMER_GROUP: "g.k_customer_group",
	core.DELIVERY_MONTH: "g.k_month",
}
_TREES = {"item_group": "Item Group", "territory": "Territory", "customer_group": "Customer Group"}
#: The keys that hold a Link's value, which Frappe stores exactly as the linked name: the inner
#: queries group them byte by byte, a third cheaper than through the columns' Unicode collation;
#: the outer query groups the few rows again by the collation, so no name is split by its case.
_LINKS = frozenset(("k_item", "k_territory", "k_customer_group"))


def _binary(column: str) -> str:
	return f"{column} collate utf8mb4_bin"


#: The cases that store their unit's facts, and whether their delivery date is the note's (a
#: repair request's comes from its note, else its serial number or invoice, and stays).
EVENT_DOCTYPES = {"Customer Complaint": True, "Repair Request": False}


def set_event_unit(doc) -> None:
	"""Store on a complaint or repair request what the report reads of its unit: the territory and
	customer group it counts under (``core.event_region``) and, on a complaint, its delivery note's
	posting date while the note is submitted (none: not in service)."""
	note = (
		frappe.db.get_value(
			"Delivery Note",
			{"name": doc.delivery_note, "docstatus": 1},
			["posting_date", "territory", "customer_group"],
			as_dict=True,
		)
		if doc.get("delivery_note")
		else None
	) or frappe._dict()
	customer = (
		frappe.db.get_value("Customer", doc.customer, ["territory", "customer_group"], as_dict=True)
		if doc.get("customer")
		else None
	) or frappe._dict()
	doc.territory, doc.customer_group = core.event_region(
		note.territory, note.customer_group, customer.territory, customer.customer_group
	)
	if EVENT_DOCTYPES[doc.doctype]:
		doc.delivery_date = note.posting_date


def _region_sql(note: str, customer: str, field: str) -> str:
	"""``core.event_region`` in SQL: the note's value, else the customer's."""
	return f"coalesce(nullif({note}.{field}, ''), {customer}.{field})"


def fill_case_facts() -> None:
	"""What a save stores for the report on every stored complaint and repair request, one
	statement each (the patch that added the fields): ``set_event_unit``, and a repair request's
	``fault_found`` (``core.repair.fault_found`` over its submitted feedback). The report's site
	test proves the statements store what the Python does."""
	for doctype, note_date in EVENT_DOCTYPES.items():
		frappe.db.sql(
			f"""update `tab{doctype}` t
			left join `tabDelivery Note` dn on dn.name = t.delivery_note and dn.docstatus = 1
			left join `tabCustomer` cu on cu.name = t.customer
			set t.territory = {_region_sql("dn", "cu", "territory")},
				t.customer_group = {_region_sql("dn", "cu", "customer_group")}
				{", t.delivery_date = dn.posting_date" if note_date else ""}"""
		)
	frappe.db.sql(
		"""update `tabRepair Request` rr set rr.fault_found = exists(select 1 from `tabRepair Feedback` rf
			where rf.repair_request = rr.name and rf.docstatus = 1 and trim(ifnull(rf.fault_found, '')) != '')"""
	)


def delivery_note_cancelled(delivery_note: str) -> None:
	"""A cancelled delivery note no longer places its complaints and repairs: each takes its
	customer's region again, and a complaint leaves the indicators (the note's units leave them)."""
	for doctype in EVENT_DOCTYPES:
		cases = frappe.get_all(
			doctype, filters={"delivery_note": delivery_note}, fields=["name", "customer", "delivery_note"]
		)
		for case in cases:
			case.doctype = doctype
			set_event_unit(case)
			values = {"territory": case.territory, "customer_group": case.customer_group}
			if EVENT_DOCTYPES[doctype]:
				values["delivery_date"] = case.delivery_date
			frappe.db.set_value(doctype, case.name, values, update_modified=False)


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
		self.params: dict = {"as_of": self.as_of, "latest": max(self.cutoffs), "longest": max(self.windows)}
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

	def delivery_conditions(self, d: str, columns: dict[str, str]) -> list[str]:
		"""The delivery date range (``d`` no later than the youngest mature delivery) and the
		item, territory and customer group filters (the item group's is the outer query's)."""
		out = [f"{d} <= %(latest)s"]
		if self.params["from_date"]:
			out.append(f"{d} >= %(from_date)s")
		if self.params["to_date"]:
			out.append(f"{d} <= %(to_date)s")
		if self.params["item_code"]:
			out.append(f"{columns['k_item']} = %(item_code)s")
		if self.params["territory"]:
			out.append(f"{columns['k_territory']} in %(territory)s")
		if self.params["customer_group"]:
			out.append(f"{columns['k_customer_group']} in %(customer_group)s")
		return out

	def unit_sums(self, d: str, qty: str) -> list[str]:
		return [f"sum(case when {d} <= %(cut{i})s then {qty} else 0 end)" for i in range(len(self.windows))]

	def event_sums(self, d: str, e: str, value: str = "1") -> list[str]:
		"""One sum per window: the unit mature, the event within the window's months. Every row
		already lies on or after its delivery and within the longest window (the ``WHERE`` of
		``_event_conditions``), so a sum tests only what its window adds to that."""
		longest = max(self.windows)
		return [
			f"sum(case when {d} <= %(cut{i})s"
			+ ("" if months == longest else f" and {e} < date_add({d}, interval %(w{i})s month)")
			+ f" then {value} else 0 end)"
			for i, months in enumerate(self.windows)
		]

	def run(self, columns: dict[str, str], sums: list[str], body: str, conditions: list[str]) -> list[tuple]:
		"""Sum ``sums`` over the rows of ``body`` that meet ``conditions``, grouped by the run's
		groupings: first by the source's own columns (``columns``: the ``_KEYS`` aliases, the item
		code, territory, customer group and delivery month of a row), then, in an outer query over
		those few rows, by item group through the Item of each grouped item code."""
		by_item_group = core.ITEM_GROUP in self.group_by or self.params["item_group"]
		keys = list(dict.fromkeys(_KEYS[g] for g in self.group_by))
		if by_item_group and "k_item" not in keys:
			keys.append("k_item")
		inner_keys = [f"{columns[k]} {k}" for k in keys] or ["null k_none"]
		sums = [f"{expr} s{i}" for i, expr in enumerate(sums)]
		inner = f"select {', '.join(inner_keys + sums)} {body} where {' and '.join(conditions)}"
		if keys:
			inner += (
				f" group by {', '.join(_binary(columns[k]) if k in _LINKS else columns[k] for k in keys)}"
			)
		outer_keys = [_OUTER[g] for g in self.group_by]
		query = f"""select {", ".join(outer_keys) or "null"}, {", ".join(f"sum(g.s{i})" for i in range(len(sums)))}
			from ({inner}) g"""
		if by_item_group:
			query += " left join `tabItem` it on it.name = g.k_item"
		if self.params["item_group"]:
			query += " where it.item_group in %(item_group)s"
		if outer_keys:
			query += f" group by {', '.join(outer_keys)}"
		return frappe.db.sql(query, self.params)

	@staticmethod
	def columns(d: str, item: str, territory: str, customer_group: str) -> dict[str, str]:
		return {
			"k_item": item,
			"k_territory": territory,
			"k_customer_group": customer_group,
			"k_month": f"date_format({d}, '%%Y-%%m')",
		}

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
		columns = self.columns(d, "dni.item_code", "dn.territory", "dn.customer_group")
		conditions = ["dn.docstatus = 1", kind, *self.delivery_conditions(d, columns)]
		if self.params["from_date"]:
			conditions.append("dn.posting_date >= %(from_date)s")  # a return comes after its delivery
		if self.params["company"]:
			conditions.append("dn.company = %(company)s")
		return self.run(
			columns,
			self.unit_sums(d, "dni.stock_qty"),
			f"""from `tabDelivery Note Item` dni
			join `tabDelivery Note` dn on dn.name = dni.parent
			{source_join}""",
			conditions,
		)

	def _event_conditions(self, d: str, e: str, columns: dict[str, str], company: str) -> list[str]:
		"""The delivery conditions and the event's: on or after its unit's delivery, within the
		longest window (what no window counts is left out before the grouping), by the report date."""
		out = self.delivery_conditions(d, columns)
		out += [f"{e} >= {d}", f"{e} < date_add({d}, interval %(longest)s month)"]
		out.append(f"{e} <= %(as_of)s")
		if self.params["from_date"]:
			out.append(f"{e} >= %(from_date)s")
		if self.params["company"]:
			out.append(f"{company} = %(company)s")
		return out

	def _case_columns(self, case: str) -> dict[str, str]:
		"""A complaint's or repair request's unit, as it stores it (``set_event_unit``)."""
		return self.columns(
			f"{case}.delivery_date", f"{case}.item_code", f"{case}.territory", f"{case}.customer_group"
		)

	def complaints(self) -> list[tuple]:
		d, e = "c.delivery_date", "c.received_on"
		columns = self._case_columns("c")
		conditions = ["c.status != 'Cancelled'", *self._event_conditions(d, e, columns, "c.company")]
		if self.params["category"]:
			conditions.append(
				"c.category in (select cat.name from `tabComplaint Category` cat"
				" where cat.lft >= %(category_lft)s and cat.rgt <= %(category_rgt)s)"
			)
		return self.run(
			columns, self.event_sums(d, f"date({e})"), "from `tabCustomer Complaint` c", conditions
		)

	def repairs(self) -> tuple[list[tuple], list[tuple]]:
		"""(repairs, defects): every repair request, and those a submitted feedback found a fault in
		(``fault_found``, which the request keeps from its feedback forms)."""
		d, e = "rr.delivery_date", "rr.reported_on"
		columns = self._case_columns("rr")
		conditions = ["rr.status != 'Cancelled'", *self._event_conditions(d, e, columns, "rr.company")]
		n = len(self.windows)
		rows = self.run(
			columns,
			self.event_sums(d, f"date({e})") + self.event_sums(d, f"date({e})", "rr.fault_found"),
			"from `tabRepair Request` rr",
			conditions,
		)
		keys = len(self.group_by) or 1
		return [r[: keys + n] for r in rows], [r[:keys] + r[keys + n :] for r in rows]

	def surveys(self) -> list[tuple]:
		"""Survey answers name no case, so their unit is read from the delivery note and the
		customer here, by the rule the cases store (``core.event_region``)."""
		d, e = "dn.posting_date", "coalesce(r.survey_date, date(r.responded_on))"
		columns = self.columns(
			d,
			"dni.item_code",
			_region_sql("dn", "cu", "territory"),
			_region_sql("dn", "cu", "customer_group"),
		)
		conditions = [
			"r.status = %(answered)s",
			"r.reference_doctype = 'Delivery Note'",
			"sc.parenttype = 'Satisfaction Survey Response'",
			"sc.score_percent <= %(defect_percent)s",
			"ifnull(sc.score, '') != ''",
			"dn.docstatus = 1",
			*self._event_conditions(d, e, columns, "r.company"),
		]
		self.params["answered"] = ANSWERED
		self.params["defect_percent"] = core.DEFECT_SCORE_PERCENT
		return self.run(
			columns,
			self.event_sums(d, e),
			"""from `tabSatisfaction Survey Response` r
			join `tabSatisfaction Survey Score` sc on sc.parent = r.name
			join `tabDelivery Note` dn on dn.name = r.reference_name
			join `tabDelivery Note Item` dni on dni.parent = dn.name and dni.idx = 1
			left join `tabCustomer` cu on cu.name = r.customer""",
			conditions,
		)

	def complaint_costs(self, dimension: str) -> list[tuple]:
		d, e = "c.delivery_date", "gle.posting_date"
		columns = self._case_columns("c")
		conditions = [
			"gle.is_cancelled = 0",
			"acc.root_type in ('Expense', 'Income')",
			*self._event_conditions(d, e, columns, "gle.company"),
		]
		return self.run(
			columns,
			self.event_sums(d, e, "gle.debit - gle.credit"),
			f"""from `tabGL Entry` gle
			join `tabAccount` acc on acc.name = gle.account
			join `tabCustomer Complaint` c on c.name = gle.`{dimension}`""",
			conditions,
		)

	def repair_costs(self, dimension: str | None) -> list[tuple]:
		d, e = "rr.delivery_date", "gle.posting_date"
		columns = self._case_columns("rr")
		conditions = ["gle.is_cancelled = 0", "acc.root_type in ('Expense', 'Income')"]
		if dimension:
			conditions.append(f"ifnull(gle.`{dimension}`, '') = ''")  # counted with its complaint
		conditions += self._event_conditions(d, e, columns, "gle.company")
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
			columns,
			self.event_sums(d, e, "gle.debit - gle.credit"),
			f"""from ({vouchers}) v
			join `tabGL Entry` gle on gle.voucher_no = v.voucher_no
			join `tabAccount` acc on acc.name = gle.account
			join `tabRepair Request` rr on rr.name = v.repair_request""",
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
