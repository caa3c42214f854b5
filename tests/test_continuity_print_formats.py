"""Site-free checks of the three continuity print formats: 风险评估报告, 持续性计划, 持续性测试报告."""

import json
from datetime import date
from pathlib import Path

import pytest
from print_env import print_env

MODULE_DIR = Path(__file__).resolve().parent.parent / "service_control" / "service_control"
FORMATS = {
	"continuity_risk_assessment": ("风险评估报告", "Risk Assessment Report"),
	"continuity_plan": ("持续性计划", "Continuity Plan"),
	"continuity_test_report": ("持续性测试报告", "Continuity Test Report"),
}
EVIL = 'Wang & Sons <script>alert("x")</script>'


class Row(dict):
	__getattr__ = dict.get

	def get_formatted(self, fieldname):
		value = self.get(fieldname)
		return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else value


def fields(folder: str) -> list[str]:
	return [
		f["fieldname"]
		for f in json.loads((MODULE_DIR / "doctype" / folder / f"{folder}.json").read_text())["fields"]
	]


DOCS = {
	"continuity_risk_assessment": {
		"title": EVIL,
		"assessed_on": date(2026, 12, 1),
		"highest_score": 16,
		"highest_band": "Critical",
		"risks": [
			Row(
				idx=1,
				threat="Fire",
				likelihood=4,
				impact=4,
				score=16,
				band="Critical",
				treatment="Sprinklers <now>",
				treatment_owner="o@x",
				treatment_due=date(2026, 12, 30),
			),
		],
	},
	"continuity_plan": {
		"title": EVIL,
		"version": 2,
		"invocation_criteria": "Down > 1 h <b>",
		"contacts": [Row(plan_role="Lead", contact_name="Li Lei", phone="123")],
		"recovery_steps": [Row(idx=1, step="Switch <over>", step_owner="o@x", target_hours=2)],
		"communications": [Row(stage="On Invocation", customer_group="Key", email_template="Outage")],
		"review_required": 1,
		"review_reason": "Service changed",
	},
	"continuity_test_report": {
		"plan": "CP-2026-00001",
		"test_type": "Simulation",
		"test_date": date(2026, 12, 2),
		"scenario": EVIL,
		"steps_met": 1,
		"participants": [Row(participant_name="Han Meimei", role_in_test="Observer")],
		"steps": [
			Row(idx=1, step="Switch", target_hours=2, actual_hours=3, met=0),
			Row(idx=2, step="Restore", target_hours=6, actual_hours=5, met=1),
		],
		"findings": [Row(finding="Licence <expired>", severity="Major", corrective_action="CAPA-2026-00011")],
	},
}


def render(folder: str, **doc) -> str:
	jinja2 = pytest.importorskip("jinja2")
	env = print_env(undefined=jinja2.StrictUndefined)
	base = {"name": "X-2026-00001", "company": "ACME <Tools>", "owner": "author@x", **DOCS[folder]}
	return env.from_string((MODULE_DIR / "print_format" / folder / f"{folder}.html").read_text()).render(
		doc=Row({**dict.fromkeys(fields(folder)), **base, **doc}),
		_=lambda text: text,
		letter_head="<div>LETTERHEAD</div>",
		no_letterhead=0,
	)


@pytest.mark.parametrize("folder", FORMATS)
def test_json_matches_html(folder):
	data = json.loads((MODULE_DIR / "print_format" / folder / f"{folder}.json").read_text())
	assert data["html"] == (MODULE_DIR / "print_format" / folder / f"{folder}.html").read_text()
	assert data["standard"] == "Yes" and data["print_format_type"] == "Jinja" and data["custom_format"] == 1
	assert data["doc_type"] == data["name"] == folder.replace("_", " ").title()


@pytest.mark.parametrize("folder", FORMATS)
def test_renders_bilingual_and_escapes(folder):
	html = render(folder)
	zh, en = FORMATS[folder]
	assert zh in html and en in html
	assert "X-2026-00001" in html and "LETTERHEAD" in html
	assert "<script>" not in html
	assert "ACME &lt;Tools&gt;" in html


def test_each_record_prints_what_the_procedure_asks():
	risk = render("continuity_risk_assessment")
	assert "Sprinklers &lt;now&gt;" in risk and "Critical" in risk and "批准人" in risk
	plan = render("continuity_plan")
	for section in ("启动条件", "职责与联系方式", "恢复步骤", "对顾客的沟通", "恢复正常", "评审与测试"):
		assert section in plan, section
	assert "Switch &lt;over&gt;" in plan and "Service changed" in plan
	test = render("continuity_test_report")
	assert "CAPA-2026-00011" in test and "Licence &lt;expired&gt;" in test and "✘" in test and "✔" in test


@pytest.mark.parametrize("folder", FORMATS)
def test_empty_tables_still_print(folder):
	empty = {key: [] for key, value in DOCS[folder].items() if isinstance(value, list)}
	assert FORMATS[folder][0] in render(folder, **empty)
