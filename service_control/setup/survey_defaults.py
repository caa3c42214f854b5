"""A default bilingual satisfaction survey template (顾客满意度调查表), created only if missing."""

import frappe

DEFAULT_TEMPLATE = "Customer Satisfaction Survey"
#: (English, Chinese, weight): weights add up to 100
DEFAULT_CRITERIA = (
	("Product quality", "产品质量", 30),
	("Delivery on time", "交货及时性", 20),
	("Service and technical support", "服务与技术支持", 20),
	("Price", "价格", 15),
	("Communication and response", "沟通与响应", 15),
)


def create_default_survey_template() -> None:
	if frappe.db.exists("Satisfaction Survey Template", DEFAULT_TEMPLATE):
		return
	frappe.get_doc(
		{
			"doctype": "Satisfaction Survey Template",
			"template_name": DEFAULT_TEMPLATE,
			"scale": "1-5",
			"include_nps": 1,
			"intro_en": "To keep improving our products and service, please rate us on each point "
			"(1 = very dissatisfied, 5 = very satisfied).",
			"intro_zh": "为持续改进我们的产品和服务，请您对以下各项评分（1 = 非常不满意，5 = 非常满意）。",
			"criteria": [{"label_en": en, "label_zh": zh, "weight": w} for en, zh, w in DEFAULT_CRITERIA],
		}
	).insert(ignore_permissions=True)
