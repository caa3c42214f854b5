"""Site-free checks of the internal-complaint print format (内部顾客投诉处理单)."""

import json
from datetime import datetime
from pathlib import Path

import pytest
from print_env import print_env

ROOT = Path(__file__).resolve().parent.parent
MODULE_DIR = ROOT / "service_control" / "service_control"
FOLDER = MODULE_DIR / "print_format" / "internal_complaint_form"
FIELDS = [
	f["fieldname"]
	for f in json.loads(
		(MODULE_DIR / "doctype" / "internal_complaint" / "internal_complaint.json").read_text()
	)["fields"]
]


class FakeDoc(dict):
	__getattr__ = dict.get

	def get_formatted(self, fieldname):
		value = self.get(fieldname)
		return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value


def render(**doc) -> str:
	jinja2 = pytest.importorskip("jinja2")
	template = (FOLDER / "internal_complaint_form.html").read_text()
	env = print_env(undefined=jinja2.StrictUndefined)
	base = {
		"name": "IC-2026-00001",
		"company": "ACME <Tools>",
		"complainant": "HR-EMP-00001",
		"complainant_name": 'Li <script>alert("x")</script>',
		"department": "Production",
		"against_department": "Dispatch & Logistics",
		"received_on": datetime(2026, 12, 2, 9, 30),
		"channel": "E-mail",
		"urgency": "Urgent",
		"subject": "Documents <late>",
		"description": "<p>Handed over a day late</p>",
		"handler": "hr@example.com",
		"investigation": "<p>No cut-off time agreed</p>",
		"reply": "<p>Cut-off at 15:00 from now on.</p>",
		"replied_on": datetime(2026, 12, 3, 15, 0),
		"replied_by": "hr@example.com",
		"satisfaction": "Satisfied",
		"status": "Closed",
		"corrective_action": "CAPA-2026-00009",
	}
	context = {
		"doc": FakeDoc({**dict.fromkeys(FIELDS), **base, **doc}),
		"_": lambda text: text,
		"letter_head": "<div>LETTERHEAD</div>",
		"no_letterhead": 0,
	}
	return env.from_string(template).render(**context)


def test_json_matches_the_template():
	data = json.loads((FOLDER / "internal_complaint_form.json").read_text())
	assert data["html"] == (FOLDER / "internal_complaint_form.html").read_text()
	assert data["doc_type"] == "Internal Complaint" and data["name"] == "Internal Complaint Form"
	assert data["standard"] == "Yes" and data["print_format_type"] == "Jinja" and data["custom_format"] == 1


def test_renders_bilingual_every_section_and_escapes():
	html = render()
	assert "内部顾客投诉处理单" in html and "Internal Complaint Form" in html
	assert "IC-2026-00001" in html and "LETTERHEAD" in html
	for section in ("投诉登记", "调查处理", "答复投诉人", "投诉人确认", "结案", "签字"):
		assert section in html, section
	for english in ("Registration", "Investigation", "Reply to the Complainant", "Closure"):
		assert english in html, english
	assert "<script>" not in html and "Li &lt;script&gt;" in html
	assert "Documents &lt;late&gt;" in html and "Dispatch &amp; Logistics" in html
	assert "<p>Handed over a day late</p>" in html and "<p>Cut-off at 15:00 from now on.</p>" in html
	assert "CAPA-2026-00009" in html
	# an internal complaint names no customer
	assert "客户" not in html and "Customer" not in html
