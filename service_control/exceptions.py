"""Frappe-side exceptions: each core error class maps to a frappe.ValidationError subclass."""

import frappe


class ServiceControlValidationError(frappe.ValidationError):
	pass


class SettingsValidationError(ServiceControlValidationError):
	pass


class ComplaintValidationError(ServiceControlValidationError):
	pass


class InvalidTransitionError(ServiceControlValidationError):
	pass


class CompensationValidationError(ServiceControlValidationError):
	pass


class DispositionValidationError(ServiceControlValidationError):
	pass
