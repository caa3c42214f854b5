"""Install and migrate: small idempotent steps, safe to run on every migrate."""

import frappe
from frappe import _

from service_control.core.errors import UnsupportedVersionError
from service_control.core.versions import check_supported
from service_control.setup import accounting_dimension, custom_fields, defaults, indexes, roles, workflows
from service_control.setup.indicator_defaults import create_indicator_uoms
from service_control.setup.survey_defaults import create_default_survey_template


def check_versions() -> None:
	import erpnext

	try:
		check_supported("Frappe", frappe.__version__)
		check_supported("ERPNext", erpnext.__version__)
	except UnsupportedVersionError as e:
		frappe.throw(_(e.message).format(*e.args_), title=_("Unsupported version"))


def before_install() -> None:
	check_versions()


def before_migrate() -> None:
	check_versions()


def after_install() -> None:
	after_migrate()


def after_migrate() -> None:
	roles.create_roles()
	custom_fields.sync()
	defaults.create_complaint_categories()
	defaults.set_default_settings()
	defaults.set_default_targets()
	workflows.create_missing_workflows()
	create_default_survey_template()
	accounting_dimension.ensure_dimension()
	create_indicator_uoms()
	indexes.ensure_indexes()
