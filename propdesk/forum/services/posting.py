"""What customers do in the forum: post, review a service, reply, report abuse.

Every post and reply is also a contact on the customer's history (M01, M12). A text with a word
of the sensitive-word list is held for review: only its author sees it until a moderator approves
it. Flooding is refused: at most ``POSTS_PER_HOUR`` posts and ``REPLIES_PER_HOUR`` replies an
hour (429), and the same post twice within ``DUPLICATE_WINDOW`` (409)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.catalog.models import ServiceItem
from propdesk.core.errors import Conflict, DomainError, NotFound, TooManyRequests
from propdesk.core.limits import TEXT_LINE, TEXT_NOTE
from propdesk.customers.models import Customer
from propdesk.tickets.models import Status, Ticket
from propdesk.tickets.services import checked_photos

from ..lifecycle import POSTS, REPLIES
from ..models import MAX_TEXT, AbuseReport, Post, PostPhoto, Reply, Topic, Visibility
from ._common import E, communities_of, log, may_read, on_history, required_text, sensitive_words_in
from .clocks import response_due

POSTS_PER_HOUR = 5
REPLIES_PER_HOUR = 20
DUPLICATE_WINDOW = dt.timedelta(minutes=10)
# Reports by this many customers hold a visible post or reply for a moderator's review.
REPORTS_TO_HOLD = 3
V = Visibility


def _flood_guard(customer, *, now, replies: bool = False) -> None:
    """Lock the customer's row (two posts sent at once are counted one after the other) and
    refuse what is over the hour's limit."""
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    since = now - dt.timedelta(hours=1)
    if replies:
        count = Reply.objects.filter(customer=customer, created_at__gt=since).count()
        limit, message = REPLIES_PER_HOUR, _("You have replied %(n)d times in the last hour.")
    else:
        count = Post.objects.filter(author=customer, created_at__gt=since).count()
        limit, message = POSTS_PER_HOUR, _("You have posted %(n)d times in the last hour.")
    if count >= limit:
        raise TooManyRequests(
            str(message % {"n": count}) + " " + str(_("Please wait a while and try again.")),
            code="too_many_posts",
        )


def _moderation(*texts) -> tuple[str, str]:
    words = sensitive_words_in(*texts)
    return (V.HELD, ", ".join(words)[:TEXT_LINE]) if words else (V.VISIBLE, "")


def _new_post(*, customer, community, kind, topic, title, text, photos, now, **review) -> Post:
    if topic not in Topic.values:
        raise DomainError(_("Choose a topic."), code="invalid", field="topic")
    title = required_text(title, "title", _("Give your post a title."), limit=TEXT_LINE)
    text = required_text(text, "text", _("Write what you want to say."), limit=MAX_TEXT)
    if community is not None and not communities_of(customer).filter(pk=community.pk).exists():
        raise NotFound(
            _("You can post in the forums of the communities you live in."), field="community"
        )
    photos = checked_photos(photos)
    with transaction.atomic():
        _flood_guard(customer, now=now)
        if Post.objects.filter(
            author=customer, title=title, text=text, created_at__gt=now - DUPLICATE_WINDOW
        ).exists():
            raise Conflict(
                _("You have just posted this. It is in the forum already."),
                code="duplicate_post",
                field="text",
            )
        state, held_for = _moderation(title, text)
        post = Post(
            office_id=community.office_id if community else customer.office_id,
            community=community,
            company_id=customer.office.company_id,
            author=customer,
            kind=kind,
            topic=topic,
            title=title,
            text=text,
            state=state,
            held_for=held_for,
            **review,
        )
        if state == V.VISIBLE:
            post.published_at, post.due_at = now, response_due(now)
        post.save()
        # The row's times are the service's clock, not the machine's.
        Post.objects.filter(pk=post.pk).update(created_at=now, updated_at=now)
        post.created_at = now
        for photo in photos:
            PostPhoto.objects.create(post=post, image=photo, created_at=now)
        log(post, E.POSTED, now=now, customer=customer)
        if state == V.HELD:
            log(post, E.HELD, now=now, note=held_for)
        summary = (
            _("Forum review: %(title)s") if kind == Post.Kind.REVIEW else _("Forum post: %(title)s")
        )
        on_history(customer, summary=str(summary % {"title": title}) + f"\n{text}", now=now)
    return post


def post_create(
    *, customer, title: str, text: str, topic: str, community=None, photos=(), now=None
) -> Post:
    """A customer posts in a community's forum, or with no ``community`` in the company-wide
    one, with up to five photos."""
    now = now or timezone.now()
    return _new_post(
        customer=customer,
        community=community,
        kind=Post.Kind.DISCUSSION,
        topic=topic,
        title=title,
        text=text,
        photos=photos,
        now=now,
    )


def review_create(
    *,
    customer,
    rating,
    comment: str,
    item: ServiceItem | None = None,
    ticket: Ticket | None = None,
    title: str = "",
    community=None,
    photos=(),
    now=None,
) -> Post:
    """A public review: a rating of 1 to 5 with a comment, on a catalogue item or on the
    customer's own completed request."""
    now = now or timezone.now()
    if (item is None) == (ticket is None):
        raise DomainError(
            _("Review either a service of the catalogue or one of your completed requests."),
            code="invalid",
            field="item",
        )
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError(_("Rate the service from 1 to 5."), code="invalid", field="rating")
    if ticket is not None:
        if ticket.customer_id != customer.pk:
            raise NotFound(field="ticket")
        if ticket.status not in (Status.COMPLETED, Status.CLOSED):
            raise Conflict(
                _("A request can be reviewed once it is completed."),
                code="not_completed",
                field="ticket",
            )
        if community is None and ticket.household_id:
            community = ticket.household.unit.building.community
        default_title = _("Review of request %(number)s") % {"number": ticket.number}
    else:
        if not item.is_active or (item.office_id and item.office_id != customer.office_id):
            raise NotFound(field="item")
        default_title = _("Review: %(item)s") % {"item": item.name}
    return _new_post(
        customer=customer,
        community=community,
        kind=Post.Kind.REVIEW,
        topic=Topic.SERVICE,
        title=(title or "").strip() or str(default_title)[:TEXT_LINE],
        text=comment,
        photos=photos,
        now=now,
        rating=rating,
        item=item,
        reviewed_ticket=ticket,
    )


def reply_create(*, customer, post: Post, text: str, now=None) -> Reply:
    """A customer replies to a visible post they may read."""
    now = now or timezone.now()
    text = required_text(text, "text", _("Write your reply."), limit=TEXT_NOTE)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if not may_read(customer, post):
            raise NotFound(field="post")
        POSTS.check(post, "reply")
        _flood_guard(customer, now=now, replies=True)
        state, held_for = _moderation(text)
        reply = Reply.objects.create(
            post=post, customer=customer, text=text, state=state, held_for=held_for
        )
        Reply.objects.filter(pk=reply.pk).update(created_at=now, updated_at=now)
        reply.created_at = now
        log(post, E.REPLIED, now=now, customer=customer, reply=reply)
        if state == V.HELD:
            log(post, E.HELD, now=now, reply=reply, note=held_for)
        on_history(
            customer,
            summary=str(_("Forum reply to “%(title)s”") % {"title": post.title}) + f"\n{text}",
            now=now,
        )
    return reply


def report_abuse(
    *, customer, post: Post, reason: str, reply: Reply | None = None, now=None
) -> AbuseReport:
    """A customer reports a post or a reply as abusive. Reporting the same thing twice changes
    nothing; reports from ``REPORTS_TO_HOLD`` customers hold it for a moderator."""
    now = now or timezone.now()
    if reply is not None and reply.post_id != post.pk:
        raise NotFound(field="reply")
    reason = required_text(reason, "reason", _("Say what is wrong with it."), limit=TEXT_NOTE)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if not may_read(customer, post):
            raise NotFound(field="post")
        if reply is None:
            POSTS.check(post, "report")
        else:
            reply = Reply.objects.get(pk=reply.pk)
            REPLIES.check(reply, "report")
        existing = AbuseReport.objects.filter(post=post, reply=reply, customer=customer).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                report = AbuseReport.objects.create(
                    post=post, reply=reply, customer=customer, reason=reason, at=now
                )
        except IntegrityError:
            return AbuseReport.objects.get(post=post, reply=reply, customer=customer)
        log(post, E.REPORTED, now=now, customer=customer, reply=reply, note=reason)
        open_reports = AbuseReport.objects.filter(post=post, settled_at__isnull=True).filter(
            Q(reply=reply) if reply is not None else Q(reply__isnull=True)
        )
        if open_reports.count() >= REPORTS_TO_HOLD:
            target = reply if reply is not None else post
            target.state = V.HELD
            target.held_for = str(_("Reported by several customers"))
            target.save(update_fields=["state", "held_for", "updated_at"])
            log(post, E.HELD, now=now, reply=reply, note=target.held_for)
    return report
