"""Errors raised by the domain core.

A core error carries an English message with positional ``{0}`` placeholders and the values
to put in them. The adapter (``service_control.utils.raise_domain_error``) translates the
message with ``_()`` and raises the matching ``frappe.ValidationError`` subclass, so the user
reads it in their own language and nothing is saved.
"""


def _(message: str) -> str:
	"""Mark a core message for translation extraction; the adapter translates it at raise time."""
	return message


class DomainError(ValueError):
	"""Base of every rule violation the core reports."""

	def __init__(self, message: str, *args: object) -> None:
		super().__init__(message.format(*args) if args else message)
		self.message = message
		self.args_ = args


class SettingsError(DomainError):
	pass


class TransitionError(DomainError):
	"""A status change that the state machine does not allow, or whose guard fails."""


class ComplaintError(DomainError):
	pass


class UnsupportedVersionError(DomainError):
	pass


class CompensationError(DomainError):
	pass


class DispositionError(DomainError):
	pass


class FrontDeskError(DomainError):
	pass
