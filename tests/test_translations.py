"""Every user-facing string of the app has a Chinese translation, checked without a bench.

The strings are extracted the way Frappe looks them up:

* Python ``_("...")`` / ``frappe._("...")`` / ``_lt("...")`` with a string constant first argument,
  in every module except the tests; in service_control/core/ the ``_`` marker of core/errors.py
  marks the messages the adapter translates at raise time, and the string-constant arguments
  of a core error are translated there too (``throw_domain_error``);
* JavaScript ``__("...")``, ``__('...')`` and ``__(`...`)`` literals;
* Jinja ``_("...")`` in the .html templates (print formats, www pages, e-mails; ``__()`` in
  their inline scripts too) and in the ``html`` of the print format JSON.

Python and Jinja go through ``frappe._``, which looks up the message stripped of HTML tags and
surrounding blanks; ``__`` looks up the exact text.

Each string must be a source of service_control/translations/zh.csv or be listed in
tests/frappe_translated.txt: the app's strings that Frappe or ERPNext already translate into
Chinese (their zh.csv / zh.po). CI has no Frappe, so that list is committed; regenerate it on a
bench with ``python3 tests/test_translations.py --bench /home/frappe/frappe-bench``.
"""

import ast
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "service_control"
ZH_CSV = APP / "translations" / "zh.csv"
ALLOWLIST = Path(__file__).parent / "frappe_translated.txt"

PLACEHOLDER = re.compile(r"\{[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}|%(?:\(\w+\))?[sdf]")
HTML_TAGS = re.compile(r"<[^>]*>")  # frappe.utils.strip_html_tags
HTML_TAG = re.compile(r"<[^>]+>")  # frappe.utils.is_html
JINJA_CALL = re.compile(r"""(?<![\w.])_\(\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*[,)]""", re.S)
JS_CALL = re.compile(r"(?<![\w.$])__\(\s*")
JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def is_test_file(path: Path) -> bool:
	return path.name.startswith("test_") or "tests" in path.relative_to(APP).parts


def python_key(message: str) -> str:
	"""The key ``frappe._`` looks up for ``message``."""
	if HTML_TAG.search(message):
		message = HTML_TAGS.sub("", message)
	return message.strip()


def _is_translate_call(func: ast.expr) -> bool:
	if isinstance(func, ast.Name):
		return func.id in {"_", "_lt"}
	return (
		isinstance(func, ast.Attribute) and func.attr in {"_", "_lt"} and ast.unparse(func.value) == "frappe"
	)


def python_strings(path: Path) -> set[str]:
	out = set()
	in_core = "core" in path.relative_to(APP).parts[:1]
	for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
		if not isinstance(node, ast.Call):
			continue
		if _is_translate_call(node.func) and node.args:
			first = node.args[0]
			if isinstance(first, ast.Constant) and isinstance(first.value, str):
				out.add(first.value)
		elif in_core and isinstance(node.func, ast.Name) and node.func.id.endswith("Error"):
			# throw_domain_error translates the string arguments of a core error too
			for arg in node.args[1:]:
				if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
					out.add(arg.value)
	return {python_key(s) for s in out if python_key(s)}


def _read_js_literal(code: str, start: int) -> tuple[str, int] | None:
	"""The JS string literal starting at ``code[start]`` and the index after it (None if not one)."""
	quote = code[start : start + 1]
	if quote not in {'"', "'", "`"}:
		return None
	out, i = [], start + 1
	while i < len(code):
		ch = code[i]
		if ch == "\\":
			nxt = code[i + 1]
			if nxt == "u":
				out.append(chr(int(code[i + 2 : i + 6], 16)))
				i += 6
				continue
			out.append(JS_ESCAPES.get(nxt, "" if nxt == "\n" else nxt))
			i += 2
			continue
		if ch == quote:
			return "".join(out), i + 1
		if quote == "`" and code.startswith("${", i):
			return None  # an interpolated template literal is not a fixed message
		out.append(ch)
		i += 1
	raise ValueError(f"unterminated string literal at {start}")


def js_strings(code: str) -> set[str]:
	out = set()
	for match in JS_CALL.finditer(code):
		literal = _read_js_literal(code, match.end())
		if literal is None:
			continue
		text, end = literal
		rest = code[end:].lstrip()
		if rest[:1] in {",", ")"} and text:
			out.add(text)
	return out


def jinja_strings(template: str) -> set[str]:
	out = set()
	for match in JINJA_CALL.finditer(template):
		text = python_key(ast.literal_eval(match.group(1)))
		if text:
			out.add(text)
	return out


def app_strings() -> dict[str, set[str]]:
	"""Every translatable string of the app -> the files it comes from (relative paths)."""
	found: dict[str, set[str]] = {}

	def add(strings: set[str], path: Path) -> None:
		for s in strings:
			found.setdefault(s, set()).add(str(path.relative_to(ROOT)))

	for path in sorted(APP.rglob("*.py")):
		if not is_test_file(path):
			add(python_strings(path), path)
	for path in sorted(APP.rglob("*.js")):
		if "node_modules" not in path.parts and not path.name.endswith(".bundle.min.js"):
			add(js_strings(path.read_text(encoding="utf-8")), path)
	for path in sorted(APP.rglob("*.html")):
		text = path.read_text(encoding="utf-8")
		add(jinja_strings(text) | js_strings(text), path)  # Jinja, and __() in inline scripts
	for path in sorted(APP.glob("*/print_format/*/*.json")):
		add(jinja_strings(json.loads(path.read_text(encoding="utf-8")).get("html") or ""), path)
	return found


def read_zh() -> list[list[str]]:
	with ZH_CSV.open(encoding="utf-8", newline="") as f:
		return list(csv.reader(f))


def read_allowlist() -> set[str]:
	return {line for line in ALLOWLIST.read_text(encoding="utf-8").split("\n") if line}


def placeholders(text: str) -> list[str]:
	return sorted(PLACEHOLDER.findall(text))


# ------------------------------------------------------------------------------------------


STRINGS = app_strings()


def test_extraction_finds_the_app_strings():
	# guards the extractor itself: one string of each kind that must be found
	assert len(STRINGS) > 200
	sources = {Path(p).suffix for paths in STRINGS.values() for p in paths}
	# no print format JSON holds a literal: their bilingual labels print the English as it is
	assert {".py", ".js", ".html"} <= sources
	assert js_strings(
		"""__("a \\"b\\"", [x]); __('c'); __(`d`); __(`e ${x}`); __(doc.status); __("f" + g)"""
	) == {
		'a "b"',
		"c",
		"d",
	}
	assert jinja_strings(r"""{{ _("Hello") }} {{ _('It\'s', x) }} {{ _(doc.status) }} {{ __("x") }}""") == {
		"Hello",
		"It's",
	}
	assert python_key(" <b>Bold</b> text ") == "Bold text"


def app_doctypes() -> set[str]:
	return {
		json.loads(path.read_text(encoding="utf-8"))["name"]
		for path in (APP / "service_control" / "doctype").glob("*/*.json")
		if path.stem == path.parent.name
	}


def test_zh_csv_rows_are_well_formed():
	"""A context, where given, is one of the app's doctypes: the desk passes a field's doctype as
	the context of its label and Select options, and the print formats pass the record's."""
	rows = read_zh()
	assert rows, "zh.csv is empty"
	doctypes = app_doctypes()
	for number, row in enumerate(rows, 1):
		assert len(row) == 3, f"zh.csv line {number}: {len(row)} columns, want 3: {row}"
		source, translation, context = row
		assert source and translation.strip(), f"zh.csv line {number}: empty source or translation"
		assert context in doctypes | {
			""
		}, f"zh.csv line {number}: context {context!r} is no doctype of the app"
		assert source == source.strip(), f"zh.csv line {number}: source has surrounding blanks"


def test_zh_csv_has_no_duplicate_source():
	seen: dict[tuple[str, str], int] = {}
	for number, row in enumerate(read_zh(), 1):
		key = (row[0], row[2])
		assert key not in seen, f"zh.csv line {number} repeats line {seen[key]}: {row[0]!r}"
		seen[key] = number


def test_zh_csv_overrides_no_frappe_translation():
	"""App translations are merged into one table for the whole site, so a row without context
	for a word Frappe or ERPNext translate changes it on every form (ERPNext's Company label
	read 公司责任). Such a word takes a context, the doctype whose label or option means it."""
	overriding = sorted(row[0] for row in read_zh() if not row[2] and row[0] in read_allowlist())
	assert not overriding, "give these zh.csv rows the doctype as context: " + ", ".join(overriding)


def test_zh_csv_placeholders_match():
	bad = [
		(row[0], row[1])
		for row in read_zh()
		if len(row) >= 2 and placeholders(row[0]) != placeholders(row[1])
	]
	assert not bad, "placeholders differ between source and translation:\n" + "\n".join(
		f"  {s!r} -> {t!r}" for s, t in bad
	)


def test_allowlist_is_sorted_unique_lines():
	lines = [line for line in ALLOWLIST.read_text(encoding="utf-8").split("\n") if line]
	assert lines == sorted(set(lines)), "tests/frappe_translated.txt must be sorted and unique"


def doctype_strings() -> dict[str, set[str]]:
	"""The labels, descriptions and Select options of the app's doctypes, which the desk shows
	through ``__()`` (naming series and options without a letter, such as scales, are left out)."""
	out: dict[str, set[str]] = {}
	for path in (APP / "service_control" / "doctype").glob("*/*.json"):
		if path.stem != path.parent.name:
			continue
		for field in json.loads(path.read_text(encoding="utf-8"))["fields"]:
			texts = [field.get("label"), field.get("description")]
			if field.get("fieldtype") == "Select" and field.get("fieldname") != "naming_series":
				texts += (field.get("options") or "").split("\n")
			for text in texts:
				if text and re.search(r"[A-Za-z]", text):
					out.setdefault(text, set()).add(str(path.relative_to(ROOT)))
	return out


def test_every_doctype_label_is_translated():
	covered = {row[0] for row in read_zh() if row} | read_allowlist()
	missing = sorted(s for s in doctype_strings() if s not in covered)
	assert not missing, f"{len(missing)} doctype label(s) have no Chinese translation:\n" + "\n".join(
		f"  {s!r}" for s in missing
	)


def test_every_app_string_is_translated():
	translated = {row[0] for row in read_zh() if row and not row[2]}
	covered = translated | read_allowlist()
	missing = sorted(s for s in STRINGS if s not in covered)
	assert not missing, (
		f"{len(missing)} string(s) have no Chinese translation; append `source,译文,` rows to "
		"service_control/translations/zh.csv:\n"
		+ "\n".join(f"  {s!r}  ({', '.join(sorted(STRINGS[s]))})" for s in missing)
	)


# ------------------------------------------------------------------------------------------
# Regenerating the allowlist (needs a bench; not run by pytest)


def frappe_translated(bench: Path) -> set[str]:
	"""Sources Frappe and ERPNext translate into zh (CSV rows without context, zh.po entries)."""
	out = set()
	for app in ("frappe", "erpnext"):
		path = bench / "apps" / app / app / "translations" / "zh.csv"
		if path.exists():
			with path.open(encoding="utf-8", newline="") as f:
				for row in csv.reader(f):
					if len(row) >= 2 and row[1].strip() and (len(row) == 2 or not row[2]):
						out.add(row[0])
		po = bench / "apps" / app / app / "locale" / "zh.po"
		if po.exists():
			from babel.messages.pofile import read_po

			with po.open("rb") as f:
				for message in read_po(f):
					if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
						out.add(message.id)
	return out


def main(argv: list[str]) -> None:
	bench = Path(argv[argv.index("--bench") + 1]) if "--bench" in argv else Path("/home/frappe/frappe-bench")
	known = frappe_translated(bench)
	ours = set(STRINGS) | set(doctype_strings()) | {row[0] for row in read_zh()}
	lines = sorted(s for s in ours if s in known and "\n" not in s)
	ALLOWLIST.write_text("".join(f"{s}\n" for s in lines), encoding="utf-8")
	print(f"{len(lines)} of {len(ours)} app strings are translated by Frappe/ERPNext -> {ALLOWLIST}")


if __name__ == "__main__":
	main(sys.argv)
