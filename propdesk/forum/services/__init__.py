"""Every change in the forum (M21), each in one transaction.

- ``_common``: what they share: where a customer may post and read, the text checks and the
  sensitive words, phone numbers masked, the timeline, the locked post, the customer's history.
- ``posting``: the customer's steps: post, review, reply, report abuse; the flood limits.
- ``desk``: staff's: route and re-route, the official reply, turning a post into a request or
  a complaint.
- ``moderation``: approve, hide with a reason, show again, dismiss an abuse report; the
  sensitive-word list.
- ``clocks``: the response target and the periodic job that reminds before it and alerts after.
"""

from ._common import communities_of, mask_phones, may_read
from .clocks import (
    REMIND_AHEAD,
    TRIAGE_HOURS,
    forum_response_clocks,
    response_due,
    response_hours,
)
from .desk import INTO_COMPLAINT, INTO_REQUEST, REQUEST_KINDS, post_answer, post_convert, post_route
from .moderation import (
    post_approve,
    post_hide,
    post_restore,
    reply_approve,
    reply_hide,
    report_dismiss,
    word_add,
    word_remove,
)
from .posting import (
    DUPLICATE_WINDOW,
    POSTS_PER_HOUR,
    REPLIES_PER_HOUR,
    REPORTS_TO_HOLD,
    post_create,
    reply_create,
    report_abuse,
    review_create,
)

__all__ = [
    "DUPLICATE_WINDOW",
    "INTO_COMPLAINT",
    "INTO_REQUEST",
    "POSTS_PER_HOUR",
    "REMIND_AHEAD",
    "REPLIES_PER_HOUR",
    "REPORTS_TO_HOLD",
    "REQUEST_KINDS",
    "TRIAGE_HOURS",
    "communities_of",
    "forum_response_clocks",
    "mask_phones",
    "may_read",
    "post_answer",
    "post_approve",
    "post_convert",
    "post_create",
    "post_hide",
    "post_restore",
    "post_route",
    "reply_approve",
    "reply_create",
    "reply_hide",
    "report_abuse",
    "report_dismiss",
    "response_due",
    "response_hours",
    "review_create",
    "word_add",
    "word_remove",
]
