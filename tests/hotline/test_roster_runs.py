"""A run of shifts rostered at once (M02): a week drawn up in one go, all or nothing."""

import pytest

from propdesk.core.errors import DomainError, Forbidden
from propdesk.hotline import services
from propdesk.hotline.models import DutyShift
from propdesk.org.models import HotlineLine, Role
from tests import factories as f
from tests.queries import assert_queries

from .conftest import at

pytestmark = pytest.mark.django_db


def shift(line, staff, start, end):
    return {"line": line, "staff": staff, "starts_at": at(start), "ends_at": at(end)}


def test_a_director_rosters_a_day_on_all_three_lines_at_once(director, agent, technician, lines):
    service, duty = lines[HotlineLine.Kind.SERVICE], lines[HotlineLine.Kind.DUTY]
    run = [
        shift(service, agent, 0, 8),
        shift(service, director, 8, 16),
        shift(duty, technician, 0, 24),
        shift(lines[HotlineLine.Kind.COMPLAINT], agent, 0, 8),  # two lines at once is fine
    ]
    made = services.shifts_add(actor=director, office=director.office, shifts=run)

    assert [(s.line, s.staff, s.starts_at, s.ends_at) for s in made] == [
        (s["line"], s["staff"], s["starts_at"], s["ends_at"]) for s in run
    ]
    assert DutyShift.objects.count() == 4
    # Each shift has its audit history, by the director who drew the roster up.
    history = DutyShift.history.filter(history_type="+")
    assert sorted(h.id for h in history) == sorted(s.pk for s in made)
    assert {h.history_user for h in history} == {director}


def test_a_run_costs_the_same_few_queries_however_long(director, agent, technician, line):
    days = [shift(line, [agent, technician][d % 2], 24 * d, 24 * d + 24) for d in range(60)]
    # The savepoint, the lines' lock, the overlap check, the shifts and their history.
    with assert_queries(6):
        services.shifts_add(actor=director, office=director.office, shifts=days)
    assert DutyShift.objects.count() == 60


def test_a_run_that_overlaps_the_roster_is_refused_whole(director, agent, line, make_shift):
    make_shift(line, agent, at(20), at(28))
    run = [shift(line, agent, 0, 8), shift(line, agent, 24, 32)]
    with pytest.raises(DomainError) as err:
        services.shifts_add(actor=director, office=director.office, shifts=run)
    assert (err.value.code, err.value.field) == ("overlap", "starts_at")
    # The message names the person, the line and the shift already there.
    message = str(err.value.message)
    assert "陈静" in message and str(HotlineLine.Kind.SERVICE.label) in message
    assert "2026-03-03 06:00" in message and "2026-03-03 14:00" in message
    assert DutyShift.objects.count() == 1  # the first shift of the run was not written either
    assert DutyShift.history.count() == 1


def test_two_shifts_of_one_person_in_the_run_that_overlap_are_refused(director, agent, line):
    run = [shift(line, agent, 0, 8), shift(line, agent, 24, 32), shift(line, agent, 7, 15)]
    with pytest.raises(DomainError) as err:
        services.shifts_add(actor=director, office=director.office, shifts=run)
    assert (err.value.code, err.value.field) == ("overlap", "starts_at")
    message = str(err.value.message)
    assert "陈静" in message
    assert "2026-03-02 10:00" in message and "2026-03-02 18:00" in message  # the one
    assert "2026-03-02 17:00" in message and "2026-03-03 01:00" in message  # and the other
    assert not DutyShift.objects.exists()


def test_back_to_back_and_parallel_shifts_in_a_run_are_fine(
    director, agent, technician, line, make_shift
):
    make_shift(line, agent, at(-8), at(0))
    run = [shift(line, agent, 0, 8), shift(line, agent, 8, 16), shift(line, technician, 4, 12)]
    services.shifts_add(actor=director, office=director.office, shifts=run)
    assert DutyShift.objects.count() == 4


def test_another_offices_line_is_refused(director, agent, line, other_line):
    run = [shift(line, agent, 0, 8), shift(other_line, agent, 8, 16)]
    with pytest.raises(DomainError) as err:
        services.shifts_add(actor=director, office=director.office, shifts=run)
    assert err.value.field == "line"
    assert not DutyShift.objects.exists()


def test_another_offices_staff_is_refused(director, agent, other_agent, line):
    run = [shift(line, agent, 0, 8), shift(line, other_agent, 8, 16)]
    with pytest.raises(DomainError) as err:
        services.shifts_add(actor=director, office=director.office, shifts=run)
    assert err.value.field == "staff"
    assert not DutyShift.objects.exists()


def test_a_shift_of_the_run_longer_than_a_day_is_refused(director, agent, line):
    run = [shift(line, agent, 0, 8), shift(line, agent, 24, 49)]
    with pytest.raises(DomainError) as err:
        services.shifts_add(actor=director, office=director.office, shifts=run)
    assert err.value.field == "ends_at"
    assert not DutyShift.objects.exists()


def test_only_a_director_of_the_office_may_roster_a_run(agent, line, other_office):
    with pytest.raises(Forbidden):
        services.shifts_add(actor=agent, office=agent.office, shifts=[shift(line, agent, 0, 8)])
    other_director = f.UserFactory(
        username="other_director", role=Role.DIRECTOR, office=other_office
    )
    with pytest.raises(Forbidden):
        services.shifts_add(
            actor=other_director, office=agent.office, shifts=[shift(line, agent, 0, 8)]
        )
    assert not DutyShift.objects.exists()
