"""The Jinja environment the site-free print-format tests render with: like Frappe's, it finds
``service_control/templates/...`` (the forms' shared macros) in the app package."""

from pathlib import Path

import jinja2

APP = Path(__file__).resolve().parent.parent / "service_control"


def print_env(undefined=jinja2.StrictUndefined) -> jinja2.Environment:
	loader = jinja2.PrefixLoader({"service_control": jinja2.FileSystemLoader(str(APP))})
	return jinja2.Environment(loader=loader, undefined=undefined)
