"""Static checks of the Frappe artifacts, without a bench: a broken doctype fails CI, not a migrate."""

import ast
import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "service_control"
MODULE_DIR = APP / "service_control"
MODULE = "Service Control"
KNOWN_EXTERNAL = {
	line.strip()
	for line in (Path(__file__).parent / "frappe_doctypes.txt").read_text().splitlines()
	if line.strip() and not line.startswith("#")
}
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
LAYOUT_TYPES = {"Section Break", "Column Break", "Tab Break"}


def scrub(name: str) -> str:
	return name.lower().replace(" ", "_").replace("-", "_")


def load_all(kind: str) -> list[tuple[Path, dict]]:
	out = []
	for folder in sorted((MODULE_DIR / kind).glob("*/")):
		if folder.name == "__pycache__":  # left by running the folder's tests on a bench
			continue
		path = folder / f"{folder.name}.json"
		assert path.exists(), f"{folder} has no {path.name}"
		out.append((path, json.loads(path.read_text())))
	return out


DOCTYPES = load_all("doctype")
APP_DOCTYPES = {d["name"] for _p, d in DOCTYPES}


def test_modules_txt_names_one_module():
	assert (APP / "modules.txt").read_text().split() == ["Service", "Control"]


@pytest.mark.parametrize(
	"kind", ["doctype", "report", "workspace", "print_format", "web_form", "number_card", "dashboard_chart"]
)
def test_json_matches_folder_and_module(kind):
	for path, data in load_all(kind) if (MODULE_DIR / kind).exists() else []:
		assert scrub(data["name"]) == path.parent.name, path
		assert data.get("module") == MODULE, path


@pytest.mark.parametrize("path,data", DOCTYPES, ids=[d["name"] for _p, d in DOCTYPES])
def test_doctype_fields(path, data):
	names = [f["fieldname"] for f in data["fields"]]
	assert len(names) == len(set(names)), f"duplicate fieldnames in {path}"
	assert data["field_order"] == names, f"field_order out of step in {path}"
	for field in data["fields"]:
		assert SNAKE.match(field["fieldname"]), field["fieldname"]
		ftype = field["fieldtype"]
		if ftype in ("Link", "Table", "Table MultiSelect"):
			target = field.get("options")
			assert target in APP_DOCTYPES | KNOWN_EXTERNAL, f"{path.name}: {field['fieldname']} -> {target}"
		if ftype == "Dynamic Link":
			assert field.get("options") in names, f"{path.name}: {field['fieldname']} needs a Link field"
		if ftype in ("Table", "Table MultiSelect") and field["options"] in APP_DOCTYPES:
			child = next(d for _p, d in DOCTYPES if d["name"] == field["options"])
			assert child.get("istable"), f"{field['options']} is used as a table but is not a child doctype"
		if ftype == "Select" and field.get("default"):
			assert field["default"] in field["options"].split("\n"), field["fieldname"]
		if field.get("fetch_from"):
			link = field["fetch_from"].split(".")[0]
			assert link in names, f"{path.name}: fetch_from {field['fetch_from']}"
	for key in ("title_field", "search_fields", "nsm_parent_field"):
		for name in filter(None, (data.get(key) or "").split(",")):
			assert name.strip() in names, f"{path.name}: {key} {name}"
	if not data.get("istable"):
		assert data["permissions"], f"{path.name} has no permissions"


@pytest.mark.parametrize("path,data", DOCTYPES, ids=[d["name"] for _p, d in DOCTYPES])
def test_controller_class_matches_doctype(path, data):
	controller = path.with_suffix(".py")
	assert controller.exists(), controller
	tree = ast.parse(controller.read_text())
	classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
	assert data["name"].replace(" ", "").replace("-", "") in classes, controller
	if data.get("is_tree"):
		assert data.get("nsm_parent_field")


def test_non_child_doctypes_have_tests():
	for path, data in DOCTYPES:
		if not data.get("istable"):
			assert (path.parent / f"test_{path.parent.name}.py").exists(), f"{data['name']} has no test file"


def resolve_dotted(dotted: str) -> bool:
	"""True when ``a.b.c.func`` names a top-level def/class in service_control (parsed, not imported)."""
	parts = dotted.split(".")
	for cut in range(len(parts) - 1, 0, -1):
		module = ROOT.joinpath(*parts[:cut])
		for candidate in (module.with_suffix(".py"), module / "__init__.py"):
			if candidate.exists():
				rest = parts[cut:]
				if len(rest) != 1:
					return False
				tree = ast.parse(candidate.read_text())
				return any(
					isinstance(n, ast.FunctionDef | ast.ClassDef) and n.name == rest[0] for n in tree.body
				)
	return False


def hooks_paths() -> list[str]:
	tree = ast.parse((APP / "hooks.py").read_text())
	found = []
	for node in ast.walk(tree):
		if (
			isinstance(node, ast.Constant)
			and isinstance(node.value, str)
			and node.value.startswith("service_control.")
		):
			found.append(node.value)
	return found


def test_hooks_paths_resolve():
	paths = hooks_paths()
	assert paths
	for dotted in paths:
		assert resolve_dotted(dotted), f"hooks.py: {dotted} does not resolve"


def test_patches_resolve():
	"""Each patch module in patches.txt has an ``execute``; each ``execute:`` line parses."""
	lines = [
		line.split("#")[0].strip()
		for line in (APP / "patches.txt").read_text().splitlines()
		if line.strip() and not line.startswith(("#", "["))
	]
	assert lines
	for line in lines:
		if line.startswith("execute:"):
			ast.parse(line.removeprefix("execute:"))
			for dotted in re.findall(r"from (service_control[\w.]*) import (\w+)", line):
				assert resolve_dotted(".".join(dotted)), f"patches.txt: {line}"
		else:
			assert resolve_dotted(f"{line}.execute"), f"patches.txt: {line} has no execute()"


def test_json_dotted_paths_resolve():
	for path in MODULE_DIR.rglob("*.json"):
		text = path.read_text()
		for dotted in re.findall(r'"(service_control\.[a-zA-Z0-9_.]+)"', text):
			assert resolve_dotted(dotted), f"{path}: {dotted}"


def test_no_fstrings_in_translations():
	for path in APP.rglob("*.py"):
		tree = ast.parse(path.read_text())
		for node in ast.walk(tree):
			if (
				isinstance(node, ast.Call)
				and isinstance(node.func, ast.Name)
				and node.func.id == "_"
				and node.args
			):
				assert not isinstance(node.args[0], ast.JoinedStr), f"{path}:{node.lineno} f-string in _()"


def test_translations_csv_parses():
	rows = list(csv.reader((APP / "translations" / "zh.csv").open(encoding="utf-8")))
	assert rows
	for row in rows:
		assert len(row) >= 2 and row[0] and row[1], row
	keys = [(r[0], r[2] if len(r) > 2 else "") for r in rows]
	assert len(keys) == len(set(keys)), "duplicate source strings (in one context) in zh.csv"


def test_workflow_states_are_status_options():
	from service_control.setup.workflow_specs import APP_WORKFLOWS

	for spec in APP_WORKFLOWS:
		data = next(d for _p, d in DOCTYPES if d["name"] == spec["document_type"])
		field = next(f for f in data["fields"] if f["fieldname"] == spec["workflow_state_field"])
		options = set(field["options"].split("\n"))
		states = {s for s, _role in spec["states"]}
		assert states <= options
		for state, _action, nxt, _role, _cond in spec["transitions"]:
			assert state in states and nxt in states


def test_core_imports_without_frappe():
	"""The domain core must import in an interpreter where frappe cannot be imported."""
	modules = [p.stem for p in (APP / "core").glob("*.py") if p.stem != "__init__"]
	code = (
		"import sys\n"
		"class Block:\n"
		"    def find_spec(self, name, path=None, target=None):\n"
		"        if name.split('.')[0] in ('frappe', 'erpnext'):\n"
		"            raise ImportError('blocked: ' + name)\n"
		"sys.meta_path.insert(0, Block())\n"
		+ "".join(f"import service_control.core.{m}\n" for m in modules)
		+ "print('ok')\n"
	)
	result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
	assert result.returncode == 0, result.stderr
	assert result.stdout.strip() == "ok"


#: Field types frappe.types.DF has no type for (Frappe 15): the exporter leaves them out.
UNTYPED_FIELDTYPES = {"Button", "Fold", "Geolocation", "Heading", "HTML", "Icon", "Image", "Signature"}


@pytest.mark.parametrize("path,data", DOCTYPES, ids=[d["name"] for _p, d in DOCTYPES])
def test_controller_declares_its_fields(path, data):
	"""export_python_type_annotations is on: each controller carries Frappe's type block, with
	every value field of the JSON in it (a field added without re-exporting fails here)."""
	source = path.with_suffix(".py").read_text()
	assert "# begin: auto-generated types" in source and "# end: auto-generated types" in source, path
	block = source.split("# begin: auto-generated types")[1].split("# end: auto-generated types")[0]
	for field in data["fields"]:
		if field["fieldtype"] not in LAYOUT_TYPES | UNTYPED_FIELDTYPES:
			assert re.search(
				rf"^\s+{field['fieldname']}: ", block, re.M
			), f"{path.name}: {field['fieldname']}"


def test_test_ignore_covers_every_external_link_target():
	"""Frappe's runner makes test records for every doctype a tested doctype links to, unless the
	module's ``test_ignore`` names it; ERPNext's records need a company this site does not have."""
	tree = ast.parse((APP / "tests" / "utils.py").read_text())
	ignored = next(
		ast.literal_eval(node.value)
		for node in tree.body
		if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "TEST_IGNORE"
	)
	assert KNOWN_EXTERNAL <= set(ignored), sorted(KNOWN_EXTERNAL - set(ignored))
