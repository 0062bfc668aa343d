"""Picking an address from the roster, one level at a time: community → building → entrance
(单元) → room. Each read is office-scoped, so another office's roster is simply empty (and its
unit not found); the console's dependent selects ask for one level at a time."""

from django.db.models import QuerySet

from propdesk.core.params import parse_id
from propdesk.core.scoping import get_scoped, scope_for

from .models import Building, Community, Unit


def communities(user, office_id=None) -> QuerySet:
    """The communities the user may see, of ``office_id`` when given, by name."""
    qs = scope_for(Community.objects.all(), user)
    if office_id:
        qs = qs.filter(office_id=office_id)
    return qs.order_by("name", "pk")


def buildings(user, community_id) -> QuerySet:
    """The buildings of one community the user may see (none for another office's)."""
    community_id = parse_id(community_id)
    if community_id is None:
        return Building.objects.none()
    qs = Building.objects.filter(community_id=community_id)
    return scope_for(qs, user, office_field="community__office").order_by("name", "pk")


def entrances(user, building_id) -> list[str]:
    """The entrances (单元) of one building, as the roster spells them; "" for rooms that have
    none."""
    building_id = parse_id(building_id)
    if building_id is None:
        return []
    qs = scope_for(
        Unit.objects.filter(building_id=building_id),
        user,
        office_field="building__community__office",
    )
    return list(qs.order_by("entrance").values_list("entrance", flat=True).distinct())


def rooms(user, building_id, entrance: str | None) -> QuerySet:
    """The units of one building and entrance, by room number."""
    building_id = parse_id(building_id)
    if building_id is None or entrance is None:
        return Unit.objects.none()
    qs = Unit.objects.filter(building_id=building_id, entrance=entrance)
    return scope_for(qs, user, office_field="building__community__office").order_by("number", "pk")


def unit_get(user, pk) -> Unit:
    """One unit the user may see, with its building and community, or NotFound."""
    return get_scoped(
        Unit.objects.select_related("building__community"),
        user,
        office_field="building__community__office",
        pk=parse_id(pk),
    )
