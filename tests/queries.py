"""Counting SQL queries, the one way the tests do it.

``with count_queries() as queries:`` counts what runs inside (``len(queries)``); ``assert_queries(n)``
and ``max_queries(n)`` assert exactly or at most ``n``; ``same_queries(first, then)`` asserts that a
page or job takes as many queries with many rows as with few. A failure lists the SQL that ran, so
the query too many shows.
"""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


class Queries(CaptureQueriesContext):
    """The queries run inside ``with``: ``len()`` counts them; shown one a line when printed."""

    def __init__(self):
        super().__init__(connection)
        self._kept = None

    def __exit__(self, exc_type, exc_value, traceback):
        super().__exit__(exc_type, exc_value, traceback)
        if exc_type is None:  # kept now: the next request clears the connection's log
            self._kept = super().captured_queries

    @property
    def captured_queries(self) -> list[dict]:
        return super().captured_queries if self._kept is None else self._kept

    def __repr__(self) -> str:
        lines = (f"  {n}. {q['sql']}" for n, q in enumerate(self.captured_queries, 1))
        return "\n".join([f"{len(self)} queries:", *lines])


def count_queries() -> Queries:
    return Queries()


@contextmanager
def assert_queries(expected: int, *, at_most: bool = False):
    """Exactly ``expected`` queries inside (with ``at_most``, no more than that)."""
    with Queries() as queries:
        yield queries
    if at_most:
        assert len(queries) <= expected, f"expected at most {expected}, ran {queries!r}"
    else:
        assert len(queries) == expected, f"expected {expected}, ran {queries!r}"


def max_queries(expected: int):
    return assert_queries(expected, at_most=True)


def same_queries(first: Queries, then: Queries) -> None:
    """As many queries ``then`` as ``first``: the count does not grow with the rows."""
    assert len(then) == len(first), f"first {first!r}\nthen {then!r}"
