"""Requests' measures for the compliance board (M25), registered in ``TicketsConfig.ready()``.

- M09: requests whose deadline fell in the period and was kept (completed by ``due_at``, which an
  extension agreed in time moves); the violations are the requests completed late and those
  still open past it.
- M23: failed services (reworked, reopened or rated unsatisfied) weighed so that one failure
  outweighs a hundred successes (the manual's 100−1<0), and the customers' ratings of their
  requests (satisfied out of rated).
- M24: revenue from paid and special services (the charges recorded), in yuan.
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.measures import (
    COUNT,
    MONEY,
    PERCENT,
    Case,
    Figure,
    Measure,
    Period,
    amount,
    tally,
)

from .models import OPEN_STATUSES, Charge, Kind, Status, Ticket
from .selectors import tickets_for

# M09 judges every request with a deadline but complaints, whose clocks M19 measures; a request
# declined or cancelled was never to be done.
NOT_JUDGED = (Status.DECLINED, Status.CANCELLED)
# M23: the services whose result a customer can find failed; rework orders repair a failure
# already counted on the original, so they are not counted again as services.
SERVICE_KINDS = (Kind.SERVICE, Kind.REPAIR)
# One failed service outweighs this many successes: 100 good and 1 failed must come out below
# zero (100 − 1 < 0), so each failure weighs 101.
FAILURE_WEIGHT = 101


def _offices(qs, office_ids, field="office_id"):
    return qs if office_ids is None else qs.filter(**{f"{field}__in": office_ids})


def _office(qs, office_id, field="office_id"):
    return qs if office_id is None else qs.filter(**{field: office_id})


def _ticket_case(ticket: Ticket, *, missed=None, detail="") -> Case:
    return Case(
        title=f"{ticket.number} {ticket.get_kind_display()}",
        url=reverse("console:ticket_detail", args=[ticket.pk]),
        when=ticket.completed_at or ticket.due_at,
        office=ticket.office.name,
        detail=detail,
        missed=missed,
    )


# --- M09: the customer's deadline -------------------------------------------------------------

_M09_JUDGED = Q(completed_at__isnull=False)  # completed: early or late


def _m09_judged(now) -> Q:
    """Judged once completed, or once the deadline has passed while it is still open."""
    return _M09_JUDGED | Q(status__in=OPEN_STATUSES, due_at__lt=now)


def _m09_kept() -> Q:
    return Q(completed_at__isnull=False, completed_at__lte=F("due_at"))


def _m09_base(qs=None):
    qs = Ticket.objects.all() if qs is None else qs
    return qs.exclude(kind=Kind.COMPLAINT).exclude(status__in=NOT_JUDGED)


def m09_compute(periods, *, now, office_ids=None):
    # By the deadline's period: served by the (status, due_at) and (office, status, due_at)
    # indexes.
    return tally(
        _offices(_m09_base(), office_ids),
        periods=periods,
        when="due_at",
        judged=_m09_judged(now),
        hit=_m09_kept(),
    )


def m09_cases(user, *, office_id, period: Period, now, missed=True):
    start, end = period.bounds()
    qs = _office(_m09_base(tickets_for(user)), office_id)
    qs = qs.filter(_m09_judged(now), due_at__gte=start, due_at__lt=end)
    if missed:
        qs = qs.exclude(_m09_kept())
    return qs.select_related("office").order_by("due_at", "pk")


def m09_case(ticket: Ticket) -> Case:
    late = not (ticket.completed_at and ticket.completed_at <= ticket.due_at)
    if ticket.completed_at is None:
        detail = _("Still open, due %(due)s") % {"due": _local(ticket.due_at)}
    else:
        detail = _("Due %(due)s, completed %(done)s") % {
            "due": _local(ticket.due_at),
            "done": _local(ticket.completed_at),
        }
    return _ticket_case(ticket, missed=late, detail=detail)


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


# --- M23: failed services and the customers' ratings ------------------------------------------


def _m23_services(qs=None):
    qs = Ticket.objects.all() if qs is None else qs
    return qs.filter(kind__in=SERVICE_KINDS, rework_of__isnull=True, completed_at__isnull=False)


def _failed() -> Q:
    reworked = Ticket.objects.filter(rework_of=OuterRef("pk"))
    return Q(satisfied=False) | Q(reopen_count__gt=0) | Q(Exists(reworked))


def zero_defect_balance(figure: Figure) -> Decimal | None:
    """Successes less ``FAILURE_WEIGHT`` per failure: below zero as soon as one failure is
    not outweighed by more than a hundred successes (100 − 1 < 0)."""
    if not figure.denominator:
        return None
    failures = Decimal(figure.numerator)
    return Decimal(figure.denominator) - failures - FAILURE_WEIGHT * failures


def m23_failed_compute(periods, *, now, office_ids=None):
    return tally(
        _offices(_m23_services(), office_ids), periods=periods, when="completed_at", hit=_failed()
    )


def m23_failed_cases(user, *, office_id, period: Period, now, missed=True):
    start, end = period.bounds()
    qs = _office(_m23_services(tickets_for(user)), office_id)
    qs = qs.filter(completed_at__gte=start, completed_at__lt=end)
    if missed:
        qs = qs.filter(_failed())
    return qs.select_related("office").order_by("completed_at", "pk")


def m23_failed_case(ticket: Ticket) -> Case:
    reasons = []
    if ticket.satisfied is False:
        reasons.append(str(_("rated unsatisfied")))
    if ticket.reopen_count:
        reasons.append(str(_("reopened")))
    failed = bool(reasons) or None
    return _ticket_case(ticket, missed=failed, detail=", ".join(reasons))


def _m23_rated(qs=None):
    qs = Ticket.objects.all() if qs is None else qs
    return qs.filter(completed_at__isnull=False, satisfied__isnull=False)


def m23_rating_compute(periods, *, now, office_ids=None):
    return tally(
        _offices(_m23_rated(), office_ids),
        periods=periods,
        when="completed_at",
        hit=Q(satisfied=True),
    )


def m23_rating_cases(user, *, office_id, period: Period, now, missed=True):
    start, end = period.bounds()
    qs = _office(_m23_rated(tickets_for(user)), office_id)
    qs = qs.filter(completed_at__gte=start, completed_at__lt=end)
    if missed:
        qs = qs.filter(satisfied=False)
    return qs.select_related("office").order_by("completed_at", "pk")


def m23_rating_case(ticket: Ticket) -> Case:
    return _ticket_case(
        ticket, missed=not ticket.satisfied, detail=ticket.satisfaction_comment[:120]
    )


# --- M24: revenue from paid and special services ----------------------------------------------


def m24_compute(periods, *, now, office_ids=None):
    # Served by the (office, recorded_at) index.
    return tally(
        _offices(Charge.objects.all(), office_ids),
        periods=periods,
        when="recorded_at",
        amount="amount",
    )


def m24_cases(user, *, office_id, period: Period, now, missed=True):
    start, end = period.bounds()
    qs = _office(Charge.objects.all(), office_id).filter(
        recorded_at__gte=start, recorded_at__lt=end
    )
    qs = qs.filter(ticket__in=tickets_for(user).values("pk"))
    return qs.select_related("office", "ticket", "item").order_by("recorded_at", "pk")


def m24_report_url(office_id, period: Period) -> str:
    """The revenue report (per office, item and month) over the period's months."""
    query = {"start": f"{period.start:%Y-%m}", "end": f"{period.last_day:%Y-%m}"}
    if office_id is not None:
        query["office"] = office_id
    return reverse("console:revenue") + "?" + urlencode(query)


def m24_case(charge: Charge) -> Case:
    item = charge.item.name if charge.item_id else _("No catalogue item")
    kind = _("special service") if charge.is_special else _("paid service")
    return Case(
        title=f"{charge.ticket.number} {item}",
        url=reverse("console:ticket_detail", args=[charge.ticket_id]),
        when=charge.recorded_at,
        office=charge.office.name,
        detail=f"¥{charge.amount} · {kind}",
    )


MEASURES = [
    Measure(
        key="m09_deadline_kept",
        rule="M09",
        label=_("Requests done within the customer's deadline"),
        short_label=_("Deadlines kept"),
        description=_(
            "Requests (not complaints) whose deadline fell in the period: completed by it, out "
            "of those completed or already past it. An extension agreed in time moves the "
            "deadline; the rest — completed late or still open past it — are violations."
        ),
        unit=PERCENT,
        target=Decimal("100"),
        higher_is_better=True,
        compute=m09_compute,
        cases=m09_cases,
        case=m09_case,
        numerator_label=_("on time"),
        denominator_label=_("due"),
    ),
    Measure(
        key="m23_failed_services",
        rule="M23",
        order=2,
        label=_("Zero-defect balance of services"),
        short_label=_("Zero-defect balance"),
        description=_(
            "Services and repairs completed in the period: the successes less 101 for each "
            "failure (reworked, reopened or rated unsatisfied), so that one failure outweighs a "
            "hundred successes (100 − 1 < 0). Below zero is red."
        ),
        unit=COUNT,
        target=Decimal("0"),
        higher_is_better=True,
        compute=m23_failed_compute,
        value=zero_defect_balance,
        judges_records=True,
        cases=m23_failed_cases,
        case=m23_failed_case,
        numerator_label=_("failed"),
        denominator_label=_("services"),
    ),
    Measure(
        key="m23_request_rating",
        rule="M23",
        order=1,
        label=_("Customers satisfied with their requests"),
        short_label=_("Request satisfaction"),
        description=_(
            "Requests completed in the period and rated by the customer: satisfied out of rated."
        ),
        unit=PERCENT,
        target=Decimal("100"),
        higher_is_better=True,
        compute=m23_rating_compute,
        cases=m23_rating_cases,
        case=m23_rating_case,
        numerator_label=_("satisfied"),
        denominator_label=_("rated"),
    ),
    Measure(
        key="m24_revenue",
        rule="M24",
        label=_("Revenue from paid and special services"),
        short_label=_("Paid services revenue"),
        description=_("Charges recorded in the period for paid and special services, in yuan."),
        unit=MONEY,
        target=None,
        higher_is_better=True,
        compute=m24_compute,
        value=amount,
        cases=m24_cases,
        case=m24_case,
        report_url=m24_report_url,
        numerator_label=_("yuan"),
    ),
]
