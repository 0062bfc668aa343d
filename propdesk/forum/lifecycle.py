"""What may happen next to a forum post and a reply (M21), as ``core.lifecycle.Lifecycle`` tables.

A post is visible, held for review (a sensitive word) or hidden (with a reason). Staff route,
answer and convert visible posts; a moderator approves a held one, hides a visible or held one,
and may show a hidden one again. Customers reply to and report visible posts only (their steps
have no permission: the portal's own checks decide who, the table decides when)."""

from django.utils.translation import gettext_lazy as _

from propdesk.core.lifecycle import Lifecycle, action

from .models import Post, Visibility

V = Visibility


def _not_converted(post: Post) -> bool:
    return post.ticket_id is None


POSTS = Lifecycle(
    {
        "route": action(
            [V.VISIBLE, V.HELD],
            permission="forum.route",
            label=_("Routing"),
            refusal=_("A hidden post is not routed."),
            code="post_hidden",
        ),
        "answer": action(
            [V.VISIBLE],
            permission="forum.answer",
            label=_("An official reply"),
            refusal=_("Only a visible post can be answered: approve it first."),
            code="post_not_visible",
        ),
        "convert": action(
            [V.VISIBLE, V.HELD],
            permission="forum.convert",
            when=_not_converted,
            label=_("Turning into a request"),
            refusal=_("A hidden post is not turned into a request."),
            code="post_hidden",
        ),
        "approve": action(
            [V.HELD],
            V.VISIBLE,
            permission="forum.moderate",
            label=_("Approving"),
            refusal=_("Only a post held for review can be approved."),
            code="not_held",
        ),
        "hide": action(
            [V.VISIBLE, V.HELD],
            V.HIDDEN,
            permission="forum.moderate",
            label=_("Hiding"),
            refusal=_("This post is already hidden."),
            code="already_hidden",
        ),
        "restore": action(
            [V.HIDDEN],
            V.VISIBLE,
            permission="forum.moderate",
            label=_("Showing again"),
            refusal=_("Only a hidden post can be shown again."),
            code="not_hidden",
        ),
        # The customer's steps: never offered to staff.
        "reply": action(
            [V.VISIBLE],
            refusal=_("This post is not open for replies."),
            code="post_not_visible",
            refusal_field="post",
        ),
        "report": action(
            [V.VISIBLE],
            refusal=_("This post is not shown: there is nothing to report."),
            code="post_not_visible",
            refusal_field="post",
        ),
    }
)

REPLIES = Lifecycle(
    {
        "approve": action(
            [V.HELD],
            V.VISIBLE,
            permission="forum.moderate",
            refusal=_("Only a reply held for review can be approved."),
            code="not_held",
        ),
        "hide": action(
            [V.VISIBLE, V.HELD],
            V.HIDDEN,
            permission="forum.moderate",
            refusal=_("This reply is already hidden."),
            code="already_hidden",
        ),
        "report": action(
            [V.VISIBLE],
            refusal=_("This reply is not shown: there is nothing to report."),
            code="reply_not_visible",
            refusal_field="reply",
        ),
    },
    permission_on=lambda reply: reply.post,
)
