"""What waits for the customer's answer: a fee to accept, a new deadline, work to confirm, a
survey… The portal's front page leads with them, and the inbox tells a message that still asks
for something from one whose question was answered (in the portal, the app, or by phone).

The apps that own the records register a source from their ``AppConfig.ready()`` (``portal``
stands below them and imports none): a function of the customer and ``now`` giving ``Todo``s,
read through the app's own selectors, and the message events that announce them."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass(frozen=True)
class Todo:
    kind: str  # "fee", "deadline", "confirm", "survey", …: what it asks
    title: str  # what it is about, in words ("Kitchen tap repair")
    prompt: str  # what it asks of the customer ("Accept the fee of ¥80")
    url: str  # the portal page where it is answered
    action: str  # the button's label ("Answer")
    since: dt.datetime  # when it began to wait
    # The message events that announce it and the links they carry: such a message is a to-do
    # while its (event, link) is among the open ones.
    events: tuple[str, ...] = ()
    links: frozenset[str] = field(default_factory=frozenset)


TodoSource = Callable[..., Iterable[Todo]]
_sources: list[TodoSource] = []
_events: set[str] = set()


def register_todos(source: TodoSource, *, events: Iterable[str]) -> None:
    """Add a source of the customer's to-dos: ``source(customer, now=...)``; ``events`` are the
    message events that ask the customer for them."""
    if source not in _sources:
        _sources.append(source)
    _events.update(events)


def todos_for(customer, *, now=None) -> list[Todo]:
    """Everything waiting for the customer, oldest first."""
    now = now or timezone.now()
    found = [todo for source in _sources for todo in source(customer, now=now)]
    return sorted(found, key=lambda todo: todo.since)


def todo_events() -> frozenset[str]:
    """The message events that ask something of the customer."""
    return frozenset(_events)


def still_open(message, todos: Iterable[Todo]) -> bool:
    """Whether an inbox message still asks for something: its event is a to-do's and its link
    leads to one still waiting."""
    return any(message.event in todo.events and message.link in todo.links for todo in todos)
