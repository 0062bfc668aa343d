"""After service's measures for the compliance board (M25), registered in
``AftercareConfig.ready()``.

Each is a rate over what fell due in the period — the weekly sample's calls (M13), the defect
watches' inspections (M14), rework's special follow-ups (M15) — judged once it is done or its due
time has passed, and kept when done by its due time: the same counts the weekly job writes to
``WeeklyMeasure`` (``services/measures.py``), computed here for any week or month. M23's part:
the customers reached by the weekly sample's calls who said they were satisfied.
"""

from decimal import Decimal

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.measures import PERCENT, Case, Measure, Period, tally
from propdesk.core.scoping import scope_for
from propdesk.tickets.selectors import without_recused

from .models import FollowupCall, Inspection

MADE = (FollowupCall.State.DONE, FollowupCall.State.UNREACHED)  # an unreached call was made too


def _judged(now) -> Q:
    return Q(done_at__isnull=False) | Q(due_at__lt=now)


def _kept(done: Q | None = None) -> Q:
    return (done or Q()) & Q(done_at__isnull=False, done_at__lte=F("due_at"))


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


def _offices(qs, office_ids, field="office_id"):
    return qs if office_ids is None else qs.filter(**{f"{field}__in": office_ids})


def _office(qs, office_id, field="office_id"):
    return qs if office_id is None else qs.filter(**{field: office_id})


# --- the calls: M13's weekly sample and M15's special follow-up of rework ---------------------


def _calls(kind, user=None):
    qs = FollowupCall.objects.filter(kind=kind)
    if user is not None:
        qs = without_recused(scope_for(qs, user), user, ticket="ticket_id")
    return qs


def _call_compute(kind, done: Q):
    def compute(periods, *, now, office_ids=None):
        # Served by the (office, kind, due_at) index.
        return tally(
            _offices(_calls(kind), office_ids),
            periods=periods,
            when="due_at",
            judged=_judged(now),
            hit=_kept(done),
        )

    return compute


def _call_cases(kind, done: Q):
    def cases(user, *, office_id, period: Period, now, missed=True):
        start, end = period.bounds()
        qs = _office(_calls(kind, user), office_id).filter(
            _judged(now), due_at__gte=start, due_at__lt=end
        )
        if missed:
            qs = qs.exclude(_kept(done))
        return qs.select_related("office", "ticket").order_by("due_at", "pk")

    return cases


def call_case(call: FollowupCall) -> Case:
    late = not (call.done_at and call.done_at <= call.due_at)
    return Case(
        title=f"{call.ticket.number} {call.get_kind_display()}",
        url=reverse("console:followup_call", args=[call.pk]),
        when=call.due_at,
        office=call.office.name,
        detail=_("Due %(due)s, made %(done)s")
        % {"due": _local(call.due_at), "done": _local(call.done_at)},
        missed=late,
    )


# --- M14: the defect watches' inspections -----------------------------------------------------


def _inspections(user=None):
    qs = Inspection.objects.all()
    if user is not None:
        qs = scope_for(qs, user, office_field="watch__office")
    return qs


def m14_compute(periods, *, now, office_ids=None):
    return tally(
        _offices(_inspections(), office_ids, "watch__office_id"),
        periods=periods,
        office="watch__office_id",
        when="due_at",
        judged=_judged(now),
        hit=_kept(),
    )


def m14_cases(user, *, office_id, period: Period, now, missed=True):
    start, end = period.bounds()
    qs = _office(_inspections(user), office_id, "watch__office_id").filter(
        _judged(now), due_at__gte=start, due_at__lt=end
    )
    if missed:
        qs = qs.exclude(_kept())
    return qs.select_related("watch__office", "watch__ticket").order_by("due_at", "pk")


def m14_case(inspection: Inspection) -> Case:
    watch = inspection.watch
    late = not (inspection.done_at and inspection.done_at <= inspection.due_at)
    return Case(
        title=_("%(number)s inspection %(n)s")
        % {"number": watch.ticket.number, "n": inspection.number},
        url=reverse("console:defect_watch", args=[watch.pk]),
        when=inspection.due_at,
        office=watch.office.name,
        detail=_("Due %(due)s, inspected %(done)s")
        % {"due": _local(inspection.due_at), "done": _local(inspection.done_at)},
        missed=late,
    )


# --- M23: satisfied when reached by the weekly sample -----------------------------------------


def _reached(user=None):
    return _calls(FollowupCall.Kind.SAMPLE, user).filter(reached=True, done_at__isnull=False)


def m23_followup_compute(periods, *, now, office_ids=None):
    return tally(
        _offices(_reached(), office_ids), periods=periods, when="done_at", hit=Q(satisfied=True)
    )


def m23_followup_cases(user, *, office_id, period: Period, now, missed=True):
    start, end = period.bounds()
    qs = _office(_reached(user), office_id).filter(done_at__gte=start, done_at__lt=end)
    if missed:
        qs = qs.exclude(satisfied=True)
    return qs.select_related("office", "ticket").order_by("done_at", "pk")


def m23_followup_case(call: FollowupCall) -> Case:
    return Case(
        title=f"{call.ticket.number} {call.get_kind_display()}",
        url=reverse("console:followup_call", args=[call.pk]),
        when=call.done_at,
        office=call.office.name,
        detail=call.comment[:120],
        missed=call.satisfied is not True,
    )


SAMPLE, REWORK = FollowupCall.Kind.SAMPLE, FollowupCall.Kind.REWORK
ANY = Q()

MEASURES = [
    Measure(
        key="m13_sample_called",
        rule="M13",
        label=_("Sampled repair orders called in their week"),
        short_label=_("Sample calls"),
        description=_(
            "Calls of the weekly sample (a fifth of the repairs) falling due in the period: made "
            "(reached or not) by their due time, out of those made or already past it."
        ),
        unit=PERCENT,
        target=Decimal("100"),
        higher_is_better=True,
        compute=_call_compute(SAMPLE, Q(state__in=MADE)),
        cases=_call_cases(SAMPLE, Q(state__in=MADE)),
        case=call_case,
        numerator_label=_("made in time"),
        denominator_label=_("due"),
    ),
    Measure(
        key="m14_inspections_on_time",
        rule="M14",
        label=_("Major-defect inspections on time"),
        short_label=_("Defect inspections"),
        description=_(
            "Inspections of watched major-defect repairs falling due in the period: made by "
            "their due time, out of those made or already past it."
        ),
        unit=PERCENT,
        target=Decimal("100"),
        higher_is_better=True,
        compute=m14_compute,
        cases=m14_cases,
        case=m14_case,
        numerator_label=_("on time"),
        denominator_label=_("due"),
    ),
    Measure(
        key="m15_rework_followup_24h",
        rule="M15",
        label=_("Rework followed up within 24 hours"),
        short_label=_("Rework follow-up"),
        description=_(
            "Special follow-ups of rework falling due in the period (24 hours after the customer "
            "said the defect remains): made by then, out of those made or already past it."
        ),
        unit=PERCENT,
        target=Decimal("100"),
        higher_is_better=True,
        compute=_call_compute(REWORK, ANY),
        cases=_call_cases(REWORK, ANY),
        case=call_case,
        numerator_label=_("within 24 h"),
        denominator_label=_("due"),
    ),
    Measure(
        key="m23_followup_satisfied",
        rule="M23",
        order=1,
        label=_("Customers satisfied when called back"),
        short_label=_("Call-back satisfaction"),
        description=_(
            "Customers reached by the weekly sample's calls made in the period: satisfied out "
            "of reached."
        ),
        unit=PERCENT,
        target=Decimal("100"),
        higher_is_better=True,
        compute=m23_followup_compute,
        cases=m23_followup_cases,
        case=m23_followup_case,
        numerator_label=_("satisfied"),
        denominator_label=_("reached"),
    ),
]
