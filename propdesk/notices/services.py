"""Every change to a notice (M05): one function per action, each in one transaction.

Who may act: ``notice.edit`` writes drafts, ``notice.publish`` schedules, publishes, corrects and
archives (core.permissions). A company-wide notice is the company's: only company roles act on
it; an office's notice is for that office's staff (and company roles). Which action a notice's
state allows, and each action's permission, is the table ``lifecycle.NOTICES``.

Two people may act on one notice at once: each change locks the notice's row and re-reads it, and
raises its ``version``; a change made against an older version (``expected_version``) is refused
instead of overwriting the other person's work.
"""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.background import checkpoint, defer, resume_from
from propdesk.core.errors import DomainError, Forbidden
from propdesk.core.lifecycle import check_version
from propdesk.core.notify import notify_many
from propdesk.core.permissions import require
from propdesk.customers.models import Building

from .lifecycle import NOTICES, company_may
from .models import Notice, NoticeAttachment, NoticeRead, NoticeRevision
from .selectors import audience_customers, audience_staff

State = Notice.State
Scope = Notice.Scope
TEXT_FIELDS = ("title", "body")
EDITABLE = (
    "category",
    "title",
    "body",
    "by_board",
    "by_notification",
    "by_network",
    "pinned",
    "urgent",
)
PDF_MAGIC = b"%PDF-"


def _require(actor, action: str, *, office) -> None:
    require(actor, action, office)
    if not company_may(actor, office.pk if office is not None else None):
        raise Forbidden(
            _("Only the company may issue company-wide notices."), code="company_notice"
        )


def can(actor, action: str, notice: Notice) -> bool:
    try:
        _require(actor, action, office=notice.office)
    except Forbidden:
        return False
    return True


def _clean_scope(*, actor, scope, office, buildings) -> tuple:
    """The notice's office and buildings for its scope, or a DomainError naming the field."""
    buildings = list(buildings or [])
    if scope not in Scope.values:
        raise DomainError(_("Choose a scope."), code="invalid_scope", field="scope")
    if scope == Scope.COMPANY:
        if office is not None or buildings:
            raise DomainError(
                _("A company-wide notice names no office and no buildings."),
                code="invalid_scope",
                field="scope",
            )
        return None, []
    if office is None:
        office = getattr(actor, "office", None)
    if office is None:
        raise DomainError(_("Choose the office."), code="office_required", field="office")
    if scope == Scope.OFFICE:
        if buildings:
            raise DomainError(
                _("A notice for the whole office names no buildings."),
                code="invalid_scope",
                field="buildings",
            )
        return office, []
    if not buildings:
        raise DomainError(
            _("Choose at least one building."), code="buildings_required", field="buildings"
        )
    ids = {b.pk if isinstance(b, Building) else int(b) for b in buildings}
    found = list(Building.objects.filter(pk__in=ids, community__office=office))
    if len(found) != len(ids):
        raise DomainError(
            _("Every building must belong to the notice's office."),
            code="invalid_scope",
            field="buildings",
        )
    return office, found


def _clean_text(fields: dict) -> None:
    for name in TEXT_FIELDS:
        if name in fields:
            fields[name] = (fields[name] or "").strip()
            if not fields[name]:
                raise DomainError(_("This field is required."), code="required", field=name)
    if "category" in fields and fields["category"] not in Notice.Category.values:
        raise DomainError(_("Choose a category."), code="invalid_category", field="category")


def _check_channels(notice: Notice) -> None:
    if notice.audience == Notice.Audience.STAFF:
        if notice.by_network:
            raise DomainError(
                _("A notice for staff is not published on the portal or the public pages."),
                code="staff_not_public",
                field="by_network",
            )
        if notice.scope == Scope.BUILDINGS:
            raise DomainError(
                _("A notice for staff is for the company or one office."),
                code="invalid_scope",
                field="scope",
            )
    if not (notice.by_board or notice.by_notification or notice.by_network):
        raise DomainError(
            _("Choose at least one channel."), code="channel_required", field="by_network"
        )


@transaction.atomic
def notice_create(
    *,
    actor,
    scope: str,
    category: str,
    title: str,
    body: str,
    office=None,
    buildings=(),
    by_board: bool = True,
    by_notification: bool = False,
    by_network: bool = True,
    pinned: bool = False,
    urgent: bool = False,
    audience: str = Notice.Audience.CUSTOMERS,
) -> Notice:
    office, buildings = _clean_scope(actor=actor, scope=scope, office=office, buildings=buildings)
    if audience not in Notice.Audience.values:
        raise DomainError(_("Choose who the notice is for."), code="invalid", field="audience")
    _require(actor, "notice.edit", office=office)
    fields = {"category": category, "title": title, "body": body}
    _clean_text(fields)
    notice = Notice(
        office=office,
        scope=scope,
        by_board=by_board,
        by_notification=by_notification,
        by_network=by_network,
        pinned=pinned,
        urgent=urgent,
        audience=audience,
        created_by=actor,
        **fields,
    )
    _check_channels(notice)
    notice.save()
    notice.buildings.set(buildings)
    return notice


def _locked(notice: Notice, action: str, *, actor, expected_version: int | None) -> Notice:
    """The notice's row, locked against a concurrent change and re-read; then, in this order,
    the actor's permission for ``action`` (the table's), the version the change was made against,
    and whether the notice's state allows ``action`` (the table's refusal)."""
    fresh = Notice.objects.select_for_update().get(pk=notice.pk)
    _require(actor, NOTICES[action].permission, office=fresh.office)
    check_version(
        fresh,
        expected_version,
        message=_("Someone else changed this notice meanwhile. Reload it and try again."),
    )
    NOTICES.check(fresh, action)
    return fresh


def _save(notice: Notice, fields) -> None:
    """Save ``fields`` with a new version: every change raises it."""
    notice.version += 1
    notice.save(update_fields=[*fields, "version", "updated_at"])


@transaction.atomic
def notice_update(
    *,
    actor,
    notice: Notice,
    scope=None,
    buildings=None,
    expected_version: int | None = None,
    **fields,
) -> Notice:
    """Change a draft or a scheduled notice (never a published one: see ``notice_revise``)."""
    notice = _locked(notice, "edit", actor=actor, expected_version=expected_version)
    unknown = set(fields) - set(EDITABLE) - {"office"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changed = []
    if scope is not None or buildings is not None or "office" in fields:
        scope = scope or notice.scope
        office = fields.pop("office", notice.office if scope != Scope.COMPANY else None)
        if buildings is None:
            buildings = list(notice.buildings.all()) if scope == Scope.BUILDINGS else []
        office, buildings = _clean_scope(
            actor=actor, scope=scope, office=office, buildings=buildings
        )
        _require(actor, NOTICES["edit"].permission, office=office)
        notice.scope, notice.office = scope, office
        notice.buildings.set(buildings)
        changed += ["scope", "office"]
    _clean_text(fields)
    for name, value in fields.items():
        setattr(notice, name, value)
        changed.append(name)
    _check_channels(notice)
    if changed:
        _save(notice, changed)
    return notice


@transaction.atomic
def notice_schedule(
    *,
    actor,
    notice: Notice,
    publish_at: dt.datetime,
    expected_version: int | None = None,
    now=None,
) -> Notice:
    now = now or timezone.now()
    notice = _locked(notice, "schedule", actor=actor, expected_version=expected_version)
    if publish_at is None or publish_at <= now:
        raise DomainError(
            _("Choose a time in the future."), code="past_publish_at", field="publish_at"
        )
    notice.state, notice.publish_at = NOTICES["schedule"].target, publish_at
    _save(notice, ["state", "publish_at"])
    return notice


@transaction.atomic
def notice_unschedule(*, actor, notice: Notice, expected_version: int | None = None) -> Notice:
    notice = _locked(notice, "unschedule", actor=actor, expected_version=expected_version)
    notice.state, notice.publish_at = NOTICES["unschedule"].target, None
    _save(notice, ["state", "publish_at"])
    return notice


def _publish(notice: Notice, *, actor, now) -> None:
    notice.state, notice.published_at = NOTICES["publish"].target, now
    notice.published_by = actor
    _save(notice, ["state", "published_at", "published_by"])
    NoticeRevision.objects.create(
        notice=notice,
        number=1,
        title=notice.title,
        body=notice.body,
        created_at=now,
        created_by=actor,
    )
    if notice.by_notification:
        _fan_out_after_commit(notice.pk)


def _fan_out_after_commit(notice_id: int) -> None:
    # The request (or the job) commits the notice and returns; the messages to its customers are
    # written by a task, in chunks, however many there are (M05: 10,000 customers). The work is
    # recorded with the notice, so it is finished even if the broker or the worker dies.
    defer(
        "propdesk.notices.services.notice_fan_out",
        key=f"notice:{notice_id}:fan_out",
        notice_id=notice_id,
    )


@transaction.atomic
def notice_publish(
    *, actor, notice: Notice, expected_version: int | None = None, now=None
) -> Notice:
    now = now or timezone.now()
    notice = _locked(notice, "publish", actor=actor, expected_version=expected_version)
    _publish(notice, actor=actor, now=now)
    return notice


def publish_due(*, now: dt.datetime) -> dict:
    """Periodic job: publish scheduled notices whose time has come. Each is claimed by a
    conditional update, so a second run, or a run on another machine, publishes nothing twice."""
    published = 0
    step = NOTICES["publish_when_due"]
    due = Notice.objects.filter(state__in=step.sources, publish_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due[:500]):
        with transaction.atomic():
            claimed = Notice.objects.filter(pk=pk, state__in=step.sources).update(
                state=step.target, published_at=now, updated_at=now, version=F("version") + 1
            )
            if not claimed:
                continue
            notice = Notice.objects.get(pk=pk)
            NoticeRevision.objects.create(
                notice=notice, number=1, title=notice.title, body=notice.body, created_at=now
            )
            if notice.by_notification:
                _fan_out_after_commit(notice.pk)
            published += 1
    return {"published": published}


@transaction.atomic
def notice_revise(
    *,
    actor,
    notice: Notice,
    title: str,
    body: str,
    note: str = "",
    expected_version: int | None = None,
    now=None,
):
    """Correct a published notice: a new revision, shown to customers as "corrected on …"."""
    now = now or timezone.now()
    notice = _locked(notice, "revise", actor=actor, expected_version=expected_version)
    fields = {"title": title, "body": body}
    _clean_text(fields)
    if fields["title"] == notice.title and fields["body"] == notice.body:
        raise DomainError(_("Nothing was changed."), code="unchanged", field="body")
    last = notice.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    NoticeRevision.objects.create(
        notice=notice,
        number=last + 1,
        note=(note or "").strip()[:300],
        created_at=now,
        created_by=actor,
        **fields,
    )
    notice.title, notice.body, notice.corrected_at = fields["title"], fields["body"], now
    _save(notice, ["title", "body", "corrected_at"])
    return notice


@transaction.atomic
def notice_archive(
    *, actor, notice: Notice, expected_version: int | None = None, now=None
) -> Notice:
    now = now or timezone.now()
    notice = _locked(notice, "archive", actor=actor, expected_version=expected_version)
    notice.state, notice.archived_at = NOTICES["archive"].target, now
    _save(notice, ["state", "archived_at"])
    return notice


def _check_upload(upload) -> None:
    limit = settings.PROPDESK_MAX_PHOTO_BYTES
    if upload.size > limit:
        raise DomainError(
            _("The file is too large: at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
            code="file_too_large",
            field="file",
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        return
    from propdesk.core.uploads import validate_photo

    try:
        validate_photo(upload, field="file")
    except DomainError:
        raise DomainError(
            _("Attach a PDF or an image (JPEG, PNG, WebP or GIF)."),
            code="bad_attachment",
            field="file",
        ) from None


@transaction.atomic
def notice_attach(
    *, actor, notice: Notice, upload, expected_version: int | None = None
) -> NoticeAttachment:
    notice = _locked(notice, "attach", actor=actor, expected_version=expected_version)
    _check_upload(upload)
    name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:200]
    attachment = NoticeAttachment.objects.create(
        notice=notice, file=upload, name=name, size=upload.size
    )
    _save(notice, [])  # its files are part of it
    return attachment


@transaction.atomic
def notice_detach(
    *, actor, attachment: NoticeAttachment, expected_version: int | None = None
) -> None:
    notice = _locked(attachment.notice, "detach", actor=actor, expected_version=expected_version)
    attachment.delete()
    _save(notice, [])


def notice_mark_read(*, notice: Notice, customer, now=None) -> None:
    """The customer opened the notice: recorded once, the first time (a second opening, or two
    at once, changes nothing)."""
    NoticeRead.objects.bulk_create(
        [NoticeRead(notice=notice, customer=customer, read_at=now or timezone.now())],
        ignore_conflicts=True,
    )


FAN_OUT_CHUNK = 1000


# A Celery task too: scheduled after the publication commits, on a worker when there is one.
@shared_task(name="propdesk.notices.fan_out")
def notice_fan_out(*, notice_id: int, now=None, chunk: int | None = None) -> int:
    """Write the notification of a published notice to everyone in its scope, on their own
    channels: customers (in the portal), or every member of staff for a staff notice (M20: a
    corrective action report). A chunk of people per transaction, each chunk one bulk insert.
    Keyed per notice, person and channel, so running it again (after a crash, or twice) adds
    nothing; each chunk commits with a checkpoint, so a run after a crash resumes after the last
    one. Returns the number of messages written."""
    now = now or timezone.now()
    notice = Notice.objects.filter(pk=notice_id, state=State.PUBLISHED).first()
    if notice is None or not notice.by_notification:
        return 0
    if notice.audience == Notice.Audience.STAFF:
        people = audience_staff(notice).only("pk", "language", "email")
        recipients, link = "users", reverse("console:notice", args=[notice.pk])
        subject = _("Internal notice: %(title)s")
        body = _("%(office)s has published a notice for staff: %(title)s.")
    else:
        people = audience_customers(notice).only(
            "pk", "language", "email", "notify_by_sms", "notify_by_email"
        )
        recipients, link = "customers", reverse("portal:notice", args=[notice.pk])
        subject = _("Notice: %(title)s")
        body = _("%(office)s has published a notice: %(title)s. Read it in the portal.")
    written, after = 0, resume_from(0)
    while True:
        batch = list(people.filter(pk__gt=after).order_by("pk")[: chunk or FAN_OUT_CHUNK])
        if not batch:
            return written
        with transaction.atomic():
            checkpoint(batch[-1].pk)
            written += notify_many(
                event="notice_published",
                subject=subject,
                body=body,
                context={"title": notice.title, "office": _office_name(notice)},
                dedupe_key=f"notice:{notice.pk}",
                urgent=notice.urgent,  # urgent ones are not held over the quiet hours
                link=link,
                now=now,
                **{recipients: batch},
            )
        after = batch[-1].pk


def _office_name(notice: Notice) -> str:
    return notice.office.name if notice.office_id else str(_("Property management"))
