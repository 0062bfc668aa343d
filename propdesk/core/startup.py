"""What ``propdesk serve`` asks of the demo company before it listens, without importing it.

The kernel imports no app: the demo app registers itself here from ``DemoConfig.ready()`` —
whether the database is empty, so that the demo company may be loaded into it (by the ``demo``
command, which ``serve`` calls by name), and how to print the demo logins. With no demo
registered, ``serve`` loads and prints no demo.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Demo:
    database_is_empty: Callable[[], bool]
    print_logins: Callable[[Any], None]  # writes the table of demo logins to a stdout


_demo: Demo | None = None


def register_demo(
    *, database_is_empty: Callable[[], bool], print_logins: Callable[[Any], None]
) -> None:
    global _demo
    if _demo is not None:
        raise ImproperlyConfigured("A demo is registered already.")
    _demo = Demo(database_is_empty=database_is_empty, print_logins=print_logins)


def registered_demo() -> Demo | None:
    return _demo
