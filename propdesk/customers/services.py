"""Every change to customers, households and their phone numbers goes through these functions.

Each is atomic, checks the actor's permission (``customer.edit``), raises a DomainError naming the
field at fault, saves with ``update_fields`` and leaves an audit row (django-simple-history).
The roster import lives in ``roster.py``.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.lifecycle import check_version
from propdesk.core.permissions import require
from propdesk.core.phones import normalize_phone, try_normalize_phone
from propdesk.core.scoping import can_see_office

from .models import Customer, CustomerPhone, Household, Residence, Unit

# What separates several numbers typed in one box or one spreadsheet cell; spaces too, unless
# they only group the digits of one number ("139 1234 5678").
PHONE_SEPARATORS = re.compile(r"[;,/，；、／\n]+")
FLAGS = ("is_important",)


def split_phones(text: str) -> list[str]:
    parts = []
    for piece in PHONE_SEPARATORS.split(text or ""):
        piece = piece.strip()
        if not piece:
            continue
        if re.search(r"\s", piece) and try_normalize_phone(piece) is None:
            parts.extend(piece.split())
        else:
            parts.append(piece)
    return parts


def normalize_phones(raw: list[str] | str, *, field: str = "phones") -> list[str]:
    """Each number in E.164, duplicates dropped, order kept; at least one is required."""
    items = split_phones(raw) if isinstance(raw, str) else [str(p) for p in raw or []]
    numbers: list[str] = []
    for item in items:
        if not item.strip():
            continue
        number = normalize_phone(item, field=field)
        if number not in numbers:
            numbers.append(number)
    if not numbers:
        raise DomainError(_("Enter at least one phone number."), code="required", field=field)
    return numbers


def _name(value: str) -> str:
    name = (value or "").strip()
    if not name:
        raise DomainError(_("Enter the customer's name."), code="required", field="name")
    if len(name) > Customer._meta.get_field("name").max_length:
        raise DomainError(_("The name is too long."), code="invalid", field="name")
    return name


def _kind(value: str) -> str:
    if value not in Customer.Kind.values:
        raise DomainError(_("Choose owner or tenant."), code="invalid", field="kind")
    return value


def _visible(actor, office_id, field: str) -> None:
    # Another office's record is "not found", never "forbidden": we do not say it exists.
    if not can_see_office(actor, office_id):
        raise NotFound(field=field)


def _active_household(unit: Unit, actor) -> Household:
    household = unit.households.filter(is_active=True).first()
    if household is None:
        household = Household(office_id=unit.building.community.office_id, unit=unit)
        household._history_user = actor
        household.save()
    return household


def _link(customer: Customer, household: Household, kind: str, actor) -> Residence:
    residence = Residence(customer=customer, household=household, kind=kind)
    residence._history_user = actor
    residence.save()
    return residence


# --- customers ----------------------------------------------------------------------------


@transaction.atomic
def customer_create(
    *,
    actor,
    office,
    name: str,
    kind: str,
    phones: list[str] | str,
    household: Household | None = None,
    unit: Unit | None = None,
    is_important: bool = False,
    note: str = "",
    now=None,
) -> Customer:
    """A new customer with their phone numbers, living in ``household`` (or ``unit``'s household)."""
    _visible(actor, office.pk, "office")
    require(actor, "customer.edit", office)
    name, kind = _name(name), _kind(kind)
    numbers = normalize_phones(phones)
    if household is not None and household.office_id != office.pk:
        raise NotFound(field="household")
    if unit is not None:
        if unit.building.community.office_id != office.pk:
            raise NotFound(field="unit")
        if household is not None and household.unit_id != unit.pk:
            raise DomainError(
                _("The household is not in this unit."), code="invalid", field="household"
            )
    customer = Customer(
        office=office,
        name=name,
        kind=kind,
        is_important=bool(is_important),
        note=(note or "").strip(),
    )
    customer._history_user = actor
    customer.save()
    for position, number in enumerate(numbers):
        phone = CustomerPhone(customer=customer, number=number, is_primary=position == 0)
        phone._history_user = actor
        phone.save()
    if household is None and unit is not None:
        household = _active_household(unit, actor)
    if household is not None:
        _link(customer, household, kind, actor)
    return customer


def _preference_changes(
    customer: Customer, *, language=None, email=None, notify_by_sms=None, notify_by_email=None
) -> dict:
    """How the customer wants to hear from us, checked; ``None`` leaves a choice as it is."""
    changes = {}
    if language is not None:
        language = language.strip()
        if language and language not in dict(settings.LANGUAGES):
            raise DomainError(_("Choose a language we offer."), code="invalid", field="language")
        changes["language"] = language
    if email is not None:
        email = email.strip()
        try:
            if email:
                validate_email(email)
        except ValidationError:
            raise DomainError(
                _("Enter a valid e-mail address."), code="invalid", field="email"
            ) from None
        changes["email"] = email
    if notify_by_sms is not None:
        changes["notify_by_sms"] = bool(notify_by_sms)
    if notify_by_email is not None:
        changes["notify_by_email"] = bool(notify_by_email)
    by_email = changes.get("notify_by_email", customer.notify_by_email)
    if by_email and not changes.get("email", customer.email):
        raise DomainError(
            _("Give an e-mail address to receive messages by e-mail."),
            code="required",
            field="email",
        )
    return changes


def _apply(customer: Customer, changes: dict, actor) -> Customer:
    fields = [f for f, value in changes.items() if getattr(customer, f) != value]
    if not fields:
        return customer
    for f in fields:
        setattr(customer, f, changes[f])
    customer.version += 1  # the row is locked: read and raised in one transaction
    customer._history_user = actor
    customer.save(update_fields=[*fields, "version", "updated_at"])
    return customer


@transaction.atomic
def customer_set_preferences(
    *, customer: Customer, language=None, email=None, notify_by_sms=None, notify_by_email=None
) -> Customer:
    """The customer's own choice, in the portal: language, e-mail, and which channels reach them
    (the portal inbox always does). The audit history records it with no staff member."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    changes = _preference_changes(
        customer,
        language=language,
        email=email,
        notify_by_sms=notify_by_sms,
        notify_by_email=notify_by_email,
    )
    return _apply(customer, changes, None)


@transaction.atomic
def customer_update(
    *,
    actor,
    customer: Customer,
    name: str | None = None,
    kind: str | None = None,
    is_important: bool | None = None,
    note: str | None = None,
    language: str | None = None,
    email: str | None = None,
    notify_by_sms: bool | None = None,
    notify_by_email: bool | None = None,
    expected_version: int | None = None,
    now=None,
) -> Customer:
    """Change the given facts (``None`` leaves a fact as it is); only what changed is saved.
    Refused if the customer changed since ``expected_version``, the version the editor saw."""
    _visible(actor, customer.office_id, "customer")
    require(actor, "customer.edit", customer)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    check_version(
        customer,
        expected_version,
        message=_("Someone else changed this customer meanwhile. Reload it and try again."),
    )
    changes = {}
    if name is not None:
        changes["name"] = _name(name)
    if kind is not None:
        changes["kind"] = _kind(kind)
    for flag, value in zip(FLAGS, (is_important,), strict=True):
        if value is not None:
            changes[flag] = bool(value)
    if note is not None:
        changes["note"] = note.strip()
    changes |= _preference_changes(
        customer,
        language=language,
        email=email,
        notify_by_sms=notify_by_sms,
        notify_by_email=notify_by_email,
    )
    return _apply(customer, changes, actor)


@transaction.atomic
def customer_add_phone(
    *,
    actor,
    customer: Customer,
    number: str,
    label: str = "",
    is_primary: bool = False,
    now=None,
) -> CustomerPhone:
    _visible(actor, customer.office_id, "customer")
    require(actor, "customer.edit", customer)
    e164 = normalize_phone(number, field="phone")
    if customer.phones.filter(number=e164).exists():
        raise Conflict(
            _("This number is already on the customer's record."),
            code="duplicate_phone",
            field="phone",
        )
    if is_primary:
        customer.phones.filter(is_primary=True).update(is_primary=False)
    phone = CustomerPhone(
        customer=customer,
        number=e164,
        label=(label or "").strip()[:20],
        is_primary=bool(is_primary) or not customer.phones.exists(),
    )
    phone._history_user = actor
    phone.save()
    return phone


@transaction.atomic
def customer_remove_phone(*, actor, customer: Customer, phone_id, now=None) -> None:
    """Remove one number; the last one stays, so that the customer can always be reached."""
    _visible(actor, customer.office_id, "customer")
    require(actor, "customer.edit", customer)
    phones = list(customer.phones.select_for_update().order_by("pk"))
    phone = next((p for p in phones if str(p.pk) == str(phone_id)), None)
    if phone is None:
        raise NotFound(field="phone")
    if len(phones) == 1:
        raise Conflict(
            _("A customer keeps at least one phone number: add the new one first."),
            code="last_phone",
            field="phone",
        )
    phone._history_user = actor
    phone.delete()
    if phone.is_primary:
        successor = next(p for p in phones if p.pk != phone.pk)
        successor.is_primary = True
        successor._history_user = actor
        successor.save(update_fields=["is_primary"])


# --- households ---------------------------------------------------------------------------


@transaction.atomic
def household_create(*, actor, unit: Unit, name: str = "", now=None) -> Household:
    """The unit's current household; a unit has one at a time (former ones keep their history)."""
    office_id = unit.building.community.office_id
    _visible(actor, office_id, "unit")
    require(actor, "customer.edit", unit.building.community)
    if Household.objects.filter(unit=unit, is_active=True).exists():
        raise Conflict(
            _("This unit already has a current household."),
            code="household_exists",
            field="unit",
        )
    household = Household(office_id=office_id, unit=unit, name=(name or "").strip()[:120])
    household._history_user = actor
    household.save()
    return household


@transaction.atomic
def customer_link_household(
    *, actor, customer: Customer, household: Household, kind: str | None = None, now=None
) -> Residence:
    """The customer lives in (or owns) the household's unit."""
    _visible(actor, customer.office_id, "customer")
    require(actor, "customer.edit", customer)
    if household.office_id != customer.office_id:
        raise NotFound(field="household")
    kind = _kind(kind or customer.kind)
    if Residence.objects.filter(customer=customer, household=household).exists():
        raise Conflict(
            _("The customer is already linked to this household."),
            code="already_linked",
            field="household",
        )
    return _link(customer, household, kind, actor)


@transaction.atomic
def customer_unlink_household(*, actor, customer: Customer, household: Household, now=None):
    _visible(actor, customer.office_id, "customer")
    require(actor, "customer.edit", customer)
    residence = Residence.objects.filter(customer=customer, household=household).first()
    if residence is None:
        raise NotFound(field="household")
    residence._history_user = actor
    residence.delete()
