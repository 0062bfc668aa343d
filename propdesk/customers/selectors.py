"""Reads of customers and households, always through office scoping.

Their history from every channel (the 360° view, M01, M12) is read in ``propdesk.history``.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import NotFound
from propdesk.core.phones import try_normalize_phone
from propdesk.core.scoping import get_scoped, scope_for
from propdesk.org.models import Office

from .models import (
    Building,
    Community,
    Customer,
    CustomerPhone,
    Household,
    Residence,
    RosterUpload,
    Unit,
)

ADDRESS = "household__unit__building__community"


def _phones() -> Prefetch:
    return Prefetch("phones", queryset=CustomerPhone.objects.order_by("-is_primary", "pk"))


def _residences() -> Prefetch:
    return Prefetch(
        "residences",
        queryset=Residence.objects.select_related(ADDRESS).order_by("pk"),
    )


# --- customers --------------------------------------------------------------------------------


def customers_for(user) -> QuerySet:
    return scope_for(Customer.objects.all(), user)


SEARCH_ID_LIMIT = 1000


def search_customers(qs: QuerySet, text: str) -> QuerySet:
    """Name prefix, phone number (any format, through the number index), or address.

    An address is "building-room" ("3栋-1001", "3栋 1单元 1001") or a room number alone. Phone and
    address matches are looked up first, each through its own index: an OR of subqueries would
    make the database read every customer.
    """
    text = (text or "").strip()
    if not text:
        return qs
    ids = []
    if phone := try_normalize_phone(text):
        ids += CustomerPhone.objects.filter(number=phone).values_list("customer_id", flat=True)[
            :SEARCH_ID_LIMIT
        ]
    parts = [p for p in text.replace("－", "-").replace(" ", "-").split("-") if p]
    if len(parts) >= 2:
        units = Q(household__unit__building__name=parts[0], household__unit__number=parts[-1])
        if len(parts) >= 3:
            units &= Q(household__unit__entrance=parts[1])
    else:
        units = Q(household__unit__number=text)
    # Within the caller's scope, so a common room number elsewhere cannot crowd out the match.
    residences = Residence.objects.filter(units, customer_id__in=qs.values("pk"))
    ids += residences.values_list("customer_id", flat=True)[:SEARCH_ID_LIMIT]
    cond = Q(name__startswith=text)
    if ids:
        cond |= Q(pk__in=ids)
    return qs.filter(cond)


def customer_list(user, q: str = "") -> QuerySet:
    qs = customers_for(user).select_related("office").prefetch_related(_phones(), _residences())
    return search_customers(qs, q).order_by("name", "pk")


def customer_get(user, pk) -> Customer:
    """One customer the user may see, or NotFound (another office's customer is not found)."""
    return get_scoped(
        Customer.objects.select_related("office").prefetch_related(_phones(), _residences()),
        user,
        pk=pk,
    )


# --- households and addresses -----------------------------------------------------------------


def households_for(user) -> QuerySet:
    return scope_for(Household.objects.all(), user)


def household_list(user, q: str = "") -> QuerySet:
    members = Prefetch("residences", queryset=Residence.objects.select_related("customer"))
    qs = households_for(user).select_related("unit__building__community").prefetch_related(members)
    text = (q or "").strip()
    if text:
        parts = [p for p in text.replace("－", "-").replace(" ", "-").split("-") if p]
        if len(parts) >= 2:
            qs = qs.filter(unit__building__name=parts[0], unit__number=parts[-1])
        else:
            qs = qs.filter(Q(unit__number=text) | Q(name__startswith=text))
    return qs.order_by("unit__building__community__name", "unit__building__name", "unit__number")


def household_get(user, pk) -> Household:
    residences = Prefetch(
        "residences",
        queryset=Residence.objects.select_related("customer").prefetch_related(
            Prefetch("customer__phones", queryset=CustomerPhone.objects.order_by("-is_primary"))
        ),
    )
    return get_scoped(
        Household.objects.select_related("unit__building__community", "office").prefetch_related(
            residences
        ),
        user,
        pk=pk,
    )


def communities_for(user) -> QuerySet:
    return scope_for(Community.objects.select_related("office"), user).order_by("name", "pk")


def buildings_for(user, *, community=None) -> QuerySet:
    qs = scope_for(
        Building.objects.select_related("community"), user, office_field="community__office"
    )
    if community:
        qs = qs.filter(community_id=community)
    return qs.order_by("community_id", "name", "pk")


def units_for(user, *, building=None) -> QuerySet:
    qs = scope_for(
        Unit.objects.select_related("building__community"),
        user,
        office_field="building__community__office",
    )
    if building:
        qs = qs.filter(building_id=building)
    return qs.order_by("building_id", "entrance", "number", "pk")


def unit_find(user, *, community, building: str, entrance: str, room: str) -> Unit:
    """The unit at this address in ``community`` (an id), or NotFound naming the room."""
    try:
        return units_for(user).get(
            building__community_id=community,
            building__name=(building or "").strip(),
            entrance=(entrance or "").strip(),
            number=(room or "").strip(),
        )
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("There is no such unit in this community."), field="room") from None


def offices_for(user) -> QuerySet:
    """The offices the user may act in: their own, or every office for company roles."""
    return scope_for(Office.objects.all(), user, office_field="pk").order_by("code")


def roster_upload_get(user, token: str) -> RosterUpload:
    """A roster upload by its token: only the person who uploaded it finds it, and only while
    its office is theirs to see; anyone else gets "not found"."""
    return get_scoped(
        RosterUpload.objects.select_related("office", "community", "created_by"),
        user,
        token=str(token),
        created_by_id=getattr(user, "pk", None),
    )
