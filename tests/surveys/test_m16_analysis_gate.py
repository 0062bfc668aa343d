"""M16: an office's statistics and analysis wait for BOTH its return rate reaching the target
and the collection deadline; the company's for the deadline. The office's written analysis is
versioned, audited and on the timeline, and its one-week clock is measured (on time or late).
Who may do what, by role and office."""

import datetime as dt

import pytest

from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound
from propdesk.core.models import Notification
from propdesk.surveys import services
from propdesk.surveys.models import CampaignEvent, CampaignOffice
from propdesk.surveys.selectors.analysis import analysis_clocks_of
from propdesk.surveys.services.analysis import (
    company_statistics,
    office_analysis_record,
    office_statistics,
)

from .analysis_fixtures import *  # noqa: F403
from .analysis_fixtures import AFTER
from .conftest import DEADLINE, NOW

pytestmark = pytest.mark.django_db

WEEK = dt.timedelta(days=7)


def test_m16_office_figures_refused_below_the_target_even_after_the_deadline(
    answered, other_office, quality
):
    # 碧湖: one answer of two households, 50% < 60%.
    with pytest.raises(Conflict) as refused:
        office_statistics(actor=quality, campaign=answered, office_id=other_office.pk, now=AFTER)
    assert refused.value.code == "below_target"
    assert "60%" in str(refused.value.message) and "2 are needed" in str(refused.value.message)


def test_m16_office_figures_refused_before_the_deadline_even_at_the_target(
    answered, office, director
):
    with pytest.raises(Conflict) as refused:
        office_statistics(actor=director, campaign=answered, office_id=office.pk, now=NOW)
    assert refused.value.code == "before_deadline"


def test_m16_office_figures_released_once_both_hold(answered, office, director):
    stats = office_statistics(actor=director, campaign=answered, office_id=office.pk, now=DEADLINE)
    assert stats.included[0].part.office_id == office.pk


def test_m16_company_figures_refused_before_the_deadline(answered, quality):
    with pytest.raises(Conflict) as refused:
        company_statistics(actor=quality, campaign=answered, now=DEADLINE - dt.timedelta(minutes=1))
    assert refused.value.code == "before_deadline"


def test_m16_the_clock_set_by_the_job_releases_the_figures(answered, office, director):
    services.analysis_clocks(now=AFTER)
    part = CampaignOffice.objects.get(campaign=answered, office=office)
    assert part.analysis_due_at == DEADLINE + WEEK
    assert office_statistics(actor=director, campaign=answered, office_id=office.pk, now=AFTER)


def test_m16_analysis_refused_before_release_and_changes_nothing(answered, other_office, quality):
    with pytest.raises(Conflict):
        office_analysis_record(
            actor=quality,
            campaign=answered,
            office_id=other_office.pk,
            analysis="回收率不足",
            now=AFTER,
        )
    part = CampaignOffice.objects.get(campaign=answered, office=other_office)
    assert part.analysis == "" and part.analysed_at is None and part.version == 1


def test_m16_analysis_recorded_on_time_with_version_history_and_timeline(
    answered, office, director, quality
):
    services.analysis_clocks(now=AFTER)
    part = CampaignOffice.objects.get(campaign=answered, office=office)

    part = office_analysis_record(
        actor=director,
        campaign=answered,
        office_id=office.pk,
        analysis="电梯和停车是主要问题。",
        expected_version=part.version,
        now=AFTER,
    )

    assert part.analysed_at == AFTER and part.analysed_by == director
    [clock] = analysis_clocks_of(CampaignOffice.objects.filter(pk=part.pk), now=AFTER)
    assert clock.on_time is True and not clock.overdue
    assert part.history.first().history_user == director
    event = CampaignEvent.objects.get(campaign=answered, kind="analysed")
    assert event.office == office and event.actor == director
    assert Notification.objects.filter(event="survey_analysed", user=quality).exists()

    # A revision keeps when it was first analysed; the earlier text stays in the history.
    later = AFTER + dt.timedelta(days=10)
    part = office_analysis_record(
        actor=director,
        campaign=answered,
        office_id=office.pk,
        analysis="电梯和停车是主要问题。已安排整改。",
        expected_version=part.version,
        now=later,
    )
    assert part.analysed_at == AFTER
    texts = [h.analysis for h in part.history.all()]
    assert "电梯和停车是主要问题。" in texts
    assert CampaignEvent.objects.filter(campaign=answered, kind="analysed").count() == 2


def test_m16_analysis_after_the_week_is_late(answered, office, director):
    services.analysis_clocks(now=AFTER)
    due = DEADLINE + WEEK
    parts = CampaignOffice.objects.filter(campaign=answered, office=office)
    [clock] = analysis_clocks_of(parts, now=due + dt.timedelta(minutes=1))
    assert clock.overdue and clock.on_time is None

    office_analysis_record(
        actor=director,
        campaign=answered,
        office_id=office.pk,
        analysis="迟交的分析",
        now=due + dt.timedelta(hours=1),
    )

    [clock] = analysis_clocks_of(parts, now=due + dt.timedelta(hours=2))
    assert clock.on_time is False and not clock.overdue


def test_m16_analysis_with_a_stale_version_or_no_text_changes_nothing(answered, office, director):
    with pytest.raises(Conflict) as stale:
        office_analysis_record(
            actor=director,
            campaign=answered,
            office_id=office.pk,
            analysis="x",
            expected_version=99,
            now=AFTER,
        )
    assert stale.value.code == "stale_version"
    with pytest.raises(DomainError) as empty:
        office_analysis_record(
            actor=director, campaign=answered, office_id=office.pk, analysis="  ", now=AFTER
        )
    assert empty.value.field == "analysis"
    part = CampaignOffice.objects.get(campaign=answered, office=office)
    assert part.analysis == "" and part.version == 1


# --- the permission matrix: role × action × own / other office ----------------------------------

# role → (see own, analyse own, see other, analyse other, company figures)
MATRIX = {
    "agent": (True, False, False, False, False),
    "technician": (False, False, False, False, False),
    "director": (True, True, False, False, False),
    "followup": (True, False, True, False, True),
    "quality": (True, True, True, True, True),
    "leadership": (True, False, True, False, True),
    "admin_user": (True, True, True, True, True),
}


def _try(fn) -> bool:
    try:
        fn()
    except (Forbidden, NotFound):
        return False
    return True


@pytest.mark.parametrize("role", list(MATRIX))
def test_m16_analysis_permission_matrix(request, role, make_answered, office, other_office):
    campaign = make_answered(other=(1, 2))  # both offices reach the target
    user = request.getfixturevalue(role)
    see_own, analyse_own, see_other, analyse_other, company = MATRIX[role]

    def see(office_id):
        return lambda: office_statistics(
            actor=user, campaign=campaign, office_id=office_id, now=AFTER
        )

    def analyse(office_id):
        return lambda: office_analysis_record(
            actor=user, campaign=campaign, office_id=office_id, analysis="分析", now=AFTER
        )

    assert _try(see(office.pk)) is see_own
    assert _try(analyse(office.pk)) is analyse_own
    assert _try(see(other_office.pk)) is see_other
    assert _try(analyse(other_office.pk)) is analyse_other
    assert _try(lambda: company_statistics(actor=user, campaign=campaign, now=AFTER)) is company


def test_m16_another_offices_figures_are_not_found_not_forbidden(answered, other_office, director):
    with pytest.raises(NotFound):
        office_statistics(actor=director, campaign=answered, office_id=other_office.pk, now=AFTER)


def test_m16_the_clock_is_a_week_as_the_job_sets_it(answered, office):
    from propdesk.surveys.selectors.analysis import ANALYSIS_WINDOW
    from propdesk.surveys.services.campaigns import ANALYSIS_WINDOW as JOB_WINDOW

    assert ANALYSIS_WINDOW == JOB_WINDOW == WEEK
    # Before the job runs the clock is computed the same way.
    parts = CampaignOffice.objects.filter(campaign=answered, office=office)
    [clock] = analysis_clocks_of(parts, now=AFTER)
    assert clock.due_at == DEADLINE + WEEK
    [clock] = analysis_clocks_of(parts, now=NOW)
    assert clock.due_at is None
