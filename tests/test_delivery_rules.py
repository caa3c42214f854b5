"""The delivery rules (service_control.core.delivery), without a site."""

from datetime import date

import pytest

from service_control.core import delivery as rules
from service_control.core.delivery import ClaimedRow, DeliveredRow, DeliveryError

DELIVERED = {
	"r1": DeliveredRow("PUMP", 2, frozenset({"S1", "S2"})),
	"r2": DeliveredRow("SEAL", 10, frozenset(), "B-7"),
}


def test_parse_serials_keeps_order_and_drops_repeats():
	assert rules.parse_serials(" S1\nS2, S1\n\nS3 ") == ["S1", "S2", "S3"]
	assert rules.parse_serials(None) == []


@pytest.mark.parametrize(
	"docstatus,is_return,message",
	[(0, 0, "not submitted"), (2, 0, "cancelled"), (1, 1, "return")],
)
def test_acceptance_needs_a_submitted_delivery(docstatus, is_return, message):
	with pytest.raises(DeliveryError, match=message):
		rules.check_delivery_submitted("DN-1", docstatus, is_return)
	rules.check_delivery_submitted("DN-1", 1, 0)


def test_release_needs_a_draft_delivery():
	rules.check_delivery_draft("DN-1", 0, 0)
	for docstatus, message in ((1, "already submitted"), (2, "cancelled")):
		with pytest.raises(DeliveryError, match=message):
			rules.check_delivery_draft("DN-1", docstatus, 0)


def test_a_second_open_record_is_refused():
	rules.check_no_other_open("DN-1", None, "Delivery Acceptance")
	with pytest.raises(DeliveryError, match="DA-1"):
		rules.check_no_other_open("DN-1", "DA-1", "Delivery Acceptance")


@pytest.mark.parametrize(
	"row,message",
	[
		(ClaimedRow(1, "PUMP", 1, ("S3",), dn_detail="r1"), "serial no S3"),
		(ClaimedRow(1, "PUMP", 3, (), dn_detail="r1"), "2 of item PUMP delivered, not 3"),
		(ClaimedRow(1, "SEAL", 1, (), dn_detail="r1"), "not on Delivery Note"),
		(ClaimedRow(1, "VALVE", 1), "not on Delivery Note"),
		(ClaimedRow(1, "SEAL", 1, (), "B-8"), "batch B-8"),
	],
)
def test_rows_must_name_goods_of_the_delivery(row, message):
	with pytest.raises(DeliveryError, match=message):
		rules.check_rows_on_delivery([row], DELIVERED, "DN-1")


def test_rows_of_the_delivery_pass():
	rules.check_rows_on_delivery(
		[ClaimedRow(1, "PUMP", 2, ("S1", "S2"), dn_detail="r1"), ClaimedRow(2, "SEAL", 4, (), "B-7")],
		DELIVERED,
		"DN-1",
	)


def test_checklist_from_templates_multiplies_per_unit_rows():
	templates = {
		"Pumps": [
			rules.TemplateRow("Manual", "Document", 1),
			rules.TemplateRow("Warranty card", "Document", 1, True),
		]
	}
	rows = rules.checklist_from_templates({"Pumps": 3, "Seals": 10}, templates)
	assert [(r["document"], r["required_qty"], r["item_group"]) for r in rows] == [
		("Manual", 1, "Pumps"),
		("Warranty card", 3, "Pumps"),
	]


def test_checklist_row_normalised():
	assert rules.normalise_checklist_row(True, 0, 2) == (True, 2)
	assert rules.normalise_checklist_row(False, 1, 2) == (True, 1)
	assert rules.normalise_checklist_row(False, 0, 2) == (False, 0)


SIGNED = {"signer_name": "Zhang", "signed_on": date(2026, 12, 1), "signature": "data:image/png;base64,x"}


def test_acceptance_complete():
	rules.check_acceptance_complete("Accepted", None, short=[], **SIGNED)
	rules.check_acceptance_complete(
		"Accepted with Remarks", "Box dented", short=[(1, "Manual", 1, 0)], **SIGNED
	)
	with pytest.raises(DeliveryError, match="inspection result"):
		rules.check_acceptance_complete(None, None, short=[], **SIGNED)
	with pytest.raises(DeliveryError, match="remarks"):
		rules.check_acceptance_complete("Rejected", " ", short=[], **SIGNED)
	with pytest.raises(DeliveryError, match="Manual delivered 0 of 1"):
		rules.check_acceptance_complete("Accepted", None, short=[(1, "Manual", 1, 0)], **SIGNED)
	with pytest.raises(DeliveryError, match="signature"):
		rules.check_acceptance_complete("Accepted", None, short=[], **{**SIGNED, "signature": None})


def test_short_rows():
	assert rules.short_rows([(1, "a", 2, 2), (2, "b", 2, 1), (3, "c", 0, 0)]) == [(2, "b", 2, 1)]


def test_delivery_status_follows_the_submitted_result():
	assert rules.delivery_status("Rejected", submitted=True) == "Rejected"
	assert rules.delivery_status("Rejected", submitted=False) == rules.AWAITING_ACCEPTANCE


def test_inspection_state():
	assert rules.inspection_state(None, None, None) == rules.QI_MISSING
	assert rules.inspection_state("QI-1", 0, "Accepted") == rules.QI_NOT_SUBMITTED
	assert rules.inspection_state("QI-1", 1, "Rejected") == rules.QI_REJECTED
	assert rules.inspection_state("QI-1", 1, "Accepted") == rules.QI_ACCEPTED


def test_release_rows_must_wait_for_an_inspection():
	with pytest.raises(DeliveryError, match="Name the goods"):
		rules.check_release_rows([], {"r1": "Missing"}, "DN-1")
	with pytest.raises(DeliveryError, match="does not wait"):
		rules.check_release_rows([ClaimedRow(1, "SEAL", 1, dn_detail="r2")], {"r1": "Missing"}, "DN-1")
	rules.check_release_rows([ClaimedRow(1, "PUMP", 2, dn_detail="r1")], {"r1": "Missing"}, "DN-1")


def test_release_approver():
	rules.check_release_approver("qm@x", "cs@x", ["Quality Manager"])
	with pytest.raises(DeliveryError, match="Only a Quality Manager"):
		rules.check_release_approver("cs2@x", "cs@x", ["Stock User"])
	with pytest.raises(DeliveryError, match="other than its requester"):
		rules.check_release_approver("qm@x", "qm@x", ["Quality Manager"])


def test_release_cancel_and_consent():
	rules.check_release_cancel("DN-1", 0)
	rules.check_release_cancel("DN-1", 2)
	with pytest.raises(DeliveryError, match="cancel the Delivery Note first"):
		rules.check_release_cancel("DN-1", 1)
	with pytest.raises(DeliveryError, match="consent"):
		rules.check_consent("Li", None, "E-mail")


@pytest.mark.parametrize(
	"delivered,covered",
	[
		(DeliveredRow("PUMP", 2, frozenset({"S1", "S2"})), True),
		(DeliveredRow("PUMP", 1, frozenset({"S1"})), True),
		(DeliveredRow("PUMP", 3, frozenset({"S1", "S2", "S3"})), False),  # more than released
		(DeliveredRow("PUMP", 2, frozenset({"S1", "S9"})), False),  # another serial
		(DeliveredRow("SEAL", 2, frozenset()), False),  # another item on the row
	],
)
def test_released_rows_cover_only_what_was_approved(delivered, covered):
	release = [ClaimedRow(1, "PUMP", 2, ("S1", "S2"), dn_detail="r1")]
	assert (rules.released_rows({"r1": delivered}, release) == {"r1"}) is covered


def test_released_rows_check_the_batch():
	release = [ClaimedRow(1, "SEAL", 10, (), "B-7", "r2")]
	assert rules.released_rows({"r2": DeliveredRow("SEAL", 10, frozenset(), "B-7")}, release) == {"r2"}
	assert rules.released_rows({"r2": DeliveredRow("SEAL", 10, frozenset(), "B-8")}, release) == set()


def training(**kwargs):
	base = {
		"duration_hours": 2,
		"trainers": [(1, "tech@x", None)],
		"trainees_attended": 1,
		"topics": 2,
		"evaluation": "Good",
		"signer_name": "Zhang",
		"signature": "data:x",
		"signed_on": date(2026, 12, 1),
	}
	return rules.Training(**{**base, **kwargs})


@pytest.mark.parametrize(
	"kwargs,submitting,message",
	[
		({"duration_hours": 0}, False, "more than zero"),
		({"trainers": []}, False, "at least one trainer"),
		({"trainers": [(2, None, None)]}, False, "row 2"),
		({"topics": 0}, False, "topic"),
		({"trainees_attended": 0}, True, "attended"),
		({"evaluation": None}, True, "evaluation"),
		({"signature": None}, True, "signature"),
	],
)
def test_training_rules(kwargs, submitting, message):
	with pytest.raises(DeliveryError, match=message):
		rules.check_training(training(**kwargs), submitting)


def test_training_draft_needs_no_signature():
	rules.check_training(training(evaluation=None, signature=None, trainees_attended=0), submitting=False)
	rules.check_training(training(), submitting=True)


@pytest.mark.parametrize("status", [None, "Awaiting Acceptance", "Accepted", "Rejected"])
@pytest.mark.parametrize("required", [False, True])
@pytest.mark.parametrize("trained", [False, True])
def test_outstanding(status, required, trained):
	acceptance, training_due = rules.outstanding(status, required, trained)
	assert acceptance is (status == "Awaiting Acceptance")
	assert training_due is (required and not trained)


def test_portal_signature_must_be_a_drawn_png():
	rules.check_signature_image("data:image/png;base64,iVBORw0KGgo=")
	rules.check_signature_image(None)  # a missing signature is check_acceptance_complete's
	for bad in ("javascript:alert(1)", "https://evil.example/sig.png", "data:image/svg+xml;base64,PHN2Zz4="):
		with pytest.raises(DeliveryError, match="signature pad"):
			rules.check_signature_image(bad)
	with pytest.raises(DeliveryError, match="signature pad"):
		rules.check_signature_image(rules.SIGNATURE_PREFIX + "A" * rules.SIGNATURE_MAX_LENGTH)


@pytest.mark.parametrize("docstatus,message", [(1, "already signed"), (2, "cancelled")])
def test_only_a_draft_acceptance_is_signed(docstatus, message):
	rules.check_can_sign("DA-1", 0)
	with pytest.raises(DeliveryError, match=message):
		rules.check_can_sign("DA-1", docstatus)
