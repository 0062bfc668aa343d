"""Every read of complaints: staff see their office's (company roles every office's), never one
about themself; customers see their own."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from propdesk.core.errors import NotFound
from propdesk.core.permissions import allowed
from propdesk.tickets.selectors import recused_ticket_ids

from .models import Complaint, CorrectiveActionReport

State, Owner = Complaint.State, Complaint.Owner
LIST_RELATED = ("ticket", "office", "customer")


def complaints_for(user) -> QuerySet:
    if user is None or not user.is_authenticated or not allowed(user, "complaint.view"):
        return Complaint.objects.none()
    qs = Complaint.objects.exclude(ticket_id__in=recused_ticket_ids(user))
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
    if filters.q:
        text = filters.q.strip()
        qs = qs.filter(Q(ticket__number=text) | Q(customer__name__startswith=text))
    return qs.select_related(*LIST_RELATED).order_by("-created_at", "-pk")


def complaint_get(user, pk) -> Complaint:
    try:
        return (
            complaints_for(user)
            .select_related(*LIST_RELATED, "about_department", "closed_by", "analysed_by")
            .get(pk=pk)
        )
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


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
    qs = reports_for(user)
    if approved_only:
        qs = qs.filter(state=CorrectiveActionReport.State.APPROVED)
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
