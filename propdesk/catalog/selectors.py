"""Reads of the catalogue.

An office's catalogue is the company-wide items (``office`` empty) plus its own. Office roles see
that; company roles see every office's items too. Another office's own item is not found.
"""

from dataclasses import dataclass
from itertools import groupby

from django.db.models import Q, QuerySet

from propdesk.core.errors import NotFound
from propdesk.core.scoping import scope_for

from .models import ServiceCategory, ServiceItem

# Category order first, so that a page of items can be shown grouped by category.
ITEM_ORDER = ("category__position", "category__name", "category_id", "name", "pk")


def categories() -> QuerySet:
    """Categories are company-wide: every member of staff sees all of them."""
    return ServiceCategory.objects.order_by("position", "name")


def category_get(pk) -> ServiceCategory:
    try:
        return ServiceCategory.objects.get(pk=pk)
    except (ServiceCategory.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def items_visible_to(user) -> QuerySet:
    """Company-wide items plus those of the offices ``user`` may see (through ``scope_for``)."""
    own = scope_for(ServiceItem.objects.all(), user)
    if not own.query.is_empty():
        return ServiceItem.objects.filter(office__isnull=True) | own
    return own


def items_for_office(office_id) -> QuerySet:
    """What ``office_id`` offers: active company-wide items and its own, in category order.

    Use ``grouped()`` to lay them out by category (the Service Guide, the request form).
    """
    return (
        ServiceItem.objects.filter(Q(office__isnull=True) | Q(office_id=office_id), is_active=True)
        .select_related("category")
        .order_by(*ITEM_ORDER)
    )


def grouped(items) -> list[tuple[ServiceCategory, list[ServiceItem]]]:
    """``[(category, [items…]), …]`` from items already in category order."""
    return [(cat, list(its)) for cat, its in groupby(items, key=lambda item: item.category)]


@dataclass
class ItemFilters:
    office: int | None = None  # the catalogue as this office sees it (company roles)
    category: int | None = None
    chargeable: bool | None = None
    in_scope: bool | None = None
    active: bool | None = True  # None: active and inactive
    q: str = ""


def items_for_user(user, filters: ItemFilters | None = None) -> QuerySet:
    filters = filters or ItemFilters()
    qs = items_visible_to(user).select_related("category", "office")
    if filters.office:
        qs = qs.filter(Q(office__isnull=True) | Q(office_id=filters.office))
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    if filters.chargeable is True:
        qs = qs.exclude(pricing=ServiceItem.Pricing.FREE)
    elif filters.chargeable is False:
        qs = qs.filter(pricing=ServiceItem.Pricing.FREE)
    if filters.in_scope is not None:
        qs = qs.filter(in_scope=filters.in_scope)
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    if text := filters.q.strip():
        qs = qs.filter(name__icontains=text)
    return qs.order_by(*ITEM_ORDER)


def item_get(user, pk) -> ServiceItem:
    """One item ``user`` may see, with its steps; another office's own item is NotFound."""
    try:
        return (
            items_visible_to(user)
            .select_related("category", "office")
            .prefetch_related("steps")
            .get(pk=pk)
        )
    except (ServiceItem.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
