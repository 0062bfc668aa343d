"""The forum's measure for the compliance board (M25), registered in ``ForumConfig.ready()``.

- M21: posts whose answer target fell in the period, answered officially by it — judged once
  answered or once the target has passed — counted for the office that answered (or, unanswered,
  the office answerable for the post), as ``selectors.response_measures`` counts them.
"""

from decimal import Decimal

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.measures import PERCENT, Case, Measure, Period, tally
from propdesk.core.scoping import scope_for

from .models import Post

ANSWERED_ON_TIME = Q(first_answer_at__isnull=False, first_answer_at__lte=F("due_at"))


def _posts():
    # The office measured: the one that answered, else the one the post waits on.
    return Post.objects.filter(due_at__isnull=False).annotate(
        measured_office=Coalesce("answered_office_id", "office_id")
    )


def _judged(now) -> Q:
    return Q(first_answer_at__isnull=False) | Q(due_at__lt=now)


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


def compute(periods, *, now, office_ids=None):
    qs = _posts()
    if office_ids is not None:
        qs = qs.filter(measured_office__in=office_ids)
    return tally(
        qs,
        periods=periods,
        office="measured_office",
        when="due_at",
        judged=_judged(now),
        hit=ANSWERED_ON_TIME,
    )


def cases(user, *, office_id, period: Period, now, missed=True):
    qs = scope_for(_posts(), user, office_field="measured_office")
    if office_id is not None:
        qs = qs.filter(measured_office=office_id)
    start, end = period.bounds()
    qs = qs.filter(due_at__gte=start, due_at__lt=end).filter(_judged(now))
    if missed:
        qs = qs.exclude(ANSWERED_ON_TIME)
    return qs.select_related("office", "answered_office").order_by("due_at", "pk")


def case(post: Post) -> Case:
    late = not (post.first_answer_at and post.first_answer_at <= post.due_at)
    detail = _("Answer due %(due)s, answered %(done)s") % {
        "due": _local(post.due_at),
        "done": _local(post.first_answer_at),
    }
    return Case(
        title=post.title,
        url=reverse("console:forum_post", args=[post.pk]),
        when=post.due_at,
        office=(post.answered_office or post.office).name,
        detail=detail,
        missed=late,
    )


MEASURES = [
    Measure(
        key="m21_answered_on_time",
        rule="M21",
        label=_("Forum posts answered on time"),
        short_label=_("Forum answers"),
        description=_(
            "Forum posts whose answer target fell in the period: answered officially by it, out "
            "of those answered or already past it."
        ),
        unit=PERCENT,
        target=Decimal("100"),
        higher_is_better=True,
        compute=compute,
        cases=cases,
        case=case,
        numerator_label=_("on time"),
        denominator_label=_("due"),
    ),
]
