"""Who may open a record that only the people taking part in it see.

One rule for every such record type (the feedback handling form, the CAPA): a role of the record
type's see-all set opens every record; any other user opens only the records that name them in a
header field (investigator, CAPA owner, verifier, ...) or as the owner of one of its rows. An
empty name never matches. The frappe layer (``service_control.permissions``) applies the rule to a
loaded document and writes the same rule as the SQL condition of the record list.
"""

from collections.abc import Iterable


def sees_every(roles: Iterable[str], see_all_roles: Iterable[str]) -> bool:
	"""Does one of ``roles`` open every record of a type whose see-all roles are ``see_all_roles``."""
	return not set(see_all_roles).isdisjoint(roles)


def takes_part(
	user: str | None,
	roles: Iterable[str],
	see_all_roles: Iterable[str],
	header_users: Iterable[str | None],
	row_owners: Iterable[str | None],
) -> bool:
	"""May ``user`` open the record: always with a see-all role, else only if named in one of its
	``header_users`` or among its ``row_owners`` (an empty user or name never matches)."""
	if sees_every(roles, see_all_roles):
		return True
	if not user:
		return False
	return user in set(header_users) or user in set(row_owners)
