"""Site-free checks of the delivery prints: 货物交付验收清单, 客户培训记录表, 紧急放行单."""

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from print_env import print_env

MODULE_DIR = Path(__file__).resolve().parent.parent / "service_control" / "service_control"
FORMATS = {
	"delivery_acceptance_list": ("Delivery Acceptance", "货物交付验收清单"),
	"customer_training_form": ("Customer Training Record", "客户培训记录表"),
	"exceptional_release_form": ("Exceptional Release", "紧急放行单"),
}
EVIL = 'Wang & Sons <script>alert("x")</script>'


class Row(dict):
	__getattr__ = dict.get

	def get_formatted(self, fieldname):
		value = self.get(fieldname)
		if isinstance(value, datetime):
			return value.strftime("%Y-%m-%d %H:%M")
		return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else value


class Doc(Row):
	"""A document whose child table is named ``items`` (a dict's own ``items`` would shadow it)."""

	def __getattribute__(self, name):
		if name == "items":
			return self.get("items")
		return super().__getattribute__(name)


def fields(doctype: str) -> list[str]:
	folder = doctype.lower().replace(" ", "_")
	return [
		f["fieldname"]
		for f in json.loads((MODULE_DIR / "doctype" / folder / f"{folder}.json").read_text())["fields"]
	]


DOCS = {
	"delivery_acceptance_list": {
		"delivery_note": "MAT-DN-2026-00001",
		"delivery_date": date(2026, 12, 1),
		"items": [Row(idx=1, item_code="PUMP", item_name="Pump <X>", qty=2, serial_no="S1\nS2")],
		"checklist": [
			Row(
				idx=1,
				document="User manual",
				category="Document",
				required_qty=1,
				delivered=1,
				delivered_qty=1,
			),
			Row(
				idx=2,
				document="Cable <1m>",
				category="Accessory",
				required_qty=2,
				delivered=0,
				delivered_qty=0,
			),
		],
		"result": "Accepted with Remarks",
		"remarks": "Cable missing <later>",
		"signer_name": "Zhang Wei",
		"signed_on": date(2026, 12, 2),
		"signature": "data:image/png;base64,iVBOR",
	},
	"customer_training_form": {
		"delivery_note": "MAT-DN-2026-00001",
		"serial_no": "S1",
		"training_date": date(2026, 12, 3),
		"duration_hours": 3,
		"trainers": [Row(trainer_name="Li <Tech>")],
		"topics": [Row(idx=1, topic="Safe operation", covered=1)],
		"trainees": [Row(idx=1, trainee_name="Chen <Jie>", position="Operator", attended=1)],
		"evaluation": "Good",
		"signer_name": "Zhang Wei",
		"signature": 'javascript:alert("x")',
	},
	"exceptional_release_form": {
		"delivery_note": "MAT-DN-2026-00002",
		"requested_by": "cs@example.com",
		"reason": "Line stopped <urgent>",
		"items": [Row(idx=1, item_code="PUMP", qty=1, serial_no="S3", inspection_status="Missing")],
		"consent_given_by": "Li Na",
		"consent_on": datetime(2026, 12, 1, 9, 0),
		"consent_method": "E-mail",
		"approved_by": "qm@example.com",
		"approved_on": datetime(2026, 12, 1, 10, 0),
		"follow_up": "Inspect on site",
	},
}


def render(folder: str) -> str:
	jinja2 = pytest.importorskip("jinja2")
	doctype, _title = FORMATS[folder]
	template = (MODULE_DIR / "print_format" / folder / f"{folder}.html").read_text()
	doc = Doc(
		{
			**dict.fromkeys(fields(doctype)),
			"name": "X-2026-00001",
			"company": "ACME <Tools>",
			"customer": "CUST-1",
			"customer_name": EVIL,
			**DOCS[folder],
		}
	)
	env = print_env(undefined=jinja2.StrictUndefined)
	return env.from_string(template).render(
		doc=doc, _=lambda t: t, letter_head="<div>LH</div>", no_letterhead=0
	)


@pytest.mark.parametrize("folder", FORMATS)
def test_json_matches_template(folder):
	data = json.loads((MODULE_DIR / "print_format" / folder / f"{folder}.json").read_text())
	assert data["html"] == (MODULE_DIR / "print_format" / folder / f"{folder}.html").read_text()
	assert (data["doc_type"], data["standard"], data["print_format_type"]) == (
		FORMATS[folder][0],
		"Yes",
		"Jinja",
	)


@pytest.mark.parametrize("folder", FORMATS)
def test_renders_bilingual_and_escapes(folder):
	html = render(folder)
	assert FORMATS[folder][1] in html
	assert "<script>" not in html and "Wang &amp; Sons &lt;script&gt;" in html
	assert "ACME &lt;Tools&gt;" in html


def test_acceptance_prints_the_checklist_and_the_signature_image():
	html = render("delivery_acceptance_list")
	assert "Cable &lt;1m&gt;" in html and "☐" in html and "☑" in html
	assert '<img class="sc-signature" src="data:image/png;base64,iVBOR">' in html
	assert "S1\nS2" in html


def test_training_prints_no_signature_that_is_not_an_image():
	html = render("customer_training_form")
	assert "javascript:" not in html
	assert "Chen &lt;Jie&gt;" in html and "Li &lt;Tech&gt;" in html


def test_release_prints_consent_and_approval():
	html = render("exceptional_release_form")
	for text in ("Li Na", "qm@example.com", "Line stopped &lt;urgent&gt;", "Missing"):
		assert text in html
