"""Complaints' measures for the compliance board (M25), registered in
``ComplaintsConfig.ready()``.

- M19: complaints answered first (responded to) by their first-response deadline, and resolved
  by their request's deadline — each judged once done or once its deadline has passed.
- M20: complaints closed in the period with a cause analysis and at least one preventive measure
  (target 100%), and preventive measures done by their date.
- M23: complaints received per 100 households (the office's active households now: the roster
  keeps no past counts), and complaints received that were responded to (target 100%) — the same
  counts as the complaint numbers page (``selectors.numbers``).
"""

from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.measures import (
    COUNT,
    PERCENT,
    Case,
    Figure,
    Measure,
    Period,
    tally,
)
from propdesk.customers.models import Household

from .models import Complaint, PreventiveMeasure
from .selectors import complaints_for


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


def _offices(qs, office_ids, field="office_id"):
    return qs if office_ids is None else qs.filter(**{f"{field}__in": office_ids})


def _office(qs, office_id, field="office_id"):
    return qs if office_id is None else qs.filter(**{field: office_id})


def _in(qs, field, period: Period):
    start, end = period.bounds()
    return qs.filter(**{f"{field}__gte": start, f"{field}__lt": end})


def _complaint_case(complaint: Complaint, *, when, detail, missed) -> Case:
    return Case(
        title=f"{complaint.ticket.number} {complaint.get_category_display()}",
        url=reverse("console:complaint", args=[complaint.pk]),
        when=when,
        office=complaint.office.name,
        detail=detail,
        missed=missed,
    )


def _listed(qs):
    return qs.select_related("ticket", "office")


# --- M19: responded to and resolved on time ---------------------------------------------------

RESPONDED_ON_TIME = Q(
    first_responded_at__isnull=False, first_responded_at__lte=F("first_response_due_at")
)
RESOLVED_ON_TIME = Q(resolved_at__isnull=False, resolved_at__lte=F("ticket__due_at"))


def _response_judged(now) -> Q:
    return Q(first_responded_at__isnull=False) | Q(first_response_due_at__lt=now)


def _resolution_judged(now) -> Q:
    return Q(resolved_at__isnull=False) | Q(ticket__due_at__lt=now)


def m19_response_compute(periods, *, now, office_ids=None):
    return tally(
        _offices(Complaint.objects.all(), office_ids),
        periods=periods,
        when="first_response_due_at",
        judged=_response_judged(now),
        hit=RESPONDED_ON_TIME,
    )


def m19_response_cases(user, *, office_id, period, now, missed=True):
    qs = _in(_office(complaints_for(user), office_id), "first_response_due_at", period)
    qs = qs.filter(_response_judged(now))
    if missed:
        qs = qs.exclude(RESPONDED_ON_TIME)
    return _listed(qs).order_by("first_response_due_at", "pk")


def m19_response_case(c: Complaint) -> Case:
    late = not (c.first_responded_at and c.first_responded_at <= c.first_response_due_at)
    detail = _("Response due %(due)s, responded %(done)s") % {
        "due": _local(c.first_response_due_at),
        "done": _local(c.first_responded_at),
    }
    return _complaint_case(c, when=c.first_response_due_at, detail=detail, missed=late)


def m19_resolution_compute(periods, *, now, office_ids=None):
    return tally(
        _offices(Complaint.objects.all(), office_ids),
        periods=periods,
        when="ticket__due_at",
        judged=_resolution_judged(now),
        hit=RESOLVED_ON_TIME,
    )


def m19_resolution_cases(user, *, office_id, period, now, missed=True):
    qs = _in(_office(complaints_for(user), office_id), "ticket__due_at", period)
    qs = qs.filter(_resolution_judged(now))
    if missed:
        qs = qs.exclude(RESOLVED_ON_TIME)
    return _listed(qs).order_by("ticket__due_at", "pk")


def m19_resolution_case(c: Complaint) -> Case:
    due = c.ticket.due_at
    late = not (c.resolved_at and c.resolved_at <= due)
    detail = _("Resolution due %(due)s, resolved %(done)s") % {
        "due": _local(due),
        "done": _local(c.resolved_at),
    }
    return _complaint_case(c, when=due, detail=detail, missed=late)


# --- M20: cause and prevention ----------------------------------------------------------------


def _prevented() -> Q:
    measures = PreventiveMeasure.objects.filter(complaint=OuterRef("pk"))
    return ~Q(cause_category="") & ~Q(cause_analysis="") & Q(Exists(measures))


def m20_closed_compute(periods, *, now, office_ids=None):
    return tally(
        _offices(Complaint.objects.filter(closed_at__isnull=False), office_ids),
        periods=periods,
        when="closed_at",
        hit=_prevented(),
    )


def m20_closed_cases(user, *, office_id, period, now, missed=True):
    qs = _in(_office(complaints_for(user), office_id), "closed_at", period)
    if missed:
        qs = qs.exclude(_prevented())
    return _listed(qs).annotate(n_measures=Count("measures")).order_by("closed_at", "pk")


def m20_closed_case(c: Complaint) -> Case:
    n = getattr(c, "n_measures", 0)
    missed = not (c.cause_category and c.cause_analysis and n)
    detail = _("Cause: %(cause)s; %(n)s preventive measures") % {
        "cause": c.get_cause_category_display() or "—",
        "n": n,
    }
    return _complaint_case(c, when=c.closed_at, detail=detail, missed=missed)


DONE_BY_DATE = Q(done_at__isnull=False, done_at__date__lte=F("due_on"))


def _measure_judged(now) -> Q:
    return Q(done_at__isnull=False) | Q(due_on__lt=timezone.localdate(now))


def m20_measures_compute(periods, *, now, office_ids=None):
    return tally(
        _offices(PreventiveMeasure.objects.all(), office_ids, "complaint__office_id"),
        periods=periods,
        office="complaint__office_id",
        when="due_on",
        dates=True,
        judged=_measure_judged(now),
        hit=DONE_BY_DATE,
    )


def m20_measures_cases(user, *, office_id, period, now, missed=True):
    qs = PreventiveMeasure.objects.filter(complaint__in=complaints_for(user).values("pk"))
    qs = _office(qs, office_id, "complaint__office_id").filter(
        _measure_judged(now), due_on__gte=period.start, due_on__lt=period.end
    )
    if missed:
        qs = qs.exclude(DONE_BY_DATE)
    return qs.select_related("complaint__ticket", "complaint__office").order_by("due_on", "pk")


def m20_measures_case(m: PreventiveMeasure) -> Case:
    late = not (m.done_at and timezone.localdate(m.done_at) <= m.due_on)
    return Case(
        title=f"{m.complaint.ticket.number} {m.description[:60]}",
        url=reverse("console:complaint", args=[m.complaint_id]),
        when=m.due_on,
        office=m.complaint.office.name,
        detail=_("Due %(due)s, done %(done)s") % {"due": m.due_on, "done": _local(m.done_at)},
        missed=late,
    )


# --- M23: complaint rate and every complaint answered -----------------------------------------


def per_hundred(figure: Figure) -> Decimal | None:
    """Complaints per 100 households."""
    if not figure.denominator:
        return None
    return Decimal(100) * Decimal(figure.numerator) / Decimal(figure.denominator)


def m23_rate_compute(periods, *, now, office_ids=None):
    received = tally(
        _offices(Complaint.objects.all(), office_ids), periods=periods, when="created_at"
    )
    households = dict(
        _offices(Household.objects.filter(is_active=True), office_ids)
        .values_list("office_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    figures = {}
    for office_id in set(received) | set(households):
        counts = received.get(office_id) or [Figure()] * len(periods)
        n = households.get(office_id, 0)
        figures[office_id] = [Figure(f.numerator, n) for f in counts]
    return figures


def _received_cases(user, office_id, period):
    return _in(_office(complaints_for(user), office_id), "created_at", period)


def m23_rate_cases(user, *, office_id, period, now, missed=True):
    return _listed(_received_cases(user, office_id, period)).order_by("created_at", "pk")


def m23_received_case(c: Complaint) -> Case:
    responded = c.first_responded_at is not None
    detail = (
        _("Responded %(at)s") % {"at": _local(c.first_responded_at)}
        if responded
        else _("Not responded to")
    )
    return _complaint_case(c, when=c.created_at, detail=detail, missed=not responded)


def m23_responded_compute(periods, *, now, office_ids=None):
    return tally(
        _offices(Complaint.objects.all(), office_ids),
        periods=periods,
        when="created_at",
        hit=Q(first_responded_at__isnull=False),
    )


def m23_responded_cases(user, *, office_id, period, now, missed=True):
    qs = _received_cases(user, office_id, period)
    if missed:
        qs = qs.filter(first_responded_at__isnull=True)
    return _listed(qs).order_by("created_at", "pk")


MEASURES = [
    Measure(
        key="m19_responded_on_time",
        rule="M19",
        label=_("Complaints responded to on time"),
        short_label=_("Complaint response time"),
        description=_(
            "Complaints whose first-response deadline fell in the period: responded to by it, "
            "out of those responded to or already past it."
        ),
        unit=PERCENT,
        target=Decimal("100"),
        higher_is_better=True,
        compute=m19_response_compute,
        cases=m19_response_cases,
        case=m19_response_case,
        numerator_label=_("on time"),
        denominator_label=_("due"),
    ),
    Measure(
        key="m19_resolved_on_time",
        rule="M19",
        order=1,
        label=_("Complaints resolved on time"),
        short_label=_("Complaint resolution time"),
        description=_(
            "Complaints whose deadline fell in the period: resolved by it, out of those "
            "resolved or already past it."
        ),
        unit=PERCENT,
        target=Decimal("100"),
        higher_is_better=True,
        compute=m19_resolution_compute,
        cases=m19_resolution_cases,
        case=m19_resolution_case,
        numerator_label=_("on time"),
        denominator_label=_("due"),
    ),
    Measure(
        key="m20_cause_and_prevention",
        rule="M20",
        label=_("Closed complaints with cause and prevention"),
        short_label=_("Cause and prevention"),
        description=_(
            "Complaints closed in the period with a cause analysis and at least one preventive "
            "measure, out of all closed."
        ),
        unit=PERCENT,
        target=Decimal("100"),
        higher_is_better=True,
        compute=m20_closed_compute,
        cases=m20_closed_cases,
        case=m20_closed_case,
        numerator_label=_("with prevention"),
        denominator_label=_("closed"),
    ),
    Measure(
        key="m20_prevention_done",
        rule="M20",
        order=1,
        label=_("Preventive measures done by their date"),
        short_label=_("Prevention done"),
        description=_(
            "Preventive measures due in the period: done by their date, out of those done or "
            "already past it."
        ),
        unit=PERCENT,
        target=Decimal("100"),
        higher_is_better=True,
        compute=m20_measures_compute,
        cases=m20_measures_cases,
        case=m20_measures_case,
        numerator_label=_("done in time"),
        denominator_label=_("due"),
    ),
    Measure(
        key="m23_complaint_rate",
        rule="M23",
        order=3,
        label=_("Complaints per 100 households"),
        short_label=_("Complaint rate"),
        description=_(
            "Complaints received in the period per 100 of the office's active households. The "
            "manual sets no figure: set a target to colour it."
        ),
        unit=COUNT,
        target=None,
        higher_is_better=False,
        compute=m23_rate_compute,
        value=per_hundred,
        cases=m23_rate_cases,
        case=m23_received_case,
        numerator_label=_("complaints"),
        denominator_label=_("households"),
    ),
    Measure(
        key="m23_complaints_responded",
        rule="M23",
        order=4,
        label=_("Complaints responded to"),
        short_label=_("Complaints responded"),
        description=_("Complaints received in the period that have been responded to."),
        unit=PERCENT,
        target=Decimal("100"),
        higher_is_better=True,
        compute=m23_responded_compute,
        cases=m23_responded_cases,
        case=m23_received_case,
        numerator_label=_("responded"),
        denominator_label=_("received"),
    ),
]
