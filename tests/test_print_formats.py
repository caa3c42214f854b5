"""Site-free checks of the complaint print formats, the workspace, number cards and chart."""

import json
from datetime import datetime
from pathlib import Path

import pytest
from print_env import print_env

ROOT = Path(__file__).resolve().parent.parent
MODULE_DIR = ROOT / "service_control" / "service_control"
PRINT_FORMATS = {
	"complaint_handling_form": "客户投诉处理单",
	"complaint_reply_letter": "顾客投诉处理答复书",
}


def load(kind: str, folder: str) -> dict:
	return json.loads((MODULE_DIR / kind / folder / f"{folder}.json").read_text())


@pytest.mark.parametrize("folder", PRINT_FORMATS)
def test_print_format_json_matches_template(folder):
	data = load("print_format", folder)
	template = (MODULE_DIR / "print_format" / folder / f"{folder}.html").read_text()
	# Frappe renders the .html file of a standard format; the JSON copy is what the desk shows
	assert data["html"] == template, f"run the sync: {folder}.json html differs from {folder}.html"
	assert data["standard"] == "Yes"
	assert data["doc_type"] == "Customer Complaint"
	assert data["print_format_type"] == "Jinja" and data["custom_format"] == 1


class FakeRow(dict):
	__getattr__ = dict.get

	def get_formatted(self, fieldname):
		value = self.get(fieldname)
		return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else value


class FakeDoc(FakeRow):
	def get_formatted(self, fieldname):
		value = self.get(fieldname)
		return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value


class FakeDB:
	@staticmethod
	def get_value(doctype, name, field):
		return {("User", "cs@example.com", "full_name"): "Li Lei"}.get((doctype, name, field))


class FakeFrappe:
	db = FakeDB()

	@staticmethod
	def format(value, df):
		return value.strftime("%Y-%m-%d") if value else ""

	@staticmethod
	def render_template(template, context):
		return template


def render(folder: str, **doc) -> str:
	jinja2 = pytest.importorskip("jinja2")
	template = (MODULE_DIR / "print_format" / folder / f"{folder}.html").read_text()
	env = print_env(undefined=jinja2.StrictUndefined)
	base = {
		"name": "CC-2026-00001",
		"company": "ACME <Tools>",
		"customer": "CUST-1",
		"customer_name": 'Wang & Sons <script>alert("x")</script>',
		"received_on": datetime(2026, 11, 2, 9, 30),
		"channel": "Phone",
		"urgency": "Urgent",
		"severity": "Major",
		"item_code": "PUMP-1",
		"item_name": "Pump",
		"affected_qty": 3,
		"description": "<p>Seal leaks</p>",
		"remedy_requested": "Replace <b>all</b>",
		"root_cause": "Wrong seal <material>",
		"responsibility": "Supplier",
		"supplier": "SealCo",
		"containment_actions": [FakeRow(action="Stop shipments", done_on=datetime(2026, 11, 3))],
		"reply": "<p>We replaced the seals.</p>",
		"replied_on": datetime(2026, 11, 4, 15, 0),
		"replied_by": "cs@example.com",
		"status": "Answered",
	}
	context = {
		"doc": FakeDoc({**dict.fromkeys(FIELDS), **base, **doc}),
		"_": lambda text: text,
		"frappe": FakeFrappe(),
		"letter_head": "<div>LETTERHEAD</div>",
		"no_letterhead": 0,
	}
	return env.from_string(template).render(**context)


FIELDS = [
	f["fieldname"]
	for f in json.loads(
		(MODULE_DIR / "doctype" / "customer_complaint" / "customer_complaint.json").read_text()
	)["fields"]
]


@pytest.mark.parametrize("folder,title", PRINT_FORMATS.items())
def test_print_format_renders_and_escapes(folder, title):
	html = render(folder)
	assert title in html
	assert "CC-2026-00001" in html
	assert "LETTERHEAD" in html or folder == "complaint_handling_form"
	# user text is escaped; the sanitised rich text of description / reply is kept
	assert "<script>" not in html
	assert "Wang &amp; Sons &lt;script&gt;" in html
	assert "Wrong seal &lt;material&gt;" in html
	assert "<p>Seal leaks</p>" in html and "<p>We replaced the seals.</p>" in html
	assert "Stop shipments" in html


#: The sections of the procedure's complaint form (顾客投诉处理 steps 1-8) each format must print.
ISO_SECTIONS = {
	"complaint_handling_form": [
		"投诉登记",  # 1 receipt: customer, product, quantity, description
		"紧急程度",  # 2 urgency, 3 severity (report to the management representative)
		"调查分析",  # 4 investigation
		"原因分析与责任判定",  # 4 cause and responsibility
		"临时 / 应急措施",  # 5 temporary / emergency measures
		"永久性措施",  # 5 permanent measures: the corrective action
		"答复顾客",  # 7 reply
		"顾客确认",  # 7 satisfaction
		"结案",  # 8 closure
		"管理者代表",  # sign-off
	],
	"complaint_reply_letter": ["投诉内容", "调查结果", "处理措施", "永久性措施", "答复", "顾客确认"],
}


@pytest.mark.parametrize("folder", PRINT_FORMATS)
def test_print_formats_carry_every_section_of_the_procedure_form(folder):
	html = render(folder, corrective_action="CAPA-2026-00007", corrective_action_status="Open")
	for section in ISO_SECTIONS[folder]:
		assert section in html, section
	assert "CAPA-2026-00007" in html
	for english in ("Registration", "Root Cause", "Closure") if folder == "complaint_handling_form" else ():
		assert english in html


def test_reply_letter_without_letter_head_falls_back_to_company():
	html = render("complaint_reply_letter")
	assert "Li Lei" in html
	assert "ACME &lt;Tools&gt;" in html


def test_workspace_references_exist():
	workspace = load("workspace", "service_control")
	cards = {p.name for p in (MODULE_DIR / "number_card").glob("*/")}
	charts = {p.name for p in (MODULE_DIR / "dashboard_chart").glob("*/")}
	reports = {p.name for p in (MODULE_DIR / "report").glob("*/")}
	doctypes = {p.name for p in (MODULE_DIR / "doctype").glob("*/")}

	def scrub(name):
		return name.lower().replace(" ", "_")

	for card in workspace["number_cards"]:
		assert scrub(card["number_card_name"]) in cards
	for chart in workspace["charts"]:
		assert scrub(chart["chart_name"]) in charts
	for link in workspace["links"]:
		if link["type"] == "Link":
			target = reports if link["link_type"] == "Report" else doctypes
			assert scrub(link["link_to"]) in target, link["link_to"]
	shortcut_labels = {s["label"] for s in workspace["shortcuts"]}
	card_labels = {link["label"] for link in workspace["links"] if link["type"] == "Card Break"}
	for block in json.loads(workspace["content"]):
		data = block["data"]
		if block["type"] == "shortcut":
			assert data["shortcut_name"] in shortcut_labels
		elif block["type"] == "card":
			assert data["card_name"] in card_labels
		elif block["type"] == "number_card":
			assert scrub(data["number_card_name"]) in cards


def test_workspace_links_every_report_and_the_satisfaction_masters():
	workspace = load("workspace", "service_control")
	linked = {(link["link_type"], link["link_to"]) for link in workspace["links"] if link["type"] == "Link"}
	for folder in (MODULE_DIR / "report").glob("*/"):
		if (folder / f"{folder.name}.json").is_file():
			report = load("report", folder.name)["name"]
			assert ("Report", report) in linked, report
	for doctype in ("Satisfaction Survey Template", "Key Customer Visit", "Customer Complaint"):
		if (MODULE_DIR / "doctype" / doctype.lower().replace(" ", "_")).is_dir():
			assert ("DocType", doctype) in linked, doctype
	# each card break counts the links that follow it
	links = workspace["links"]
	for i, link in enumerate(links):
		if link["type"] == "Card Break":
			following = 0
			for nxt in links[i + 1 :]:
				if nxt["type"] == "Card Break":
					break
				following += 1
			assert link["link_count"] == following, link["label"]


@pytest.mark.parametrize("folder", ["open_complaints", "at_risk_complaints", "breached_complaints"])
def test_number_cards_count_open_complaints(folder):
	card = load("number_card", folder)
	assert card["document_type"] == "Customer Complaint" and card["function"] == "Count"
	filters = json.loads(card["filters_json"])
	assert ["Customer Complaint", "status", "not in", ["Closed", "Cancelled"], False] in filters
	fields = {f[1] for f in filters}
	assert fields <= {"status", "sla_state"}


def test_chart_counts_by_received_month():
	chart = load("dashboard_chart", "complaints_by_month")
	assert (chart["chart_type"], chart["based_on"], chart["time_interval"]) == (
		"Count",
		"received_on",
		"Monthly",
	)
