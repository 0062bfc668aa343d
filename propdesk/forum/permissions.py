"""The forum app's part of the permission table (``core.permissions.ACTIONS``), registered in
``ForumConfig.ready()``.

M21: the office desk (agents, the director) and the company's quality and follow-up staff triage
posts and answer them officially; moderating (approving a held post, hiding one) is the
director's and Quality's; the sensitive-word list is Quality's. Customers act for themselves in
the portal, outside this table (their own posts, in forums of their communities)."""

from propdesk.org.models import Role

EVERYONE = frozenset(Role)
DESK = {Role.AGENT, Role.DIRECTOR, Role.FOLLOWUP, Role.QUALITY, Role.ADMIN}

ACTIONS = {
    "forum.view": EVERYONE,
    "forum.route": DESK,
    "forum.answer": DESK | {Role.LEADERSHIP},
    "forum.moderate": {Role.DIRECTOR, Role.QUALITY, Role.ADMIN},
    # Turning a post into a request or a complaint; the intake services check their own too.
    "forum.convert": DESK,
    "forum.words": {Role.QUALITY, Role.ADMIN},
    "forum.measure": {Role.DIRECTOR, Role.FOLLOWUP, Role.QUALITY, Role.LEADERSHIP, Role.ADMIN},
}
