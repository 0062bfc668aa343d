"""Every change to the catalogue goes through one of these functions.

Categories are company-wide and only company roles with ``catalog.edit`` (the administrator) change
them. An item is company-wide (``office`` empty: only the administrator edits it) or one office's own
(its director or the administrator edits it). Items are never deleted — requests point at them — only
deactivated. Contact phones are stored in their display form (``0755 1234 5678``): the catalogue is
read by people and printed in the Service Guide, never searched by number.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound
from propdesk.core.lifecycle import check_version
from propdesk.core.permissions import allowed, require
from propdesk.core.phones import display_phone, normalize_phone
from propdesk.core.scoping import can_see_office
from propdesk.core.templatetags.steps import strip_number

from .models import ProcedureStep, ServiceCategory, ServiceItem

MONEY = Decimal("0.01")
MAX_PRICE = Decimal("99999999.99")  # what price's max_digits=10, decimal_places=2 can hold
MIN_HOURS, MAX_HOURS = 1, 720  # an hour to thirty days

# What item_update may change. The office is fixed at creation: moving an item between an office
# and the company-wide catalogue would change who may edit it.
ITEM_FIELDS = (
    "category",
    "name",
    "description",
    "service_hours",
    "contact_phone",
    "pricing",
    "price",
    "price_unit",
    "in_scope",
    "is_special",
    "default_completion_hours",
)


# --- permissions ------------------------------------------------------------------------------


def can_edit_item(user, item: ServiceItem) -> bool:
    """The rule the console uses to show buttons; ``_require_item_edit`` enforces the same."""
    return _item_edit_refusal(user, item.office_id) is None


def can_edit_categories(user) -> bool:
    return allowed(user, "catalog.edit") and user.is_company_role


def _item_edit_refusal(user, office_id):
    """Why ``user`` may not edit an item of ``office_id`` (None: company-wide), or None if they may."""
    if office_id is None:
        if allowed(user, "catalog.edit") and user.is_company_role:
            return None
        return _("Company-wide items are managed by the company: ask an administrator.")
    if allowed(user, "catalog.edit") and can_see_office(user, office_id):
        return None
    return _("You may edit only your own office's catalogue items.")


def _require_item_edit(actor, office_id) -> None:
    require(actor, "catalog.edit")  # the role check, with the table's message
    if office_id is not None and not can_see_office(actor, office_id):
        raise NotFound(field="office")  # another office is not even named
    if (message := _item_edit_refusal(actor, office_id)) is not None:
        raise Forbidden(message, field="office" if office_id is None else None)


def _require_category_edit(actor) -> None:
    require(actor, "catalog.edit")
    if not actor.is_company_role:
        raise Forbidden(_("Service categories are company-wide: ask an administrator."))


# --- validation -------------------------------------------------------------------------------


def _text(value, field: str, max_length: int, *, required=None) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise DomainError(required, code="required", field=field)
    if len(text) > max_length:
        raise DomainError(
            _("At most %(max)d characters.") % {"max": max_length}, code="too_long", field=field
        )
    return text


def _price(value) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal("0.00")
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite() or amount != amount.quantize(MONEY):
        raise DomainError(
            _("Enter a price in yuan with at most two decimals, e.g. 80.00."),
            code="invalid",
            field="price",
        )
    if amount < 0:
        raise DomainError(_("The price cannot be negative."), code="invalid", field="price")
    if amount > MAX_PRICE:
        raise DomainError(_("The price is too large."), code="invalid", field="price")
    return amount.quantize(MONEY)


def _hours(value) -> int:
    try:
        hours = int(str(value).strip())
    except (ValueError, TypeError):
        hours = None
    if hours is None or not MIN_HOURS <= hours <= MAX_HOURS:
        raise DomainError(
            _("Enter a whole number of hours from %(min)d to %(max)d.")
            % {"min": MIN_HOURS, "max": MAX_HOURS},
            code="invalid",
            field="default_completion_hours",
        )
    return hours


def _phone(value) -> str:
    text = (value or "").strip()
    if not text:
        return ""  # optional: the Service Guide then shows the office's service line
    return display_phone(normalize_phone(text, field="contact_phone"))


def _clean_item(values: dict) -> dict:
    """Validate an item's fields together (pricing decides what price and unit must be)."""
    if not isinstance(values.get("category"), ServiceCategory):
        raise DomainError(_("Choose a category."), code="required", field="category")
    pricing = values.get("pricing")
    if pricing not in ServiceItem.Pricing.values:
        raise DomainError(
            _("Choose how the item is priced: free, fixed, from or per unit."),
            code="invalid",
            field="pricing",
        )
    price = _price(values.get("price"))
    unit = _text(values.get("price_unit"), "price_unit", 20)
    if pricing == ServiceItem.Pricing.FREE and price != 0:
        raise DomainError(
            _("A free item has no price: set the price to 0 or choose another pricing."),
            code="free_has_price",
            field="price",
        )
    if pricing != ServiceItem.Pricing.FREE and price <= 0:
        raise DomainError(
            _("A chargeable item needs a price above ¥0."), code="price_required", field="price"
        )
    if pricing == ServiceItem.Pricing.PER_UNIT and not unit:
        raise DomainError(
            _("Say what the price is per, e.g. 次, 米 or 小时."),
            code="required",
            field="price_unit",
        )
    if pricing != ServiceItem.Pricing.PER_UNIT:
        unit = ""  # a unit means nothing to the other pricings; keep the label clean
    return {
        "category": values["category"],
        "name": _text(values.get("name"), "name", 80, required=_("Enter the item's name.")),
        "description": _text(values.get("description"), "description", 5000),
        "service_hours": _text(values.get("service_hours"), "service_hours", 80),
        "contact_phone": _phone(values.get("contact_phone")),
        "pricing": pricing,
        "price": price,
        "price_unit": unit,
        "in_scope": bool(values.get("in_scope", True)),
        "is_special": bool(values.get("is_special", False)),
        "default_completion_hours": _hours(values.get("default_completion_hours", 24)),
    }


def _clean_steps(steps) -> list[dict]:
    cleaned = []
    for number, step in enumerate(steps or (), start=1):
        # The list numbers the steps by their position: a number typed in front would show twice.
        title = strip_number((step.get("title") or "").strip()).strip()
        if not title:
            raise DomainError(
                _("Step %(n)d needs a title.") % {"n": number}, code="required", field="steps"
            )
        if len(title) > 120:
            raise DomainError(
                _("Step %(n)d: the title can have at most 120 characters.") % {"n": number},
                code="too_long",
                field="steps",
            )
        cleaned.append(
            {
                "title": title,
                "detail": (step.get("detail") or "").strip(),
                "needs_photo": bool(step.get("needs_photo", False)),
            }
        )
    return cleaned


def _check_unique_name(name: str, office_id, exclude_pk=None) -> None:
    # Two active items of one name in the same catalogue would confuse agents and customers.
    clash = ServiceItem.objects.filter(office_id=office_id, name=name, is_active=True)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            _("There is already an item named “%(name)s” in this catalogue.") % {"name": name},
            code="duplicate",
            field="name",
        )


def _locked_item(item: ServiceItem, expected_version: int | None) -> ServiceItem:
    """Lock the item's row and re-read it; refuse a change made against an older version."""
    item = ServiceItem.objects.select_for_update().select_related("category").get(pk=item.pk)
    check_version(
        item,
        expected_version,
        message=_("Someone else changed this item meanwhile. Reload it and try again."),
    )
    return item


def _save_item(item: ServiceItem, fields: list[str], actor) -> None:
    """Save the locked item's changed ``fields``, raising its version."""
    item.version += 1
    item._history_user = actor
    item.save(update_fields=[*fields, "version", "updated_at"])


def _write_steps(item: ServiceItem, steps: list[dict], actor) -> None:
    # One by one, so the audit records who removed each old step.
    for old in item.steps.all():
        old._history_user = actor
        old.delete()
    bulk_create_with_history(
        [ProcedureStep(item=item, position=n, **step) for n, step in enumerate(steps, start=1)],
        ProcedureStep,
        default_user=actor,
    )


# --- categories -------------------------------------------------------------------------------


def _clean_category(name, kind, position) -> dict:
    name = _text(name, "name", 60, required=_("Enter the category's name."))
    if kind not in ServiceCategory.Kind.values:
        raise DomainError(_("Choose the category's kind."), code="invalid", field="kind")
    try:
        position = int(position)
    except (TypeError, ValueError):
        position = -1
    if not 0 <= position <= 32767:
        raise DomainError(_("Enter a position from 0 to 32767."), code="invalid", field="position")
    return {"name": name, "kind": kind, "position": position}


def _check_unique_category(name: str, exclude_pk=None) -> None:
    clash = ServiceCategory.objects.filter(name=name)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            _("There is already a category named “%(name)s”.") % {"name": name},
            code="duplicate",
            field="name",
        )


@transaction.atomic
def category_create(*, actor, name: str, kind: str, position: int = 0, now=None) -> ServiceCategory:
    _require_category_edit(actor)
    values = _clean_category(name, kind, position)
    _check_unique_category(values["name"])
    return ServiceCategory.objects.create(**values)


@transaction.atomic
def category_update(
    *, actor, category: ServiceCategory, name=None, kind=None, position=None, now=None
) -> ServiceCategory:
    _require_category_edit(actor)
    values = _clean_category(
        category.name if name is None else name,
        category.kind if kind is None else kind,
        category.position if position is None else position,
    )
    _check_unique_category(values["name"], exclude_pk=category.pk)
    changed = [f for f, v in values.items() if getattr(category, f) != v]
    for field in changed:
        setattr(category, field, values[field])
    if changed:
        category._history_user = actor
        category.save(update_fields=[*changed, "updated_at"])
    return category


# --- items ------------------------------------------------------------------------------------


@transaction.atomic
def item_create(*, actor, office, steps=(), now=None, **fields) -> ServiceItem:
    """A new item in ``office``'s catalogue, or the company-wide one when ``office`` is None.

    ``fields`` are those of ``ITEM_FIELDS``; ``steps`` the procedure, as for ``steps_replace``.
    """
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"item_create() got unexpected fields {sorted(unknown)}")
    office_id = office.pk if office is not None else None
    _require_item_edit(actor, office_id)
    values = _clean_item(fields)
    steps = _clean_steps(steps)
    _check_unique_name(values["name"], office_id)
    item = ServiceItem(office=office, **values)
    item._history_user = actor
    item.save()
    _write_steps(item, steps, actor)
    return item


@transaction.atomic
def item_update(
    *, actor, item: ServiceItem, steps=None, expected_version: int | None = None, now=None, **fields
) -> ServiceItem:
    """Change some of an item's ``ITEM_FIELDS``; with ``steps``, replace its procedure too.
    Refused if the item changed since ``expected_version``, the version the editor saw."""
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"item_update() got unexpected fields {sorted(unknown)}")
    _require_item_edit(actor, item.office_id)
    item = _locked_item(item, expected_version)
    current = {f: getattr(item, f) for f in ITEM_FIELDS}
    values = _clean_item({**current, **fields, "contact_phone": fields.get("contact_phone")})
    if "contact_phone" not in fields:
        # An untouched phone stays as stored, even if it predates today's validation.
        values["contact_phone"] = current["contact_phone"]
    cleaned_steps = _clean_steps(steps) if steps is not None else None
    if values["name"] != item.name:
        _check_unique_name(values["name"], item.office_id, exclude_pk=item.pk)
    changed = [f for f in ITEM_FIELDS if values[f] != current[f]]
    for field in changed:
        setattr(item, field, values[field])
    if changed or cleaned_steps is not None:
        _save_item(item, changed, actor)
    if cleaned_steps is not None:
        _write_steps(item, cleaned_steps, actor)
    return item


@transaction.atomic
def steps_replace(
    *, actor, item: ServiceItem, steps: list[dict], expected_version: int | None = None, now=None
) -> list[ProcedureStep]:
    """Replace the item's procedure (作业规范, M11) with ``steps``, numbered 1..n in the given order.

    Work orders already dispatched keep the steps copied onto them; new ones get these.
    """
    _require_item_edit(actor, item.office_id)
    cleaned = _clean_steps(steps)
    item = _locked_item(item, expected_version)
    _save_item(item, [], actor)
    _write_steps(item, cleaned, actor)
    return list(item.steps.all())


def _set_active(actor, item: ServiceItem, active: bool, expected_version) -> ServiceItem:
    _require_item_edit(actor, item.office_id)
    item = _locked_item(item, expected_version)
    if item.is_active == active:
        raise Conflict(
            _("This item is already active.") if active else _("This item is already inactive."),
            code="unchanged",
            field="is_active",
        )
    if active:
        _check_unique_name(item.name, item.office_id, exclude_pk=item.pk)
    item.is_active = active
    _save_item(item, ["is_active"], actor)
    return item


@transaction.atomic
def item_deactivate(
    *, actor, item: ServiceItem, expected_version: int | None = None, now=None
) -> ServiceItem:
    """Take an item out of the catalogue. Requests that name it keep it; new ones cannot choose it."""
    return _set_active(actor, item, False, expected_version)


@transaction.atomic
def item_reactivate(
    *, actor, item: ServiceItem, expected_version: int | None = None, now=None
) -> ServiceItem:
    return _set_active(actor, item, True, expected_version)


# --- marking a major defect: after service watches its repairs (M14) ----------------------------


@transaction.atomic
def item_mark_major_defect(
    *,
    actor,
    item: ServiceItem,
    is_major_defect: bool,
    expected_version: int | None = None,
    now=None,
):
    """Mark (or unmark) a catalogue item as a major defect: its repairs will be watched.
    Who may: whoever may edit the item (the office's director for its own items, the
    administrator for company-wide ones)."""
    require(actor, "catalog.edit")
    if not can_edit_item(actor, item):
        raise Forbidden(
            _("Company-wide items are managed by the company: ask an administrator.")
            if item.office_id is None
            else _("You may edit only your own office's catalogue items."),
            field="office",
        )
    item = _locked_item(item, expected_version)
    if item.is_major_defect != bool(is_major_defect):
        item.is_major_defect = bool(is_major_defect)
        _save_item(item, ["is_major_defect"], actor)
    return item


@transaction.atomic
def category_mark_major_defect(
    *, actor, category: ServiceCategory, is_major_defect: bool, now=None
):
    """Mark (or unmark) a whole category: every repair of its items will be watched."""
    require(actor, "catalog.edit")
    if not can_edit_categories(actor):
        raise Forbidden(_("Service categories are company-wide: ask an administrator."))
    category = ServiceCategory.objects.select_for_update().get(pk=category.pk)
    if category.is_major_defect != bool(is_major_defect):
        category.is_major_defect = bool(is_major_defect)
        category._history_user = actor  # who marked it, in the category's history
        category.save(update_fields=["is_major_defect", "updated_at"])
    return category
