"""Site-free tests of service_control.core.access: who opens a record seen only by its participants."""

from hypothesis import given
from hypothesis import strategies as st

from service_control.core import access
from service_control.core import capa as c
from service_control.core import feedback as f

SEE_ALL = frozenset({"Quality Manager", "System Manager"})
PEOPLE = ["a@x", "b@x", "c@x", "d@x"]
names = st.sampled_from([*PEOPLE, None, ""])
users = st.sampled_from([*PEOPLE, ""])
plain_roles = st.lists(st.sampled_from(["Employee", "Service Technician", "Sales User"]), max_size=3)


@given(users, plain_roles, st.lists(names, max_size=3), st.lists(names, max_size=4))
def test_without_a_see_all_role_a_user_opens_only_what_names_them(user, roles, headers, rows):
	named = {n for n in [*headers, *rows] if n}
	assert access.takes_part(user, roles, SEE_ALL, headers, rows) == (user in named)


@given(users, plain_roles, st.sampled_from(sorted(SEE_ALL)), st.lists(names), st.lists(names))
def test_a_see_all_role_opens_every_record(user, roles, role, headers, rows):
	assert access.sees_every([*roles, role], SEE_ALL)
	assert access.takes_part(user, [*roles, role], SEE_ALL, headers, rows)


@given(plain_roles, st.lists(st.sampled_from([None, ""]), max_size=3), st.lists(st.sampled_from([None, ""])))
def test_an_empty_name_never_matches(roles, headers, rows):
	assert not access.sees_every(roles, SEE_ALL)
	for user in ("", None):
		assert not access.takes_part(user, roles, SEE_ALL, headers, rows)


@given(users, plain_roles, st.lists(names, max_size=3), st.lists(names, max_size=4), st.randoms())
def test_order_and_repeats_do_not_matter(user, roles, headers, rows, rnd):
	expected = access.takes_part(user, roles, SEE_ALL, headers, rows)
	shuffled = rows * 2
	rnd.shuffle(shuffled)
	assert access.takes_part(user, roles, SEE_ALL, tuple(reversed(headers)), iter(shuffled)) == expected


def test_a_header_name_and_a_row_owner_each_suffice():
	assert access.takes_part("a@x", ["Employee"], SEE_ALL, ["a@x", None], [])
	assert access.takes_part("a@x", ["Employee"], SEE_ALL, [None, ""], ["b@x", "a@x"])
	assert not access.takes_part("a@x", ["Employee"], SEE_ALL, ["b@x"], ["c@x", None])
	assert not access.takes_part("a@x", [], frozenset(), [], [])


def test_each_record_type_keeps_its_own_see_all_roles():
	assert f.sees_every_form(["General Manager"]) and c.sees_every_capa(["General Manager"])
	assert c.sees_every_capa(["Customer Service User"]) and f.sees_every_form(["Customer Service User"])
	for roles in (["Employee"], ["Service Technician"], []):
		assert not f.sees_every_form(roles) and not c.sees_every_capa(roles)
	assert f.sees_every_form(f.SEE_ALL_ROLES) and c.sees_every_capa(c.SEE_ALL_ROLES)
