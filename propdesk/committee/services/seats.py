"""A committee set up, and its roster kept: members (owners, with their role and term) and the
customer representatives."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.limits import TEXT_LINE
from propdesk.core.permissions import require
from propdesk.core.scoping import can_see_office
from propdesk.customers.models import Customer

from ..models import Committee, Seat
from ._common import E, _bump, _date, _locked, _log, _text

Kind = Seat.Kind
Role = Seat.Role
STALE = _("Someone else changed this committee meanwhile. Reload it and try again.")


@transaction.atomic
def committee_create(*, actor, office, name: str, established_on, now=None) -> Committee:
    now = now or timezone.now()
    require(actor, "committee.edit", office)
    name = _text(name, "name", _("Name the committee."), limit=120)
    established_on = _date(established_on, "established_on", _("When was it established?"))
    if established_on > timezone.localdate(now):
        raise DomainError(
            _("A committee cannot be established in the future."),
            code="future",
            field="established_on",
        )
    try:
        with transaction.atomic():
            committee = Committee.objects.create(
                office=office, name=name, established_on=established_on
            )
    except IntegrityError:
        raise Conflict(
            _("This office already has its owners' committee."), code="exists", field="office"
        ) from None
    _log(committee, E.CREATED, now=now, actor=actor)
    return committee


@transaction.atomic
def committee_update(
    *, actor, committee: Committee, name: str, expected_version=None, now=None
) -> Committee:
    now = now or timezone.now()
    require(actor, "committee.edit", committee)
    committee = _locked(Committee, committee, expected_version, STALE)
    committee.name = _text(name, "name", _("Name the committee."), limit=120)
    _bump(committee, ["name"])
    return committee


def _check_seat(committee, customer, kind, role, term_from, term_to, *, exclude=None):
    if kind not in Kind.values:
        raise DomainError(_("Choose member or representative."), code="invalid", field="kind")
    if kind == Kind.REPRESENTATIVE:
        role = Role.REPRESENTATIVE
    elif role not in (Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER):
        raise DomainError(_("Choose chair, vice-chair or member."), code="invalid", field="role")
    if kind == Kind.MEMBER and customer.kind != Customer.Kind.OWNER:
        raise DomainError(
            _("Committee members are owners; a tenant can be a customer representative."),
            code="not_an_owner",
            field="customer",
        )
    term_from = _date(term_from, "term_from", _("When does the term begin?"))
    if term_to is not None and term_to != "":
        term_to = _date(term_to, "term_to", "")
        if term_to < term_from:
            raise DomainError(
                _("The term must end after it begins."), code="invalid", field="term_to"
            )
    else:
        term_to = None
    # Terms that overlap [term_from, term_to].
    overlapping = Q(term_to__isnull=True) | Q(term_to__gte=term_from)
    if term_to is not None:
        overlapping &= Q(term_from__lte=term_to)
    others = Seat.objects.filter(overlapping, committee=committee)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.filter(customer=customer, kind=kind).exists():
        raise Conflict(
            _("This customer already has this seat for part of that term."),
            code="seat_taken",
            field="customer",
        )
    if role == Role.CHAIR and others.filter(role=Role.CHAIR).exists():
        raise Conflict(
            _("The committee already has a chair for part of that term."),
            code="chair_taken",
            field="role",
        )
    return role, term_from, term_to


@transaction.atomic
def seat_add(
    *,
    actor,
    committee: Committee,
    customer: Customer,
    kind: str,
    role: str = Role.MEMBER,
    term_from,
    term_to=None,
    expected_version=None,
    now=None,
) -> Seat:
    now = now or timezone.now()
    require(actor, "committee.edit", committee)
    committee = _locked(Committee, committee, expected_version, STALE)
    if customer is None:
        raise DomainError(_("Choose the customer."), code="required", field="customer")
    if customer.office_id != committee.office_id or not can_see_office(actor, customer.office_id):
        raise NotFound(field="customer")
    role, term_from, term_to = _check_seat(committee, customer, kind, role, term_from, term_to)
    seat = Seat(
        committee=committee,
        office_id=committee.office_id,
        customer=customer,
        kind=kind,
        role=role,
        term_from=term_from,
        term_to=term_to,
    )
    seat._history_user = actor
    seat.save()
    _bump(committee, [])
    _log(
        committee,
        E.SEAT_ADDED,
        now=now,
        actor=actor,
        note=f"{customer.name} · {seat.get_role_display()}"[:TEXT_LINE],
    )
    return seat


@transaction.atomic
def seat_update(
    *, actor, seat: Seat, role: str, term_from, term_to=None, expected_version=None, now=None
) -> Seat:
    """Change a seat's role or term; ending a term early is giving it its last day."""
    now = now or timezone.now()
    require(actor, "committee.edit", seat)
    committee = _locked(Committee, seat.committee, expected_version, STALE)
    seat = Seat.objects.select_related("customer").get(pk=seat.pk)
    role, term_from, term_to = _check_seat(
        committee, seat.customer, seat.kind, role, term_from, term_to, exclude=seat
    )
    seat.role, seat.term_from, seat.term_to = role, term_from, term_to
    seat._history_user = actor
    seat.save(update_fields=["role", "term_from", "term_to", "updated_at"])
    _bump(committee, [])
    _log(
        committee,
        E.SEAT_CHANGED,
        now=now,
        actor=actor,
        note=f"{seat.customer.name} · {seat.get_role_display()}"[:TEXT_LINE],
    )
    return seat
