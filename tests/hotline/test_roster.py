"""Duty roster coverage (M02): gaps in 24-hour coverage are found and flagged."""

import pytest

from propdesk.hotline.roster import coverage_by_office, coverage_summary, merge_gaps, roster_gaps
from tests import factories as f
from tests.queries import assert_queries

from .conftest import at

pytestmark = pytest.mark.django_db


def test_m02_roster_gaps_are_found(line, agent, technician, make_shift):
    make_shift(line, agent, at(0), at(8))
    make_shift(line, technician, at(8), at(16))
    assert roster_gaps(line=line, start=at(0), end=at(24)) == [(at(16), at(24))]


def test_m02_full_coverage_has_no_gaps(line, agent, technician, director, make_shift):
    make_shift(line, agent, at(-2), at(8))  # starts before the window
    make_shift(line, technician, at(6), at(16))  # overlaps the one before
    make_shift(line, director, at(16), at(30))  # ends after the window
    assert roster_gaps(line=line, start=at(0), end=at(24)) == []


def test_gaps_at_the_start_in_the_middle_and_at_the_end(line, agent, make_shift):
    make_shift(line, agent, at(2), at(4))
    make_shift(line, agent, at(6), at(8))
    assert roster_gaps(line=line, start=at(0), end=at(10)) == [
        (at(0), at(2)),
        (at(4), at(6)),
        (at(8), at(10)),
    ]


def test_another_lines_shifts_do_not_cover_this_one(lines, agent, make_shift):
    make_shift(lines["duty"], agent, at(0), at(24))
    assert roster_gaps(line=lines["service"], start=at(0), end=at(24)) == [(at(0), at(24))]


def test_merge_gaps_with_nested_shifts_and_none():
    assert merge_gaps([(at(0), at(10)), (at(2), at(3))], at(0), at(12)) == [(at(10), at(12))]
    assert merge_gaps([], at(0), at(1)) == [(at(0), at(1))]


def test_m02_office_coverage_is_green_only_with_three_covered_lines(
    office, lines, agent, make_shift
):
    for line in lines.values():
        make_shift(line, agent, at(0), at(24))
    summary = coverage_summary(office, at(0), at(24))
    assert summary.ok and summary.gap_count == 0
    assert [lc.line.kind for lc in summary.lines] == ["complaint", "service", "duty"]

    lines["duty"].shifts.all().delete()
    summary = coverage_summary(office, at(0), at(24))
    assert not summary.ok
    assert [(lc.line.kind, lc.gaps) for lc in summary.lines if not lc.covered] == [
        ("duty", [(at(0), at(24))])
    ]


def test_m02_an_office_missing_a_line_is_not_covered(office, other_office, agent, make_shift):
    make_shift(f.HotlineLineFactory(office=office, kind="service"), agent, at(0), at(24))
    summary = coverage_summary(office, at(0), at(24))
    assert summary.missing_kinds == ["complaint", "duty"] and not summary.ok
    assert coverage_summary(other_office, at(0), at(24)).missing_kinds == [
        "complaint",
        "service",
        "duty",
    ]


def test_coverage_of_many_offices_takes_two_queries(
    office,
    other_office,
    lines,
    other_line,
    agent,
    other_agent,
    make_shift,
):
    make_shift(lines["service"], agent, at(0), at(24))
    make_shift(other_line, other_agent, at(0), at(12))
    with assert_queries(2):
        result = coverage_by_office([office, other_office], at(0), at(24))
    assert result[other_office.pk].lines[0].gaps == [(at(12), at(24))]
