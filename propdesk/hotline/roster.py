"""Duty roster coverage (M02): which stretches of time nobody is rostered to answer a line.

Gaps are found by merging a line's shifts over a window; an office is covered when each of its
three lines has a shift at every moment of the window. Two queries whatever the number of offices,
so the compliance board can ask for the whole company at once.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from propdesk.org.models import HotlineLine

from .models import DutyShift

Interval = tuple[dt.datetime, dt.datetime]


def merge_gaps(shifts: Iterable[Interval], start: dt.datetime, end: dt.datetime) -> list[Interval]:
    """The parts of [start, end) that no interval in ``shifts`` covers, in order."""
    gaps: list[Interval] = []
    cursor = start
    for s, e in sorted(shifts):
        if e <= cursor:
            continue
        if s > cursor:
            gaps.append((cursor, min(s, end)))
        cursor = e
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return [(s, e) for s, e in gaps if s < e]


def _shifts_in(lines, start, end):
    return DutyShift.objects.filter(line__in=lines, starts_at__lt=end, ends_at__gt=start)


def roster_gaps(*, line: HotlineLine, start: dt.datetime, end: dt.datetime) -> list[Interval]:
    """Uncovered (start, end) intervals of ``line`` between ``start`` and ``end``."""
    shifts = _shifts_in([line], start, end).values_list("starts_at", "ends_at")
    return merge_gaps(shifts, start, end)


@dataclass
class LineCoverage:
    line: HotlineLine
    gaps: list[Interval]

    @property
    def covered(self) -> bool:
        return not self.gaps


@dataclass
class OfficeCoverage:
    office_id: int
    start: dt.datetime
    end: dt.datetime
    lines: list[LineCoverage] = field(default_factory=list)
    # Kinds of line the office has not set up at all: nobody can call them (M02 wants three).
    missing_kinds: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing_kinds and all(lc.covered for lc in self.lines)

    @property
    def gap_count(self) -> int:
        return sum(len(lc.gaps) for lc in self.lines)


def coverage_by_office(offices, start: dt.datetime, end: dt.datetime) -> dict[int, OfficeCoverage]:
    """Coverage of every given office (Office objects or ids), keyed by office id."""
    office_ids = [getattr(o, "pk", o) for o in offices]
    lines = list(
        HotlineLine.objects.filter(office_id__in=office_ids)
        .select_related("office")
        .order_by("office_id", "kind")
    )
    by_line: dict[int, list[Interval]] = defaultdict(list)
    for line_id, s, e in _shifts_in(lines, start, end).values_list(
        "line_id", "starts_at", "ends_at"
    ):
        by_line[line_id].append((s, e))
    result = {pk: OfficeCoverage(office_id=pk, start=start, end=end) for pk in office_ids}
    order = {kind: i for i, kind in enumerate(HotlineLine.Kind.values)}
    for line in sorted(lines, key=lambda ln: order[ln.kind]):
        result[line.office_id].lines.append(
            LineCoverage(line=line, gaps=merge_gaps(by_line[line.pk], start, end))
        )
    for summary in result.values():
        present = {lc.line.kind for lc in summary.lines}
        summary.missing_kinds = [k for k in HotlineLine.Kind.values if k not in present]
    return result


def coverage_summary(office, start: dt.datetime, end: dt.datetime) -> OfficeCoverage:
    """One office's coverage of its three lines between ``start`` and ``end`` (M02)."""
    office_id = getattr(office, "pk", office)
    return coverage_by_office([office_id], start, end)[office_id]
