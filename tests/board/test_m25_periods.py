"""M25: the board's period as people read it — the week's dates, not "2026-W24"; previous and
next by name; a date input (Safari, iOS and WeChat have no week input) whose day picks its week
or month, old ISO-week links still working; a bad date said next to the input, never shown as
this week. The measures by name, the rule only in a title, and the company grid's columns each
with a heading of its own."""

import re

import pytest
import time_machine

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _board(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_m25_the_week_is_shown_by_its_dates_with_a_date_input(client, director, office):
    page = _board(client, director, f"/console/board/offices/{office.pk}/")
    html = page.content.decode()
    assert "Week of 8 Jun – 14 Jun 2026" in html
    assert "2026-W24" not in re.sub(r'href="[^"]*"', "", html)  # only in the links' addresses
    assert 'type="week"' not in html
    assert re.search(r'<input type="date" id="board-day" name="at" value="2026-06-08"', html)
    assert "Previous week" in html and "1 Jun – 7 Jun 2026" in html
    assert "Next week" not in html  # nothing later than now


def test_m25_a_day_picks_its_week_or_month_and_old_links_still_work(client, director, office):
    url = f"/console/board/offices/{office.pk}/"
    page = _board(client, director, url, period="week", at="2026-06-03")
    assert page.status_code == 200 and page.context["board"].period.key == "2026-W23"
    html = page.content.decode()
    assert "Week of 1 Jun – 7 Jun 2026" in html and "Next week" in html
    assert "8 Jun – 14 Jun 2026" in html  # the next one, by its dates
    old = client.get(url, {"period": "week", "at": "2026-W23"})
    assert old.context["board"].period.key == "2026-W23"
    month = client.get(url, {"period": "month", "at": "2026-05-20"})
    assert month.context["board"].period.key == "2026-05"
    assert "May 2026" in month.content.decode()


def test_m25_a_bad_date_is_said_next_to_the_input_not_shown_as_this_week(client, director, office):
    page = _board(
        client, director, f"/console/board/offices/{office.pk}/", period="week", at="2026-13-45"
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "“2026-13-45” is not a date. Choose a day in the week or month to show." in html
    assert 'id="board-day-error"' in html and 'aria-invalid="true"' in html
    assert 'value="2026-13-45"' in html  # what was typed, to correct
    assert "board" not in page.context or page.context.get("board") is None
    assert 'id="measure-' not in html  # no figures of the current week instead


def test_m25_the_api_still_takes_iso_weeks_and_now_days(api, director, office):
    api.force_authenticate(director)
    url = f"/api/v1/board/offices/{office.pk}/"
    assert api.get(url, {"at": "2026-W23"}).json()["period"]["key"] == "2026-W23"
    assert api.get(url, {"at": "2026-06-03"}).json()["period"]["key"] == "2026-W23"
    bad = api.get(url, {"at": "2026-13-45"})
    assert bad.status_code == 400


def test_m25_measures_are_named_the_rule_only_in_a_title(client, quality):
    html = _board(client, quality, "/console/board/company/").content.decode()
    assert "<th>Rule</th>" not in html
    shown = re.sub(r'title="[^"]*"', "", html)
    assert not re.search(r">\s*M\d\d\s*<", shown)  # no cell or heading that is a rule id
    assert 'title="Manual rule M09"' in html


def test_m25_company_grid_columns_have_headings_of_their_own(client, quality, office):
    page = _board(client, quality, "/console/board/company/")
    html = page.content.decode()
    grid = html[html.index('class="office-grid') :]
    headings = re.findall(r'<th scope="col" title="[^"]*">([^<]+)</th>', grid)
    assert len(headings) == len(page.context["board"].lines)
    assert len(set(headings)) == len(headings)  # M23's six measures told apart
    assert "Complaint rate" in headings and "Survey satisfaction" in headings
    assert not any(re.fullmatch(r"M\d\d", h) for h in headings)
