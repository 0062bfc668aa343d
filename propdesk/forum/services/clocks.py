"""The response clocks (M21): every post in public is answered officially within the company's
target (``PROPDESK_FORUM_RESPONSE_HOURS``, 24 hours unless set), and triaged within
``TRIAGE_HOURS``. A periodic job reminds those handling a post ``REMIND_AHEAD`` before its answer
is due and alerts the office's director and Quality once it is late; each message goes once, so a
second run changes nothing."""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.org.models import Role, User

from ..models import Post, Visibility
from ._common import E, log, tell_staff

DEFAULT_RESPONSE_HOURS = 24
TRIAGE_HOURS = 4
REMIND_AHEAD = dt.timedelta(hours=4)

REMINDER = (
    _("Forum post due for an answer: %(title)s"),
    _("The forum post “%(title)s” needs its official reply by %(due)s."),
)
ALERT = (
    _("Forum post answered late: %(title)s"),
    _("The forum post “%(title)s” was due for an official reply by %(due)s and has none yet."),
)


def response_hours() -> int:
    return int(getattr(settings, "PROPDESK_FORUM_RESPONSE_HOURS", DEFAULT_RESPONSE_HOURS))


def response_due(published_at: dt.datetime) -> dt.datetime:
    return published_at + dt.timedelta(hours=response_hours())


def handlers(post: Post):
    """Who answers the post: the department it was routed to, else the office's desk."""
    if post.department_id:
        staff = User.objects.filter(department_id=post.department_id, is_active=True)
        if post.department.office_id is None:
            return staff
        return staff.filter(office_id=post.office_id)
    return User.objects.desk_of(post.office_id)


def supervisors(post: Post):
    """Who hears of a late answer: the office's director and the company's quality managers."""
    return User.objects.filter(
        Q(role=Role.DIRECTOR, office_id=post.office_id) | Q(role=Role.QUALITY), is_active=True
    )


def _due_text(post) -> str:
    return timezone.localtime(post.due_at).strftime("%Y-%m-%d %H:%M")


def forum_response_clocks(*, now: dt.datetime | None = None) -> dict:
    """Remind before the target, alert after it: each post claimed by a conditional update, so a
    second run (or a second worker) sends nothing again."""
    now = now or timezone.now()
    waiting = Post.objects.filter(
        state=Visibility.VISIBLE, first_answer_at__isnull=True, due_at__isnull=False
    ).select_related("department")
    reminded = alerted = 0
    for post in waiting.filter(
        reminded_at__isnull=True, due_at__gt=now, due_at__lte=now + REMIND_AHEAD
    ):
        if Post.objects.filter(pk=post.pk, reminded_at__isnull=True).update(reminded_at=now):
            tell_staff(handlers(post), post, "reminder", *REMINDER, now=now, due=_due_text(post))
            log(post, E.REMINDED, now=now)
            reminded += 1
    for post in waiting.filter(alerted_at__isnull=True, due_at__lte=now):
        if Post.objects.filter(pk=post.pk, alerted_at__isnull=True).update(alerted_at=now):
            users = list(handlers(post)) + list(supervisors(post))
            unique = list({u.pk: u for u in users}.values())
            tell_staff(unique, post, "late", *ALERT, now=now, urgent=False, due=_due_text(post))
            log(post, E.LATE, now=now)
            alerted += 1
    return {"reminded": reminded, "alerted": alerted}
