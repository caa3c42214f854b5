"""Delivery, acceptance, exceptional release and customer training: the rules, without Frappe.

交付和售后服务控制程序 4.2: the goods leave with the documents and accessories the contract
names, the customer checks them and signs the 货物交付验收清单 (Delivery Acceptance); engineers
train the customer's staff and the customer signs the 客户培训记录表 (Customer Training Record).
产品和服务放行控制程序 3.3: goods delivered before every planned inspection is complete need an
authorised approval and the customer's recorded consent (紧急放行, Exceptional Release).

The controllers read the Delivery Note (rows, serials, inspections) and pass plain values here;
every rule violation is a :class:`DeliveryError`, which the adapter translates and raises as a
``frappe.ValidationError`` before anything is written.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from service_control.core.errors import DomainError, _

#: The acceptance results, which are also the Delivery Note's acceptance status once submitted.
ACCEPTED = "Accepted"
ACCEPTED_WITH_REMARKS = "Accepted with Remarks"
REJECTED = "Rejected"
RESULTS = (ACCEPTED, ACCEPTED_WITH_REMARKS, REJECTED)
#: The Delivery Note's status from its submit until an acceptance is submitted (and again when
#: that acceptance is cancelled).
AWAITING_ACCEPTANCE = "Awaiting Acceptance"

#: The role that approves an exceptional release (质量部门 decides release).
RELEASE_APPROVER_ROLE = "Quality Manager"

#: A row's inspection state as the release records it.
QI_MISSING = "Missing"
QI_NOT_SUBMITTED = "Not Submitted"
QI_REJECTED = "Rejected"
QI_ACCEPTED = "Accepted"


class DeliveryError(DomainError):
	pass


def parse_serials(text: str | None) -> list[str]:
	"""Serial numbers typed one a line (or separated by commas), in order, without repeats."""
	out: list[str] = []
	for part in (text or "").replace(",", "\n").splitlines():
		serial = part.strip()
		if serial and serial not in out:
			out.append(serial)
	return out


@dataclass(frozen=True)
class DeliveredRow:
	"""One Delivery Note row as delivered: its item, stock qty, serials and batch."""

	item_code: str
	qty: float
	serials: frozenset[str] = frozenset()
	batch_no: str | None = None


@dataclass(frozen=True)
class ClaimedRow:
	"""A row of an acceptance or a release that names goods of the Delivery Note."""

	idx: int
	item_code: str
	qty: float
	serials: tuple[str, ...] = ()
	batch_no: str | None = None
	dn_detail: str | None = None


# ---- the Delivery Note ----------------------------------------------------------------------


def check_delivery_submitted(delivery_note: str, docstatus: int, is_return: bool) -> None:
	"""An acceptance or a training record refers to goods that left: a submitted delivery."""
	if docstatus == 0:
		raise DeliveryError(
			_("Delivery Note {0} is not submitted: the goods have not been delivered."), delivery_note
		)
	if docstatus == 2:
		raise DeliveryError(_("Delivery Note {0} is cancelled."), delivery_note)
	if is_return:
		raise DeliveryError(_("Delivery Note {0} is a return, not a delivery."), delivery_note)


def check_delivery_draft(delivery_note: str, docstatus: int, is_return: bool) -> None:
	"""An exceptional release is approved before the goods leave: the delivery is still a draft."""
	if docstatus == 1:
		raise DeliveryError(
			_("Delivery Note {0} is already submitted: an exceptional release is approved before delivery."),
			delivery_note,
		)
	if docstatus == 2:
		raise DeliveryError(_("Delivery Note {0} is cancelled."), delivery_note)
	if is_return:
		raise DeliveryError(_("Delivery Note {0} is a return, not a delivery."), delivery_note)


def check_same_customer(delivery_note: str, delivery_customer: str, customer: str) -> None:
	if customer and delivery_customer != customer:
		raise DeliveryError(
			_("Delivery Note {0} was made out to {1}, not to {2}."),
			delivery_note,
			delivery_customer,
			customer,
		)


def check_no_other_open(delivery_note: str, other: str | None, record: str) -> None:
	"""One open (draft or submitted) record of a kind per delivery; ``record`` names the kind."""
	if other:
		raise DeliveryError(
			_("Delivery Note {0} already has an open {1}: {2}. Cancel or delete it first."),
			delivery_note,
			record,
			other,
		)


def check_rows_on_delivery(
	rows: Iterable[ClaimedRow], delivered: dict[str, DeliveredRow], delivery_note: str
) -> None:
	"""Each row names goods of the delivery: its row (or an item on it), no more than was
	delivered, and only serial numbers (and the batch) that row delivered."""
	by_item: dict[str, list[DeliveredRow]] = {}
	for row in delivered.values():
		by_item.setdefault(row.item_code, []).append(row)
	for row in rows:
		if row.dn_detail:
			source = delivered.get(row.dn_detail)
			if source is None or source.item_code != row.item_code:
				raise DeliveryError(
					_("Row {0}: item {1} is not on Delivery Note {2}."), row.idx, row.item_code, delivery_note
				)
			sources = [source]
		else:
			sources = by_item.get(row.item_code) or []
			if not sources:
				raise DeliveryError(
					_("Row {0}: item {1} is not on Delivery Note {2}."), row.idx, row.item_code, delivery_note
				)
		delivered_qty = sum(s.qty for s in sources)
		if row.qty and row.qty > delivered_qty + 1e-9:
			raise DeliveryError(
				_("Row {0}: {1} of item {2} delivered, not {3}."),
				row.idx,
				delivered_qty,
				row.item_code,
				row.qty,
			)
		on_delivery = frozenset().union(*(s.serials for s in sources))
		missing = [s for s in row.serials if s not in on_delivery]
		if missing:
			raise DeliveryError(
				_("Row {0}: serial no {1} was not delivered on Delivery Note {2}."),
				row.idx,
				", ".join(missing),
				delivery_note,
			)
		if row.batch_no and row.batch_no not in {s.batch_no for s in sources}:
			raise DeliveryError(
				_("Row {0}: batch {1} was not delivered on Delivery Note {2}."),
				row.idx,
				row.batch_no,
				delivery_note,
			)


# ---- delivery acceptance --------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateRow:
	document: str
	category: str
	required_qty: float
	per_unit: bool = False


def checklist_from_templates(
	units_per_group: dict[str, float], templates: dict[str, Sequence[TemplateRow]]
) -> list[dict]:
	"""The checklist rows a delivery's item groups call for: each group's template rows, a
	per-unit row multiplied by the units of the group delivered. Groups without a template add
	nothing (their documents are added by hand, as contract lines may add rows)."""
	out = []
	for group, units in units_per_group.items():
		for row in templates.get(group) or ():
			out.append(
				{
					"item_group": group,
					"document": row.document,
					"category": row.category,
					"required_qty": row.required_qty * units if row.per_unit else row.required_qty,
					"from_template": 1,
				}
			)
	return out


def normalise_checklist_row(delivered: bool, delivered_qty: float, required_qty: float) -> tuple[bool, float]:
	"""Ticking *Delivered* with no quantity means the required quantity came; a quantity above
	zero means delivered."""
	if delivered and not delivered_qty:
		return True, required_qty or 1
	return bool(delivered_qty) or delivered, delivered_qty


def short_rows(rows: Iterable[tuple[int, str, float, float]]) -> list[tuple[int, str, float, float]]:
	"""(idx, document, required, delivered) of the checklist rows delivered short."""
	return [r for r in rows if (r[3] or 0) + 1e-9 < (r[2] or 0)]


def check_acceptance_complete(
	result: str | None,
	remarks: str | None,
	signer_name: str | None,
	signed_on: object,
	signature: str | None,
	short: Sequence[tuple[int, str, float, float]],
) -> None:
	"""What a signed 货物交付验收清单 needs: the customer's result, remarks unless plainly
	accepted, and who signed, when, with the signature. A checklist delivered short cannot be
	plainly accepted: the customer accepts it with remarks or rejects it."""
	if result not in RESULTS:
		raise DeliveryError(_("Record the customer's inspection result."))
	if result != ACCEPTED and not (remarks or "").strip():
		raise DeliveryError(_("Record the customer's remarks for a result of {0}."), result)
	if result == ACCEPTED and short:
		idx, document, required, delivered = short[0]
		raise DeliveryError(
			_("Row {0}: {1} delivered {2} of {3}; accept with remarks or reject the delivery."),
			idx,
			document,
			delivered or 0,
			required,
		)
	if not (signer_name or "").strip() or not signed_on or not signature:
		raise DeliveryError(_("The customer's signer, signing date and signature are required."))


#: A drawn signature as Frappe's Signature control stores it (jSignature's PNG data URL); the
#: largest accepted, far above a pad's drawing, so a portal post cannot fill the column.
SIGNATURE_PREFIX = "data:image/png;base64,"
SIGNATURE_MAX_LENGTH = 500_000


def check_signature_image(signature: str | None) -> None:
	"""A signature posted from the portal is a drawn PNG, not a link or markup."""
	if not signature:
		return
	if not signature.startswith(SIGNATURE_PREFIX) or len(signature) > SIGNATURE_MAX_LENGTH:
		raise DeliveryError(_("The signature must be drawn on the signature pad."))


def check_can_sign(name: str, docstatus: int) -> None:
	"""The customer signs a draft acceptance once; a signed or cancelled one is read-only."""
	if docstatus == 1:
		raise DeliveryError(_("Delivery Acceptance {0} is already signed."), name)
	if docstatus == 2:
		raise DeliveryError(_("Delivery Acceptance {0} is cancelled."), name)


def delivery_status(result: str | None, submitted: bool) -> str:
	"""The Delivery Note's acceptance status while an acceptance is submitted (its result) or not."""
	return result if submitted and result in RESULTS else AWAITING_ACCEPTANCE


# ---- exceptional release --------------------------------------------------------------------


def inspection_state(quality_inspection: str | None, docstatus: int | None, status: str | None) -> str:
	if not quality_inspection:
		return QI_MISSING
	if docstatus != 1:
		return QI_NOT_SUBMITTED
	return QI_REJECTED if status == "Rejected" else QI_ACCEPTED


def check_release_rows(rows: Sequence[ClaimedRow], needs_release: dict[str, str], delivery_note: str) -> None:
	"""A release covers rows of the delivery whose item needs an inspection before delivery that
	is missing, not submitted or rejected (``needs_release``: dn_detail -> that state); a row
	already passed by its inspection needs no exception."""
	if not rows:
		raise DeliveryError(_("Name the goods released by exception."))
	for row in rows:
		if row.dn_detail not in needs_release:
			raise DeliveryError(
				_("Row {0}: item {1} on Delivery Note {2} does not wait for a quality inspection."),
				row.idx,
				row.item_code,
				delivery_note,
			)


def check_release_approver(approver: str, requester: str | None, approver_roles: Iterable[str]) -> None:
	if RELEASE_APPROVER_ROLE not in set(approver_roles):
		raise DeliveryError(_("Only a Quality Manager may approve an exceptional release."))
	if requester and approver == requester:
		raise DeliveryError(_("An exceptional release must be approved by someone other than its requester."))


def check_consent(given_by: str | None, given_on: object, method: str | None) -> None:
	if not (given_by or "").strip() or not given_on or not method:
		raise DeliveryError(_("Record the customer's consent: who gave it, when and how."))


def check_release_cancel(delivery_note: str, delivery_docstatus: int) -> None:
	"""Goods delivered under a release stay on record: cancel the delivery first."""
	if delivery_docstatus == 1:
		raise DeliveryError(
			_("Delivery Note {0} was delivered under this release; cancel the Delivery Note first."),
			delivery_note,
		)


def released_rows(delivery_rows: dict[str, DeliveredRow], release_rows: Iterable[ClaimedRow]) -> set[str]:
	"""The Delivery Note rows a submitted release lets pass the inspection check: the row it
	names, the same item, no more than released, only released serials and the released batch.
	A row changed after the approval (more qty, another serial or batch) is not covered."""
	by_detail = {r.dn_detail: r for r in release_rows if r.dn_detail}
	out = set()
	for detail, row in delivery_rows.items():
		released = by_detail.get(detail)
		if released is None or released.item_code != row.item_code:
			continue
		if released.qty and row.qty > released.qty + 1e-9:
			continue
		if not row.serials <= set(released.serials):
			continue
		if row.batch_no and released.batch_no and row.batch_no != released.batch_no:
			continue
		out.add(detail)
	return out


# ---- customer training ----------------------------------------------------------------------


@dataclass(frozen=True)
class Training:
	duration_hours: float
	trainers: Sequence[tuple[int, str | None, str | None]] = ()  # idx, user, employee
	trainees_attended: int = 0
	topics: int = 0
	evaluation: str | None = None
	signer_name: str | None = None
	signature: str | None = None
	signed_on: object = None


def check_training(record: Training, submitting: bool) -> None:
	if not record.duration_hours or record.duration_hours <= 0:
		raise DeliveryError(_("The training's duration must be more than zero hours."))
	if not record.trainers:
		raise DeliveryError(_("Name at least one trainer."))
	for idx, user, employee in record.trainers:
		if not (user or employee):
			raise DeliveryError(_("Trainers row {0}: choose the trainer's user or employee."), idx)
	if not record.topics:
		raise DeliveryError(_("List at least one training topic."))
	if submitting:
		if not record.trainees_attended:
			raise DeliveryError(_("At least one trainee must have attended."))
		if not record.evaluation:
			raise DeliveryError(_("Record the customer's evaluation of the training."))
		if not (record.signer_name or "").strip() or not record.signed_on or not record.signature:
			raise DeliveryError(_("The customer's signer, signing date and signature are required."))


# ---- what is still outstanding --------------------------------------------------------------


def outstanding(acceptance_status: str | None, training_required: bool, trained: bool) -> tuple[bool, bool]:
	"""(awaits acceptance, awaits training) of a submitted delivery. A delivery made before the
	app tracked acceptance has no status and is not counted (nobody will sign for it now)."""
	return acceptance_status == AWAITING_ACCEPTANCE, bool(training_required) and not trained
