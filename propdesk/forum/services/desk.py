"""What the forum desk does with a post (M21): route it to the office and department concerned
(recorded, re-routable, every route kept), answer it officially, and turn it into a request or a
complaint with one action, the link kept both ways (``Post.ticket``; the request's timeline names
the post, and later official replies are on it too)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.complaints.models import Complaint
from propdesk.complaints.services.intake import complaint_file
from propdesk.core.errors import Conflict, DomainError
from propdesk.core.limits import TEXT_NOTE
from propdesk.core.permissions import require
from propdesk.org.models import Department, Office
from propdesk.tickets import events as ticket_events
from propdesk.tickets.models import Channel, Contact, Kind
from propdesk.tickets.services import attach_photos, ticket_create

from ..lifecycle import POSTS
from ..models import Post, Reply, Route
from ._common import E, locked, log, on_history, save, tell_author, tell_staff
from .clocks import handlers

ROUTED = (
    _("Forum post routed to you: %(title)s"),
    _("The forum post “%(title)s” was routed to %(where)s for an official reply."),
)
ANSWERED = (
    _("Official reply to your post"),
    _("%(who)s replied officially to your forum post “%(title)s”."),
)
# What a post may become: a request of one of these kinds, or a complaint.
REQUEST_KINDS = (Kind.INQUIRY, Kind.SERVICE, Kind.REPAIR, Kind.SUGGESTION, Kind.PRAISE)
INTO_REQUEST, INTO_COMPLAINT = "request", "complaint"


def _destination(post: Post, office: Office | None, department: Department | None):
    if office is None:
        raise DomainError(_("Choose the office concerned."), code="required", field="office")
    if office.company_id != post.company_id:
        raise DomainError(_("Choose an office of the company."), code="invalid", field="office")
    if department is not None and (
        department.company_id != post.company_id
        or (department.office_id is not None and department.office_id != office.pk)
    ):
        raise DomainError(
            _("Choose a department of the company or of that office."),
            code="invalid",
            field="department",
        )


def post_route(
    *,
    actor,
    post: Post,
    office: Office,
    department: Department | None = None,
    note: str = "",
    expected_version: int | None = None,
    now=None,
) -> Post:
    """Send the post to the office and department concerned. The first route is the triage;
    a later one re-routes it, and each is kept with who sent it where and why."""
    now = now or timezone.now()
    require(actor, "forum.route", post)
    note = (note or "").strip()
    if len(note) > TEXT_NOTE:
        raise DomainError(_("The note is too long."), code="too_long", field="note")
    with transaction.atomic():
        post = locked(post, expected_version)
        POSTS.check(post, "route", actor=actor)
        _destination(post, office, department)
        department_id = department.pk if department else None
        if post.triaged_at and (post.office_id, post.department_id) == (office.pk, department_id):
            raise Conflict(
                _("The post is already with this office and department."),
                code="already_routed",
                field="office",
            )
        first = post.triaged_at is None
        Route.objects.create(
            post=post,
            office=office,
            department=department,
            from_office_id=post.office_id,
            from_department_id=post.department_id,
            note=note,
            actor=actor,
            at=now,
        )
        post.office, post.department, post.routed_at = office, department, now
        fields = ["office", "department", "routed_at"]
        if first:
            post.triaged_at = now
            fields.append("triaged_at")
        if post.first_answer_at is None:
            post.reminded_at = None  # the new handlers hear of the deadline too
            fields.append("reminded_at")
        save(post, fields, actor=actor)
        where = f"{office.name} · {department.name}" if department else office.name
        log(post, E.ROUTED if first else E.REROUTED, now=now, actor=actor, note=f"{where} {note}")
        users = handlers(post).exclude(pk=actor.pk)
        tell_staff(users, post, f"routed:{post.version}", *ROUTED, now=now, where=where)
    return post


def post_answer(*, actor, post: Post, text: str, now=None) -> Reply:
    """An official reply, marked as such in public. The first one stops the response clock and
    is measured for the office and department the post was with."""
    now = now or timezone.now()
    require(actor, "forum.answer", post)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the reply."), code="required", field="text")
    if len(text) > TEXT_NOTE:
        raise DomainError(
            _("Keep the reply to %(limit)d characters.") % {"limit": TEXT_NOTE},
            code="too_long",
            field="text",
        )
    with transaction.atomic():
        post = locked(post)
        POSTS.check(post, "answer", actor=actor)
        reply = Reply.objects.create(
            post=post,
            staff=actor,
            official=True,
            office_id=post.office_id,
            department_id=post.department_id or actor.department_id,
            text=text,
        )
        Reply.objects.filter(pk=reply.pk).update(created_at=now, updated_at=now)
        reply.created_at = now
        if post.first_answer_at is None:
            post.first_answer_at = now
            post.answered_office_id, post.answered_department_id = (
                post.office_id,
                post.department_id,
            )
            fields = ["first_answer_at", "answered_office", "answered_department"]
            if post.triaged_at is None:
                post.triaged_at = now  # answered where it was: that was its triage
                fields.append("triaged_at")
            post._history_user = actor
            post.save(update_fields=[*fields, "updated_at"])
        log(post, E.ANSWERED, now=now, actor=actor, reply=reply)
        on_history(
            post.author,
            summary=str(_("Official forum reply to “%(title)s”") % {"title": post.title})
            + f"\n{text}",
            now=now,
            direction=Contact.Direction.OUTBOUND,
        )
        if post.ticket_id:
            ticket_events.record(
                ticket=post.ticket, kind="forum_answer", actor=actor, at=now, note=text
            )
        tell_author(post, "answered", *ANSWERED, now=now, key=reply.pk, who=actor.display_name)
    return reply


def post_convert(
    *,
    actor,
    post: Post,
    into: str,
    kind: str = Kind.SERVICE,
    category: str = Complaint.Category.OTHER,
    expected_version: int | None = None,
    now=None,
) -> Post:
    """Turn the post into a request (of ``kind``) or a complaint (of ``category``) in one
    action: the request is the post's, its photos and its text, and names the post."""
    now = now or timezone.now()
    require(actor, "forum.convert", post)
    if into not in (INTO_REQUEST, INTO_COMPLAINT):
        raise DomainError(_("Choose a request or a complaint."), code="invalid", field="into")
    if into == INTO_REQUEST and kind not in REQUEST_KINDS:
        raise DomainError(_("Choose what kind of request this is."), code="invalid", field="kind")
    with transaction.atomic():
        post = locked(post, expected_version)
        POSTS.check(post, "convert", actor=actor)
        if post.ticket_id is not None:
            raise Conflict(
                _("This post is already request %(number)s.") % {"number": post.ticket.number},
                code="already_converted",
                field="into",
            )
        description = f"{post.title}\n\n{post.text}"
        if into == INTO_REQUEST:
            ticket = ticket_create(
                actor=actor,
                customer=post.author,
                kind=kind,
                channel=Channel.FORUM,
                description=description,
                item=post.item if post.item_id and post.item.is_active else None,
                now=now,
            )
        else:
            ticket = complaint_file(
                actor=actor,
                customer=post.author,
                channel=Channel.FORUM,
                account=description,
                category=category,
                now=now,
            ).ticket
        attach_photos(ticket, [p.image.name for p in post.photos.all()], now=now)
        ticket_events.record(
            ticket=ticket, kind="forum_post", actor=actor, at=now, note=f"#{post.pk} {post.title}"
        )
        post.ticket = ticket
        save(post, ["ticket"], actor=actor)
        log(post, E.CONVERTED, now=now, actor=actor, note=ticket.number)
    return post
