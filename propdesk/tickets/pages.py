"""What apps above the request loop add to a request's console page, without tickets importing
them: each registers a contributor in its ``AppConfig.ready`` (after service adds rework's special
follow-ups, M15). A contributor reads what it needs for the page and returns it as context."""

from collections.abc import Callable

Contributor = Callable[..., dict]
_contributors: list[Contributor] = []


def register_page_contributor(contributor: Contributor) -> Contributor:
    """``contributor(ticket=, reworks=, now=)`` returns context for ``tickets/detail.html``; it
    may also set attributes on the rework orders it is given."""
    if contributor not in _contributors:
        _contributors.append(contributor)
    return contributor


def page_extras(*, ticket, reworks: list, now) -> dict:
    extras: dict = {}
    for contributor in _contributors:
        extras.update(contributor(ticket=ticket, reworks=reworks, now=now))
    return extras
