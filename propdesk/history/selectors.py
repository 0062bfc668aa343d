"""Reads of the customer's and household's history from every channel, always through office
scoping.

The 360° view (M01, M12, M24) reads each of its sections in one bounded query, so the customer
page costs the same number of queries whatever the customer's history holds.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from propdesk.catalog.models import ServiceItem
from propdesk.core.scoping import scope_for
from propdesk.customers.models import Customer, Household, Residence
from propdesk.customers.selectors import ADDRESS
from propdesk.hotline.models import Call
from propdesk.tickets.models import Channel, Charge, Contact, Kind, Quote, Ticket
from propdesk.tickets.selectors import recused_ticket_ids, without_recused

HISTORY_LIMIT = 50
# Contacts on these channels are after-service communication wherever the stage says (M12).
AFTER_SERVICE_CHANNELS = (Channel.FOLLOWUP, Channel.FORUM, Channel.SURVEY)


# --- the contacts log -------------------------------------------------------------------------


@dataclass
class ContactFilters:
    channel: str = ""
    direction: str = ""
    stage: str = ""

    def apply(self, qs: QuerySet) -> QuerySet:
        if self.channel in Channel.values:
            qs = qs.filter(channel=self.channel)
        if self.direction in Contact.Direction.values:
            qs = qs.filter(direction=self.direction)
        if self.stage in Contact.Stage.values:
            qs = qs.filter(stage=self.stage)
        return qs


def _contacts(qs: QuerySet) -> QuerySet:
    return qs.select_related("staff", "ticket", "call", "customer", ADDRESS).order_by("-at", "-pk")


def contact_list(
    user,
    *,
    customer=None,
    household=None,
    ticket=None,
    filters: ContactFilters | None = None,
) -> QuerySet:
    qs = without_recused(scope_for(Contact.objects.all(), user), user, ticket="ticket_id")
    if customer:
        qs = qs.filter(customer_id=customer)
    if household:
        qs = qs.filter(household_id=household)
    if ticket:
        qs = qs.filter(ticket_id=ticket)
    return _contacts((filters or ContactFilters()).apply(qs))


# --- the 360° view ----------------------------------------------------------------------------


@dataclass
class History:
    """Everything about a customer or household on one page (M01), newest first."""

    contacts: QuerySet  # paginated by the caller; filterable by channel, direction, stage (M04)
    tickets: list
    calls: list
    quotes: list
    charges: list
    revenue: Decimal
    special_revenue: Decimal
    complaints: list  # after-service channels (M12) ...
    after_service: list  # ... follow-ups, forum and survey contacts, after-service contacts
    unused_services: list  # M24: what this customer or household has never asked for
    more: dict = field(default_factory=dict)  # section → True where older records exist


def _latest(qs: QuerySet, name: str, more: dict, limit: int) -> list:
    rows = list(qs[: limit + 1])
    more[name] = len(rows) > limit
    return rows[:limit]


def _history(
    *,
    office_id,
    mine: Q,
    calls: Q,
    filters: ContactFilters | None,
    limit: int,
    user=None,
) -> History:
    """``mine`` selects the tickets, contacts and charges that belong to the customer/household.
    With ``user``, the complaints about that user (and their contacts and calls) are left out."""
    more: dict = {}
    tickets = Ticket.objects.filter(mine).select_related("item", "assignee", ADDRESS)
    contacts = Contact.objects.filter(mine)
    if user is not None:
        hidden = recused_ticket_ids(user)
        tickets = without_recused(tickets, user)
        contacts = without_recused(contacts, user, ticket="ticket_id")
        calls &= ~Q(ticket_id__in=hidden)
    charges = Charge.objects.filter(mine)
    totals = charges.aggregate(
        total=Sum("amount"), special=Sum("amount", filter=Q(is_special=True))
    )
    used_items = Ticket.objects.filter(mine, item__isnull=False).values("item_id")
    unused = (
        ServiceItem.objects.filter(is_active=True, in_scope=True)
        .filter(Q(office__isnull=True) | Q(office_id=office_id))
        .exclude(pk__in=used_items)
        .select_related("category")
        .order_by("-is_special", "category__position", "name", "pk")
    )
    return History(
        contacts=_contacts((filters or ContactFilters()).apply(contacts)),
        tickets=_latest(tickets.order_by("-created_at", "-pk"), "tickets", more, limit),
        calls=_latest(
            Call.objects.filter(calls)
            .select_related("line", "handler", "ticket", "customer")
            .order_by("-started_at", "-pk"),
            "calls",
            more,
            limit,
        ),
        quotes=_latest(
            Quote.objects.filter(ticket__in=tickets.values("pk"))
            .select_related("ticket", "recorded_by")
            .order_by("-created_at", "-pk"),
            "quotes",
            more,
            limit,
        ),
        charges=_latest(
            charges.select_related("ticket", "item").order_by("-recorded_at", "-pk"),
            "charges",
            more,
            limit,
        ),
        revenue=totals["total"] or Decimal("0"),
        special_revenue=totals["special"] or Decimal("0"),
        complaints=_latest(
            tickets.filter(kind=Kind.COMPLAINT)
            .select_related("complaint")
            .order_by("-created_at", "-pk"),
            "complaints",
            more,
            limit,
        ),
        after_service=_latest(
            _contacts(
                contacts.filter(
                    Q(stage=Contact.Stage.AFTER) | Q(channel__in=AFTER_SERVICE_CHANNELS)
                )
            ),
            "after_service",
            more,
            limit,
        ),
        unused_services=list(unused[:100]),
        more=more,
    )


def customer_history(
    customer: Customer,
    *,
    filters: ContactFilters | None = None,
    limit: int = HISTORY_LIMIT,
    user=None,
) -> History:
    """The customer's 360° view. ``customer`` comes from ``customer_get`` (already scoped);
    ``user``, who reads it, never sees the complaints about themself."""
    return _history(
        user=user,
        office_id=customer.office_id,
        mine=Q(customer_id=customer.pk),
        calls=Q(customer_id=customer.pk),
        filters=filters,
        limit=limit,
    )


def household_history(
    household: Household,
    *,
    filters: ContactFilters | None = None,
    limit: int = HISTORY_LIMIT,
    user=None,
) -> History:
    """The household's 360° view: its own records, and its customers' records not tied to
    another household. ``household`` comes from ``household_get`` (already scoped)."""
    members = Residence.objects.filter(household_id=household.pk).values("customer_id")
    return _history(
        user=user,
        office_id=household.office_id,
        mine=Q(household_id=household.pk) | Q(household__isnull=True, customer_id__in=members),
        calls=Q(customer_id__in=members),
        filters=filters,
        limit=limit,
    )
