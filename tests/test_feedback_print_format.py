"""Site-free check of the 信息反馈处理单 print format (Feedback Handling Form)."""

import json
from datetime import date
from pathlib import Path

import pytest
from print_env import print_env

MODULE_DIR = Path(__file__).resolve().parent.parent / "service_control" / "service_control"
FOLDER = MODULE_DIR / "print_format" / "feedback_handling_form"
FIELDS = [
	f["fieldname"]
	for f in json.loads(
		(MODULE_DIR / "doctype" / "feedback_handling_form" / "feedback_handling_form.json").read_text()
	)["fields"]
]


class Row(dict):
	__getattr__ = dict.get

	def get_formatted(self, fieldname):
		value = self.get(fieldname)
		return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else value


def render(**doc) -> str:
	jinja2 = pytest.importorskip("jinja2")
	env = print_env(undefined=jinja2.StrictUndefined)
	base = {
		"name": "FHF-2026-00001",
		"company": "ACME <Tools>",
		"customer": "CUST-1",
		"customer_name": 'Wang & Sons <script>alert("x")</script>',
		"received_on": date(2026, 12, 1),
		"source_doctype": "Customer Complaint",
		"source_name": "CC-2026-00003",
		"subject": "Labels <b>peel</b>",
		"answer_requested": 1,
		"feedback": "<p>Labels peel off</p>",
		"investigated_by": "qm@example.com",
		"investigation": "<p>Wrong glue batch</p>",
		"rectifications": [
			Row(
				department="Production",
				action="Change <glue>",
				action_owner="p@x",
				due_date=date(2026, 12, 9),
				status="Done",
				done_on=date(2026, 12, 5),
				result="Changed",
			),
			Row(
				department="Quality",
				action="Check stock",
				action_owner="q@x",
				due_date=date(2026, 12, 9),
				status="Waived",
				waive_reason="One batch only",
			),
		],
		"result": "<p>Labels hold now</p>",
		"corrective_action": "CAPA-2026-00009",
		"status": "Closed",
		"closed_on": date(2026, 12, 6),
		"closed_by": "qm@example.com",
	}
	return env.from_string((FOLDER / "feedback_handling_form.html").read_text()).render(
		doc=Row({**dict.fromkeys(FIELDS), **base, **doc}),
		_=lambda text: text,
		letter_head="<div>LETTERHEAD</div>",
		no_letterhead=0,
	)


def test_json_matches_html():
	data = json.loads((FOLDER / "feedback_handling_form.json").read_text())
	assert data["html"] == (FOLDER / "feedback_handling_form.html").read_text()
	assert data["doc_type"] == "Feedback Handling Form" and data["name"] == "Feedback Handling Form"
	assert data["standard"] == "Yes" and data["print_format_type"] == "Jinja" and data["custom_format"] == 1


def test_renders_every_section_bilingual_and_escapes():
	html = render()
	assert "信息反馈处理单" in html and "Feedback Handling Form" in html and "FHF-2026-00001" in html
	for section in ("信息登记", "调查分析", "整改要求与跟踪", "处理结果反馈", "签字", "企管部"):
		assert section in html, section
	assert "<script>" not in html and "Wang &amp; Sons &lt;script&gt;" in html
	assert "Labels &lt;b&gt;peel&lt;/b&gt;" in html and "Change &lt;glue&gt;" in html
	# the sanitised rich text is kept
	assert (
		"<p>Labels peel off</p>" in html
		and "<p>Wrong glue batch</p>" in html
		and "<p>Labels hold now</p>" in html
	)
	assert "Changed" in html and "One batch only" in html and "CAPA-2026-00009" in html


def test_blank_rectification_table_still_prints():
	html = render(rectifications=[], status="Open", closed_on=None, closed_by=None)
	assert "整改要求与跟踪" in html and "sc-box" in html
