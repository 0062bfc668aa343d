"""Every read of complaints: staff see their office's (company roles every office's), never one
about themself; customers see their own."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from propdesk.core.errors import NotFound
from propdesk.core.permissions import allowed
from propdesk.tickets.selectors import without_recused

from .models import Complaint, CorrectiveActionReport
from .rollups import FIGURES

State, Owner = Complaint.State, Complaint.Owner
LIST_RELATED = ("ticket", "office", "customer")


def complaints_for(user) -> QuerySet:
    if user is None or not user.is_authenticated or not allowed(user, "complaint.view"):
        return Complaint.objects.none()
    qs = without_recused(Complaint.objects.all(), user, ticket="ticket_id")
    if user.is_company_role:
        return qs
    return qs.filter(office_id=user.office_id)


@dataclass
class ComplaintFilters:
    state: str = ""
    owner: str = ""
    severity: str = ""
    category: str = ""
    office: int | None = None
    open: bool | None = None
    q: str = ""


def complaint_list(user, filters: ComplaintFilters | None = None) -> QuerySet:
    filters = filters or ComplaintFilters()
    qs = complaints_for(user)
    for name in ("state", "owner", "severity", "category"):
        if value := getattr(filters, name):
            qs = qs.filter(**{name: value})
    if filters.office:
        qs = qs.filter(office_id=filters.office)
    if filters.open is not None:
        closed = Q(state=State.CLOSED)
        qs = qs.exclude(closed) if filters.open else qs.filter(closed)
    if text := filters.q.strip():
        qs = _search(qs, text, user)
    return qs.select_related(*LIST_RELATED).order_by("-created_at", "-pk")


SEARCH_ID_LIMIT = 1000


def _search(qs: QuerySet, text: str, user) -> QuerySet:
    """By request number or customer name prefix: the ids are looked up first, each through its
    own index, so that the search never joins every complaint to its request and customer."""
    from propdesk.core.scoping import scope_for
    from propdesk.customers.models import Customer
    from propdesk.tickets.models import Ticket

    tickets = list(Ticket.objects.filter(number=text).values_list("pk", flat=True)[:10])
    customers = list(
        scope_for(Customer.objects.all(), user)
        .filter(name__startswith=text)
        .values_list("pk", flat=True)[:SEARCH_ID_LIMIT]
    )
    return qs.filter(Q(ticket_id__in=tickets) | Q(customer_id__in=customers))


def complaint_get(user, pk) -> Complaint:
    try:
        return (
            complaints_for(user)
            .select_related(*LIST_RELATED, "about_department", "closed_by", "analysed_by")
            .get(pk=pk)
        )
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def measures_of(user) -> QuerySet:
    """The person's own preventive measures, open first and soonest due; none of a complaint
    about them."""
    from django.db.models import F

    from .models import PreventiveMeasure

    return (
        without_recused(
            PreventiveMeasure.objects.filter(owner=user), user, ticket="complaint__ticket_id"
        )
        .select_related("complaint__ticket", "complaint__office")
        .order_by(F("done_at").asc(nulls_first=True), "due_on", "pk")
    )


# --- the corrective action register (M20) -----------------------------------------------------


def reports_for(user) -> QuerySet:
    """Approved reports are read by every member of staff (they were announced company-wide);
    drafts and submitted ones by those who may see their complaint."""
    if user is None or not user.is_authenticated:
        return CorrectiveActionReport.objects.none()
    visible = complaints_for(user).values("pk")
    return CorrectiveActionReport.objects.filter(
        Q(state=CorrectiveActionReport.State.APPROVED) | Q(complaint_id__in=visible)
    )


def register(user, *, q: str = "", office: int | None = None, approved_only=True) -> QuerySet:
    if approved_only:  # read by every member of staff: no need to ask which complaints they see
        qs = CorrectiveActionReport.objects.filter(state=CorrectiveActionReport.State.APPROVED)
        if user is None or not user.is_authenticated:
            qs = qs.none()
    else:
        qs = reports_for(user)
    if office:
        qs = qs.filter(office_id=office)
    if q := (q or "").strip():
        qs = qs.filter(
            Q(number=q) | Q(title__icontains=q) | Q(cause__icontains=q) | Q(prevention__icontains=q)
        )
    return qs.select_related("office", "complaint__ticket").order_by("-approved_at", "-pk")


# --- customers ----------------------------------------------------------------------------


def complaints_of_customer(customer) -> QuerySet:
    return (
        Complaint.objects.filter(customer=customer)
        .select_related("ticket", "office")
        .order_by("-created_at", "-pk")
    )


def complaint_of_customer(customer, pk) -> Complaint:
    try:
        return complaints_of_customer(customer).get(pk=pk)
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- the numbers (M19, M23; for the compliance board, M25) ---------------------------------


@dataclass
class Numbers:
    """One office's (or the company's) complaints received in a period, and how they went."""

    office: object  # an Office, or None for the company
    households: int = 0
    received: int = 0
    company_level: int = 0
    responded: int = 0
    responded_on_time: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    answered: int = 0
    satisfied: int = 0
    closed: int = 0
    escalated_late: int = 0
    open_overdue: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def response_rate(self) -> float | None:
        """M23: every complaint gets a response (target 100%)."""
        return self._rate(self.responded, self.received)

    @property
    def complaint_rate(self) -> float | None:
        """Complaints per 100 households."""
        return self._rate(self.received, self.households)

    def add(self, other: "Numbers") -> None:
        for name in NUMBER_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


NUMBER_FIELDS = ("households", *FIGURES)


def numbers(user, *, start, end, now, live=False) -> tuple[list[Numbers], Numbers]:
    """Per office in the user's scope, and for them all: complaints received in [start, end).

    Read from the rollups of closed complaints (``rollups.read``) plus a count of the rest from
    the records; with ``live``, everything from the records (the reference the rollups are
    tested against). A fixed number of queries either way, whatever the number of offices and
    complaints; the figures are the same."""
    from django.db.models import Count

    from propdesk.core.scoping import scope_for
    from propdesk.customers.models import Household
    from propdesk.org.models import Office

    from . import rollups

    offices = list(scope_for(Office.objects.all(), user, office_field="pk").order_by("code"))
    rows = {o.pk: Numbers(office=o) for o in offices}
    # A company role sees every office: no list of a thousand ids to send.
    office_ids = None if getattr(user, "is_company_role", False) else list(rows)
    if not rows:
        figures = {}
    elif live:
        received = Q(created_at__gte=start, created_at__lt=end)
        figures = rollups.count_live(received, now=now, office_ids=office_ids)
    else:
        figures = rollups.read(office_ids, start=start, end=end, now=now).figures
    for office_id, values in figures.items():
        if (row := rows.get(office_id)) is not None:
            for name, value in values.items():
                setattr(row, name, value)
    for office_id, n in (
        Household.objects.filter(office_id__in=rows, is_active=True)
        .values_list("office_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[office_id].households = n
    total = Numbers(office=None)
    for row in rows.values():
        total.add(row)
    return list(rows.values()), total
