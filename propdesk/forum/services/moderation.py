"""Moderation (M21): a moderator approves what was held for review or hides a post or a reply
with a reason (kept, audited, the author told), and may show a hidden post again; Quality keeps
the sensitive-word list. Open abuse reports on what is moderated are settled with it; a report
found unfounded is dismissed on its own, and what it reported stays as it is."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.limits import TEXT_NOTE
from propdesk.core.notify import notify
from propdesk.core.permissions import require
from propdesk.core.scoping import can_see_office

from ..lifecycle import POSTS, REPLIES
from ..models import AbuseReport, Post, Reply, SensitiveWord, Visibility
from ._common import E, locked, log, required_text, save, tell_author
from .clocks import response_due

V = Visibility
APPROVED = (
    _("Your forum post is published"),
    _("Your forum post “%(title)s” has been reviewed and is now in the forum."),
)
HIDDEN = (
    _("Your forum post was hidden"),
    _("Your forum post “%(title)s” was hidden: %(reason)s"),
)
REPLY_HIDDEN = (
    _("Your forum reply was hidden"),
    _("Your reply to “%(title)s” was hidden: %(reason)s"),
)
WORD_LIMIT = 50


def _settle(post: Post, reply: Reply | None, *, actor, now) -> None:
    reports = AbuseReport.objects.filter(post=post, settled_at__isnull=True)
    reports = (
        reports.filter(reply=reply) if reply is not None else reports.filter(reply__isnull=True)
    )
    reports.update(settled_at=now, settled_by=actor)


def _reason(reason) -> str:
    return required_text(
        reason, "reason", _("Say why it is hidden: the author is told."), limit=TEXT_NOTE
    )


def post_approve(*, actor, post: Post, expected_version: int | None = None, now=None) -> Post:
    """A held post goes out in public; its response clock starts now if it had not."""
    now = now or timezone.now()
    require(actor, "forum.moderate", post)
    with transaction.atomic():
        post = locked(post, expected_version)
        POSTS.check(post, "approve", actor=actor)
        post.state, post.moderated_at, post.moderated_by = V.VISIBLE, now, actor
        fields = ["state", "moderated_at", "moderated_by"]
        if post.published_at is None:
            post.published_at, post.due_at = now, response_due(now)
            fields += ["published_at", "due_at"]
        save(post, fields, actor=actor)
        _settle(post, None, actor=actor, now=now)
        log(post, E.APPROVED, now=now, actor=actor)
        tell_author(post, "approved", *APPROVED, now=now, key=post.version)
    return post


def post_hide(
    *, actor, post: Post, reason: str, expected_version: int | None = None, now=None
) -> Post:
    """Hide the post from the forum, with the reason its author is told; kept, and audited."""
    now = now or timezone.now()
    require(actor, "forum.moderate", post)
    reason = _reason(reason)
    with transaction.atomic():
        post = locked(post, expected_version)
        POSTS.check(post, "hide", actor=actor)
        post.state, post.hidden_reason = V.HIDDEN, reason
        post.moderated_at, post.moderated_by = now, actor
        save(post, ["state", "hidden_reason", "moderated_at", "moderated_by"], actor=actor)
        _settle(post, None, actor=actor, now=now)
        log(post, E.HIDDEN, now=now, actor=actor, note=reason)
        tell_author(post, "hidden", *HIDDEN, now=now, key=post.version, reason=reason)
    return post


def post_restore(*, actor, post: Post, expected_version: int | None = None, now=None) -> Post:
    """Show a hidden post again (the reason it was hidden stays in its history)."""
    now = now or timezone.now()
    require(actor, "forum.moderate", post)
    with transaction.atomic():
        post = locked(post, expected_version)
        POSTS.check(post, "restore", actor=actor)
        post.state, post.hidden_reason = V.VISIBLE, ""
        post.moderated_at, post.moderated_by = now, actor
        fields = ["state", "hidden_reason", "moderated_at", "moderated_by"]
        if post.published_at is None:
            post.published_at, post.due_at = now, response_due(now)
            fields += ["published_at", "due_at"]
        save(post, fields, actor=actor)
        log(post, E.APPROVED, now=now, actor=actor)
    return post


@transaction.atomic
def report_dismiss(*, actor, report: AbuseReport, note: str = "", now=None) -> AbuseReport:
    """Dismiss an open abuse report: the moderator finds nothing to act on, so the post (or
    reply) stays as it is, and the report is settled, with who, when and why on the post's
    timeline and in the report's history. A held post stays held until approved or hidden."""
    now = now or timezone.now()
    post = Post.objects.select_for_update().get(pk=report.post_id)  # one moderator at a time
    if not can_see_office(actor, post.office_id):
        raise NotFound(field="report")  # another office's post is not found, not forbidden
    require(actor, "forum.moderate", post)
    note = (note or "").strip() if isinstance(note, str) else ""
    if len(note) > TEXT_NOTE:
        raise DomainError(
            _("Keep it to %(limit)d characters (this is %(length)d).")
            % {"limit": TEXT_NOTE, "length": len(note)},
            code="too_long",
            field="note",
        )
    report = AbuseReport.objects.select_related("reply").get(pk=report.pk)
    if report.settled_at is not None:
        raise Conflict(
            _("This report was settled already."), code="already_settled", field="report"
        )
    report.settled_at, report.settled_by = now, actor
    report.dismissed, report.dismissed_note = True, note
    report._history_user = actor
    report.save(update_fields=["settled_at", "settled_by", "dismissed", "dismissed_note"])
    log(post, E.DISMISSED, now=now, actor=actor, reply=report.reply, note=note or report.reason)
    return report


def _locked_reply(reply: Reply) -> tuple[Post, Reply]:
    post = Post.objects.select_for_update().get(pk=reply.post_id)
    return post, Reply.objects.select_related("customer").get(pk=reply.pk)


def reply_approve(*, actor, reply: Reply, now=None) -> Reply:
    now = now or timezone.now()
    require(actor, "forum.moderate", reply.post)
    with transaction.atomic():
        post, reply = _locked_reply(reply)
        REPLIES.check(reply, "approve", actor=actor)
        reply.state, reply.moderated_at, reply.moderated_by = V.VISIBLE, now, actor
        reply._history_user = actor
        reply.save(update_fields=["state", "moderated_at", "moderated_by", "updated_at"])
        _settle(post, reply, actor=actor, now=now)
        log(post, E.APPROVED, now=now, actor=actor, reply=reply)
    return reply


def reply_hide(*, actor, reply: Reply, reason: str, now=None) -> Reply:
    now = now or timezone.now()
    require(actor, "forum.moderate", reply.post)
    reason = _reason(reason)
    with transaction.atomic():
        post, reply = _locked_reply(reply)
        REPLIES.check(reply, "hide", actor=actor)
        reply.state, reply.hidden_reason = V.HIDDEN, reason
        reply.moderated_at, reply.moderated_by = now, actor
        reply._history_user = actor
        reply.save(
            update_fields=["state", "hidden_reason", "moderated_at", "moderated_by", "updated_at"]
        )
        _settle(post, reply, actor=actor, now=now)
        log(post, E.HIDDEN, now=now, actor=actor, reply=reply, note=reason)
        if reply.customer_id:
            notify(
                event="forum.reply_hidden",
                subject=REPLY_HIDDEN[0],
                body=REPLY_HIDDEN[1],
                context={"title": post.title, "reason": reason},
                customer=reply.customer,
                dedupe_key=f"forum:reply_hidden:{reply.pk}",
                now=now,
            )
    return reply


def word_add(*, actor, word: str, now=None) -> SensitiveWord:
    """Add a word to the list: posts and replies with it are held for review from now on."""
    now = now or timezone.now()
    require(actor, "forum.words")
    word = required_text(word, "word", _("Enter the word."), limit=WORD_LIMIT)
    if SensitiveWord.objects.filter(word__iexact=word).exists():
        raise Conflict(_("This word is on the list already."), code="duplicate", field="word")
    try:
        with transaction.atomic():
            entry = SensitiveWord(word=word, added_by=actor, added_at=now)
            entry._history_user = actor
            entry.save()
    except IntegrityError:
        raise Conflict(
            _("This word is on the list already."), code="duplicate", field="word"
        ) from None
    return entry


def word_remove(*, actor, word: SensitiveWord) -> None:
    require(actor, "forum.words")
    with transaction.atomic():
        entry = SensitiveWord.objects.filter(pk=word.pk).first()
        if entry is None:
            raise NotFound(field="word")
        entry._history_user = actor
        entry.delete()
