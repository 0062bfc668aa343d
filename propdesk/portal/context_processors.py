from functools import cache

from django.contrib.staticfiles import finders

from propdesk.core.inbox import unread_count

# Which tab of the portal's bar a page stands under, by its URL name's beginning.
TABS = [
    ("home", "home"),
    ("request", "requests"),
    ("complaint", "requests"),
    ("notice", "notices"),
    ("inbox", "inbox"),
    ("me", "me"),
    ("preferences", "me"),
    ("set_password", "me"),
]
FAVICON = "console/favicon.svg"


def _tab(request) -> str:
    match = getattr(request, "resolver_match", None)
    name = getattr(match, "url_name", "") or ""
    for start, tab in TABS:
        if name.startswith(start):
            return tab
    return "community"  # activities, forum, surveys, the committee, the Service Guide


@cache
def _favicon() -> str:
    return FAVICON if finders.find(FAVICON) else ""


def portal(request) -> dict:
    """The unread count and the current tab for the portal's bars; only on pages of a signed-in
    customer."""
    account = getattr(request, "portal_account", None)
    if account is None:
        return {"portal_favicon": _favicon()}
    return {
        "portal_unread": unread_count(customer=account.customer),
        "portal_tab": _tab(request),
        "portal_favicon": _favicon(),
    }
