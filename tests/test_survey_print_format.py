"""Site-free check of the 顾客满意度调查表 print format (Customer Satisfaction Survey)."""

import json
from pathlib import Path

import pytest
from print_env import print_env

MODULE_DIR = Path(__file__).resolve().parent.parent / "service_control" / "service_control"
FOLDER = MODULE_DIR / "print_format" / "customer_satisfaction_survey"


class Row(dict):
	__getattr__ = dict.get


class Doc(Row):
	def get_formatted(self, fieldname):
		return str(self.get(fieldname) or "")


TEMPLATE = Row(
	scale="1-5",
	include_nps=1,
	nps_question_zh="您会推荐我们吗？",
	nps_question_en="Would you recommend us?",
	intro_zh="请评分",
	intro_en="Please rate <us>",
	criteria=[
		Row(label_en="Delivery", label_zh="交货期", weight=60),
		Row(label_en="Service", label_zh="服务", weight=40),
	],
)


class FakeFrappe:
	@staticmethod
	def get_doc(doctype, name):
		assert doctype == "Satisfaction Survey Template"
		return TEMPLATE


def render(**doc) -> str:
	jinja2 = pytest.importorskip("jinja2")
	env = print_env(undefined=jinja2.ChainableUndefined)
	base = {
		"name": "SSR-2026-00001",
		"template": "T",
		"customer": "C-1",
		"customer_name": "Wang & Sons <b>",
		"period": "2026-H1",
		"source": "Paper",
		"status": "Pending",
		"scores": [],
		"comments": "<script>x</script>",
	}
	return env.from_string((FOLDER / "customer_satisfaction_survey.html").read_text()).render(
		doc=Doc({**base, **doc}), frappe=FakeFrappe(), _=lambda text, context=None: text
	)


def test_json_matches_html():
	data = json.loads((FOLDER / "customer_satisfaction_survey.json").read_text())
	assert data["html"] == (FOLDER / "customer_satisfaction_survey.html").read_text()
	assert data["doc_type"] == "Satisfaction Survey Response"
	assert data["standard"] == "Yes" and data["print_format_type"] == "Jinja"


def test_blank_form_lists_template_criteria_bilingual():
	html = render()
	assert "顾客满意度调查表" in html and "Customer Satisfaction Survey" in html
	assert "交货期" in html and "Delivery" in html and "60%" in html
	assert "您会推荐我们吗？" in html
	assert "Wang &amp; Sons &lt;b&gt;" in html
	assert "<script>" not in html and "Please rate &lt;us&gt;" in html
	assert "sc-box sc-on" not in html


def test_answered_form_marks_scores():
	scores = [
		Row(criterion="Delivery", label_zh="交货期", weight=60, score="4"),
		Row(criterion="Service", label_zh="服务", weight=40, score="2"),
	]
	html = render(status="Answered", scores=scores, nps_score="9", weighted_score="55%")
	assert html.count("sc-box sc-on") == 3
	assert "55%" in html
