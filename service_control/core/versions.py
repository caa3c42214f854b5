"""Which Frappe / ERPNext versions this release supports."""

from service_control.core.errors import UnsupportedVersionError, _

SUPPORTED_MAJOR = 15


def major_of(version: str) -> int | None:
	head = (version or "").strip().lstrip("v").split(".", 1)[0]
	return int(head) if head.isdigit() else None


def check_supported(app: str, version: str) -> None:
	"""Stop install / migrate on an app outside 15.x: the doctypes and hooks target v15 only."""
	if major_of(version) != SUPPORTED_MAJOR:
		raise UnsupportedVersionError(
			_("service_control supports {0} {1}.x only; this bench has {0} {2}."),
			app,
			SUPPORTED_MAJOR,
			version or "?",
		)
