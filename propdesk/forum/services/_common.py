"""What the forum services share: where a customer may post, the text checks (required,
bounded, the sensitive words), the timeline entry, the locked post, the customer's history, the
messages."""

import re

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError
from propdesk.core.lifecycle import check_version
from propdesk.core.notify import notify
from propdesk.customers.models import Community, Household
from propdesk.tickets.models import Channel, Contact

from ..models import Post, PostEvent, SensitiveWord, Visibility

E = PostEvent.Kind


def communities_of(customer) -> QuerySet:
    """The communities the customer lives in (or owns a home in) now: the forums they may read
    and post in, beside the company-wide one."""
    return Community.objects.filter(
        buildings__units__households__residences__customer=customer,
        buildings__units__households__is_active=True,
    ).distinct()


def required_text(value, field: str, message, *, limit: int) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise DomainError(message, code="required", field=field)
    if len(text) > limit:
        raise DomainError(
            _("Keep it to %(limit)d characters (this is %(length)d).")
            % {"limit": limit, "length": len(text)},
            code="too_long",
            field=field,
        )
    return text


def sensitive_words_in(*texts: str) -> list[str]:
    """The list's words found in the texts, case-insensitively; a short list, read whole."""
    joined = " ".join(texts).casefold()
    return [
        w for w in SensitiveWord.objects.values_list("word", flat=True) if w.casefold() in joined
    ]


# A run of digits (with spaces or dashes between) long enough to be a phone number.
_PHONE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(?:\d[\s-]?){6,13}\d(?!\d)")


def mask_phones(text: str) -> str:
    """The text as shown: phone numbers (personal data) masked, the rest as written."""
    from propdesk.core.phones import mask_phone

    return _PHONE.sub(lambda m: mask_phone(re.sub(r"[\s-]", "", m.group(0))), text or "")


def log(post, kind, *, now, actor=None, customer=None, reply=None, note="") -> PostEvent:
    return PostEvent.objects.create(
        post=post,
        reply=reply,
        kind=kind,
        actor=actor,
        customer=customer,
        note=(str(note) or "")[:300],
        at=now,
    )


def locked(post: Post, expected_version: int | None = None) -> Post:
    """The post's row, locked against a concurrent change and re-read; a change made against an
    older version is refused."""
    fresh = Post.objects.select_for_update().get(pk=post.pk)
    check_version(
        fresh,
        expected_version,
        message=_("Someone else changed this post meanwhile. Reload it and try again."),
    )
    return fresh


def save(post: Post, fields, *, actor=None) -> None:
    """A change staff made to the post: its version goes up (customers' replies do not raise it,
    so a resident replying never makes a moderator's form stale)."""
    post.version += 1
    post._history_user = actor
    post.save(update_fields=[*fields, "version", "updated_at"])


def on_history(customer, *, summary: str, now, direction=Contact.Direction.INBOUND) -> Contact:
    """The forum on the customer's history (M01, M12): a contact on the forum channel, after
    service. Written here rather than through ``tickets.services.contact_record``, which records
    what a member of staff did: a customer's own post has no staff actor."""
    households = list(Household.objects.of_customer(customer)[:2])
    return Contact.objects.create(
        office_id=customer.office_id,
        customer=customer,
        household=households[0] if len(households) == 1 else None,
        channel=Channel.FORUM,
        direction=direction,
        stage=Contact.Stage.AFTER,
        staff=None,
        at=now,
        summary=summary[:2000],
    )


def tell_author(post: Post, event: str, subject, body, *, now, key="", **extra):
    """One message to the post's author, in their language, once per post, event and ``key``."""
    return notify(
        event=f"forum.{event}",
        subject=subject,
        body=body,
        context={"title": post.title, **extra},
        customer=post.author,
        link=reverse("portal:forum_post", args=[post.pk]),
        dedupe_key=f"forum:{event}:{post.pk}:{key}",
        now=now,
    )


def tell_staff(users, post: Post, event: str, subject, body, *, now, urgent=False, **extra):
    for user in users:
        notify(
            event=f"forum.{event}",
            subject=subject,
            body=body,
            context={"title": post.title, **extra},
            user=user,
            link=reverse("console:forum_post", args=[post.pk]),
            urgent=urgent,
            dedupe_key=f"forum:{event}:{post.pk}:{user.pk}",
            now=now,
        )


def may_read(customer, post: Post) -> bool:
    """A customer reads the company-wide forum of their company and the forums of their
    communities; a post held or hidden only when it is their own."""
    if post.company_id != customer.office.company_id:
        return False
    if (
        post.community_id is not None
        and not communities_of(customer).filter(pk=post.community_id).exists()
    ):
        return False
    return post.state == Visibility.VISIBLE or post.author_id == customer.pk
