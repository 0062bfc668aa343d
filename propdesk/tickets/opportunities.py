"""Every request is an opportunity (M24): the paid and special services a customer has not used
yet, the most relevant first, for the hotline's call screen, the customer's console page and the
portal.

What counts as not used: no request of the customer's — nor of any household they live in now,
whoever filed it — names the item. Only the catalogue's paid items (any price but free) and its
special services (特约服务) are offered, active and in the service scope, company-wide or the
customer's own office's.

How relevant, in this order:

1. **Neighbours, in season.** The households of the customer's own communities that asked for
   it in the last 12 months, those of the last 90 days counted twice: what the neighbours use is
   what this household is likely to need, and what they asked for lately is what the season
   calls for (air-conditioner cleaning in early summer, pipe lagging before winter).
2. **The office, likewise.** The same count over every community of the office: it ranks what a
   new or small community has no history of yet.
3. **Special services first**, then the catalogue's order (category, name): a customer with no
   neighbours' history still gets a stable, sensible handful.

The requests are read by their ``created_at`` in the office through the (office, created_at)
index, the counts grouped by community and item in one query. Whatever the data size, a batch
of customers costs at most four queries (their households, the candidate items, what they used,
the neighbours' counts) and each gets ``SUGGESTIONS`` at most.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from propdesk.catalog.models import ServiceItem
from propdesk.customers.models import Customer, Residence

from .models import Kind, Ticket

SUGGESTIONS = 5  # a handful: what an agent can say in one breath
YEAR = dt.timedelta(days=365)
SEASON = dt.timedelta(days=90)


@dataclass(frozen=True)
class Opportunity:
    """A service worth offering a customer, with why: how many households of their community
    (``neighbours``, of which ``recent`` in the last 90 days) and of their office (``office``)
    asked for it in the last 12 months."""

    item: ServiceItem
    neighbours: int = 0
    recent: int = 0
    office: int = 0

    @property
    def relevance(self) -> tuple:
        return (
            self.neighbours + self.recent,
            self.office,
            self.item.is_special,
        )


def offered_items(office_ids: Iterable[int]):
    """The paid and special services ``office_ids`` offer: active, in scope, company-wide or
    their own, in the catalogue's order."""
    return (
        ServiceItem.objects.filter(Q(office__isnull=True) | Q(office_id__in=list(office_ids)))
        .filter(is_active=True, in_scope=True)
        .filter(~Q(pricing=ServiceItem.Pricing.FREE) | Q(is_special=True))
        .select_related("category")
        .order_by("category__position", "category__name", "category_id", "name", "pk")
    )


def opportunities_for_customers(
    customers: Iterable[Customer], *, now: dt.datetime | None = None, limit: int = SUGGESTIONS
) -> dict[int, list[Opportunity]]:
    """Customer id → the services to offer them, most relevant first (see the module). The
    customers come already scoped (from ``customer_get``, caller recognition…); at most four
    queries for the lot."""
    now = now or timezone.now()
    customers = list(customers)
    if not customers:
        return {}
    ids = [c.pk for c in customers]
    office_of = {c.pk: c.office_id for c in customers}
    offices = sorted(set(office_of.values()))

    # 1. Their current households and those households' communities.
    households: dict[int, set[int]] = defaultdict(set)
    communities: dict[int, set[int]] = defaultdict(set)
    for customer_id, household_id, community_id in Residence.objects.filter(
        customer_id__in=ids, household__is_active=True
    ).values_list("customer_id", "household_id", "household__unit__building__community_id"):
        households[customer_id].add(household_id)
        communities[customer_id].add(community_id)

    # 2. What may be offered.
    items = list(offered_items(offices))
    if not items:
        return {pk: [] for pk in ids}

    # 3. What they (or anyone for their households) already asked for.
    all_households = {h for hs in households.values() for h in hs}
    used_by_customer: dict[int, set[int]] = defaultdict(set)
    used_by_household: dict[int, set[int]] = defaultdict(set)
    for customer_id, household_id, item_id in (
        Ticket.objects.filter(Q(customer_id__in=ids) | Q(household_id__in=all_households))
        .filter(item__isnull=False)
        .values_list("customer_id", "household_id", "item_id")
        .order_by()
        .distinct()
    ):
        used_by_customer[customer_id].add(item_id)
        if household_id is not None:
            used_by_household[household_id].add(item_id)

    # 4. How many households of each community asked for each item, this year and lately.
    by_community: dict[tuple[int, int], tuple[int, int]] = {}
    by_office: dict[tuple[int, int], int] = defaultdict(int)
    rows = (
        Ticket.objects.filter(
            office_id__in=offices,
            created_at__gte=now - YEAR,
            created_at__lt=now,
            household__isnull=False,
            item_id__in=[i.pk for i in items],
        )
        .exclude(kind=Kind.COMPLAINT)
        .values("office_id", "household__unit__building__community_id", "item_id")
        .annotate(
            year=Count("household_id", distinct=True),
            season=Count("household_id", distinct=True, filter=Q(created_at__gte=now - SEASON)),
        )
        .order_by()
    )
    for row in rows:
        community, item = row["household__unit__building__community_id"], row["item_id"]
        by_community[(community, item)] = (row["year"], row["season"])
        by_office[(row["office_id"], item)] += row["year"]  # a household is in one community

    result = {}
    for pk in ids:
        used = set(used_by_customer[pk])
        for household_id in households[pk]:
            used |= used_by_household[household_id]
        office_id = office_of[pk]
        found = []
        for position, item in enumerate(items):
            if item.pk in used or item.office_id not in (None, office_id):
                continue
            year = season = 0
            for community in communities[pk]:
                y, s = by_community.get((community, item.pk), (0, 0))
                year, season = year + y, season + s
            opportunity = Opportunity(
                item=item,
                neighbours=year,
                recent=season,
                office=by_office.get((office_id, item.pk), 0),
            )
            found.append((opportunity, position))
        found.sort(key=lambda pair: (_descending(pair[0].relevance), pair[1]))
        result[pk] = [opportunity for opportunity, _position in found[:limit]]
    return result


def _descending(relevance: tuple) -> tuple:
    return tuple(-int(x) for x in relevance)


def customer_opportunities(
    customer: Customer, *, now: dt.datetime | None = None, limit: int = SUGGESTIONS
) -> list[Opportunity]:
    """The services to offer one customer (already scoped), most relevant first."""
    return opportunities_for_customers([customer], now=now, limit=limit)[customer.pk]
