"""M25: the board's pages — who sees which board (role × page × own or other office), where
each role lands, the targets and their history, and a constant number of queries whatever the
number of records or offices."""

import datetime as dt

import pytest
import time_machine

from propdesk.board import services
from propdesk.board.models import Target
from propdesk.core import measures as registry
from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound
from propdesk.tickets.models import Status
from tests import factories as f
from tests.queries import count_queries, same_queries

from .conftest import NOW, at, charge, complaint, ticket

pytestmark = pytest.mark.django_db
OK, DENIED, MISSING = 200, 403, 404


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def users(agent, technician, director, followup, quality, leadership, admin_user):
    return {
        "agent": agent,
        "technician": technician,
        "director": director,
        "followup": followup,
        "quality": quality,
        "leadership": leadership,
        "admin": admin_user,
    }


COMPANY_ROLES = {"followup", "quality", "leadership", "admin"}
OFFICE_ROLES = {"agent", "director"}


@pytest.mark.parametrize(
    "role", ["agent", "technician", "director", "followup", "quality", "leadership", "admin"]
)
def test_m25_permission_matrix(client, users, role, office, other_office):
    client.force_login(users[role])
    cases = "/console/board/measures/m09_deadline_kept/cases/"
    pages = {
        "own office": f"/console/board/offices/{office.pk}/",
        "other office": f"/console/board/offices/{other_office.pk}/",
        "company": "/console/board/company/",
        "own cases": f"{cases}?office={office.pk}",
        "other cases": f"{cases}?office={other_office.pk}",
        "company cases": cases,
        "targets": "/console/board/targets/",
    }
    if role in COMPANY_ROLES:
        expected = dict.fromkeys(pages, OK)
    elif role in OFFICE_ROLES:
        expected = {
            "own office": OK,
            "other office": MISSING,
            "company": DENIED,
            "own cases": OK,
            "other cases": MISSING,
            "company cases": DENIED,
            "targets": DENIED,
        }
    else:  # technicians have no board
        expected = {
            "own office": DENIED,
            "other office": DENIED,
            "company": DENIED,
            "own cases": DENIED,
            "other cases": DENIED,
            "company cases": DENIED,
            "targets": DENIED,
        }
    got = {name: client.get(url).status_code for name, url in pages.items()}
    assert got == expected
    change = client.post(
        "/console/board/targets/", {"measure": "m24_revenue", "value": "500", "version": "0"}
    )
    assert change.status_code == (302 if role in {"quality", "admin"} else DENIED)
    assert Target.objects.exists() == (role in {"quality", "admin"})


def test_m25_the_board_link_leads_each_role_to_its_board(client, director, quality, technician):
    client.force_login(director)
    assert client.get("/console/board/").url == f"/console/board/offices/{director.office_id}/"
    client.force_login(quality)
    assert client.get("/console/board/").url == "/console/board/company/"
    client.force_login(technician)
    assert client.get("/console/board/").status_code == DENIED


def test_m25_director_lands_on_the_office_board_above_his_work(client, director, customer):
    ticket(customer, due=at(9), completed=at(10))  # late: M09 is red this week
    client.force_login(director)
    page = client.get("/console/")
    board = page.context["board"]
    assert board.office == director.office and board.reds >= 1
    html = page.content.decode()
    assert 'id="board-summary"' in html and "m09_deadline_kept/cases/" in html
    assert 'id="overdue"' in html  # and his work below it


def test_m25_quality_lands_on_the_company_board_agents_keep_their_work(
    client, quality, agent, technician
):
    client.force_login(quality)
    assert client.get("/console/").context["board"].office is None
    for user in (agent, technician):
        client.force_login(user)
        page = client.get("/console/")
        assert page.context["board"] is None and 'id="board-summary"' not in page.content.decode()


def test_m25_office_board_shows_a_red_measure_and_its_cases(client, director, customer, office):
    late = ticket(customer, due=at(9), completed=at(10))
    ticket(customer, due=at(9), completed=at(8))
    client.force_login(director)
    page = client.get(f"/console/board/offices/{office.pk}/")
    html = page.content.decode()
    assert 'id="measure-m09_deadline_kept"' in html
    line = next(x for x in page.context["board"].lines if x.measure.key == "m09_deadline_kept")
    assert line.status == "red" and str(line.current.value) == "50.0"
    cases = client.get(
        "/console/board/measures/m09_deadline_kept/cases/",
        {"office": office.pk, "period": "week", "at": "2026-W24"},
    )
    assert [row.title.split()[0] for row in cases.context["rows"]] == [late.number]
    every = client.get(
        "/console/board/measures/m09_deadline_kept/cases/",
        {"office": office.pk, "period": "week", "at": "2026-W24", "all": "1"},
    )
    assert len(every.context["rows"]) == 2


def test_m25_months_and_earlier_periods(client, director, customer, office):
    ticket(customer, due=at(20, month=5), completed=at(21, month=5))
    client.force_login(director)
    may = client.get(f"/console/board/offices/{office.pk}/", {"period": "month", "at": "2026-05"})
    line = next(x for x in may.context["board"].lines if x.measure.key == "m09_deadline_kept")
    assert may.context["board"].period.key == "2026-05" and line.status == "red"
    future = client.get(
        f"/console/board/offices/{office.pk}/", {"period": "month", "at": "2027-01"}
    )
    assert future.context["board"].period.key == "2026-06"  # never later than now
    bad = client.get(f"/console/board/offices/{office.pk}/", {"period": "year"})
    assert bad.status_code == 400 and "Choose weeks or months." in bad.content.decode()
    bad = client.get(f"/console/board/offices/{office.pk}/", {"at": "2026-W99"})
    assert bad.status_code == 400


def _records(customer, other_customer, agent, days):
    for c in (customer, other_customer):
        for day in days:
            ticket(c, due=at(day), completed=at(day + 1), satisfied=False)
            ticket(c, due=at(day), status=Status.DISPATCHED)
            charge(c, amount="10", at_=at(day), by=agent)
            complaint(c, received=at(day), response_due=at(day, 14), due=at(day + 2))


def test_m25_board_pages_take_as_many_queries_with_many_records(
    client, quality, director, customer, other_customer, agent, office
):
    pages = [
        f"/console/board/offices/{office.pk}/",
        "/console/board/company/?period=month",
        f"/console/board/measures/m09_deadline_kept/cases/?office={office.pk}&all=1",
        "/console/board/measures/m24_revenue/cases/?period=month",
        "/console/",
    ]
    _records(customer, other_customer, agent, days=(8,))  # one of each: the lists are not empty
    client.force_login(quality)
    client.get(pages[0])  # warm the session and the caches
    first = {}
    for url in pages:
        with count_queries() as q:
            assert client.get(url).status_code == OK
        first[url] = q
    # Counted live (no rollups yet): one grouped query per measure (two for the roster and the
    # complaint rate), whatever the number of offices; the session, the user, the office, the
    # targets and the two reads of the rollups besides.
    bound = len(registry.measures()) + 8
    assert len(first[pages[0]]) <= bound and len(first[pages[1]]) <= bound
    _records(customer, other_customer, agent, days=(2, 4, 9))
    f.OfficeFactory(name="第三管理处", code="third")
    for url in pages:
        with count_queries() as then:
            assert client.get(url).status_code == OK
        same_queries(first[url], then)


def test_m25_target_change_needs_quality_and_keeps_history(quality, director):
    with pytest.raises(Forbidden):
        services.target_set(actor=director, measure="m09_deadline_kept", value="90", now=NOW)
    target = services.target_set(
        actor=quality, measure="m09_deadline_kept", value="95", reason="先达到95%", now=NOW
    )
    assert (target.value, target.version, target.changed_by) == (95, 1, quality)
    services.target_set(actor=quality, measure="m09_deadline_kept", value="98", version=1, now=NOW)
    with pytest.raises(Conflict):  # someone changed it since version 1 was read
        services.target_set(
            actor=quality, measure="m09_deadline_kept", value="99", version=1, now=NOW
        )
    history = list(Target.history.order_by("history_date").values_list("value", "history_user"))
    assert [(int(v), u) for v, u in history] == [(95, quality.pk), (98, quality.pk)]


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("m09_deadline_kept", "120", "value"),  # a percentage above 100
        ("m09_deadline_kept", "-1", "value"),
        ("m24_revenue", "abc", "value"),
        ("m24_revenue", "1.005", "value"),
    ],
)
def test_m25_bad_targets_are_refused_and_change_nothing(quality, key, value, field):
    with pytest.raises(DomainError) as err:
        services.target_set(actor=quality, measure=key, value=value, now=NOW)
    assert err.value.field == field and not Target.objects.exists()


def test_m25_unknown_measure_is_not_found(quality):
    with pytest.raises(NotFound):
        services.target_set(actor=quality, measure="m99_nothing", value="1", now=NOW)


def test_m25_targets_page_shows_manual_and_changes(client, quality):
    client.force_login(quality)
    bad = client.post(
        "/console/board/targets/", {"measure": "m09_deadline_kept", "value": "150", "version": "0"}
    )
    assert bad.status_code == 400 and "between 0 and 100" in bad.content.decode()
    client.post(
        "/console/board/targets/",
        {"measure": "m09_deadline_kept", "value": "95", "version": "0", "reason": "分步达标"},
    )
    stale = client.post(
        "/console/board/targets/", {"measure": "m09_deadline_kept", "value": "96", "version": "0"}
    )
    assert stale.status_code == 409
    page = client.get("/console/board/targets/")
    html = page.content.decode()
    assert "分步达标" in html and 'id="target-m09_deadline_kept"' in html
    row = next(r for r in page.context["rows"] if r.measure.key == "m09_deadline_kept")
    assert (row.manual, row.value, row.version) == (100, 95, 1)


def test_m25_complaint_numbers_show_the_last_30_days_on_a_plain_visit(client, quality, customer):
    complaint(
        customer,
        received=NOW - dt.timedelta(days=3),
        response_due=NOW,
        responded=NOW - dt.timedelta(days=3),
        due=NOW,
    )
    client.force_login(quality)
    page = client.get("/console/complaints/numbers/")
    assert page.status_code == 200
    assert (page.context["total"].received, page.context["total"].responded) == (1, 1)
    assert page.context["form"].cleaned_data["start"] == dt.date(2026, 5, 12)


def test_m25_company_board_pages_its_offices_most_red_first(client, quality, office, customer):
    ticket(customer, due=at(9), status=Status.DISPATCHED)  # past due and open: M09 red
    for i in range(55):
        f.OfficeFactory(name=f"分处{i:02d}", code=f"o{i:02d}")
    client.force_login(quality)
    first = client.get("/console/board/company/").content.decode()
    assert first.count('class="dot ') == 50 * len(registry.measures())
    # The office with a red measure leads the first page; the second page has the rest.
    assert first.index(office.name) < first.index("分处00")
    assert "Page 1 of 2" in first
    second = client.get("/console/board/company/?page=2").content.decode()
    assert second.count('class="dot ') == 6 * len(registry.measures())
