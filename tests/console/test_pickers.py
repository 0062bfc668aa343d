"""Choosing an office or a member of staff among thousands (org.pickers): the suggestions are
scoped like every read, at most twenty, and a company's list pages neither read nor draw every
office and every office's staff."""

import re

import pytest
from django import forms
from django.urls import reverse

from propdesk.org.models import Role
from propdesk.org.pickers import LIMIT, StaffPickerField, staff_in_scope
from propdesk.tickets.forms import TicketFilterForm
from tests import factories as f
from tests.queries import count_queries, same_queries

OFFICES = reverse("console:pick_office")
STAFF = reverse("console:pick_staff")


def suggested(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<option value="([^"]*)"', response.content.decode())


# --- the suggestions: who finds what --------------------------------------------------------


def test_office_staff_find_only_their_own_office_and_its_staff(
    client, agent, technician, office, other_office, other_agent, other_technician
):
    client.force_login(agent)
    assert suggested(client.get(OFFICES, {"q": ""})) == [office.code]
    assert suggested(client.get(OFFICES, {"q": other_office.code})) == []
    staff = suggested(client.get(STAFF, {"q": ""}))
    assert {"agent", "tech"} <= set(staff)
    assert "other_agent" not in staff and "other_tech" not in staff
    # Not by name either, nor by naming the other office beside the picker.
    assert suggested(client.get(STAFF, {"q": "other"})) == []
    assert suggested(client.get(STAFF, {"q": "", "office": other_office.code})) == []


def test_company_roles_find_every_office_and_everyone(
    client, quality, office, other_office, technician, other_technician, other_agent
):
    client.force_login(quality)
    assert suggested(client.get(OFFICES, {"q": ""})) == sorted([office.code, other_office.code])
    assert suggested(client.get(OFFICES, {"q": "碧湖"})) == [other_office.code]  # by name
    techs = suggested(client.get(STAFF, {"q": "", "role": "technician"}))
    assert set(techs) == {"tech", "other_tech"}
    # The office chosen beside the picker narrows it; its name (陈静-style) finds one too.
    of_other = {"field": "technician", "technician": "", "office": other_office.code}
    assert suggested(client.get(STAFF, {**of_other, "role": "technician"})) == ["other_tech"]
    assert suggested(client.get(STAFF, {"q": "刘强"})) == ["tech"]


def test_at_most_twenty_suggestions(client, quality, company):
    for i in range(LIMIT + 5):
        f.OfficeFactory(company=company, code=f"o{i:03}", name=f"Office {i}")
    client.force_login(quality)
    assert len(suggested(client.get(OFFICES, {"q": "o"}))) == LIMIT


def test_nobody_signed_out_nor_a_resident_gets_suggestions(client, portal, office):
    for url in (OFFICES, STAFF):
        response = portal.get(url, {"q": ""})
        assert response.status_code == 302 and "/login" in response["Location"]
        assert office.code not in response.content.decode()


# --- the forms: a picked value is accepted, one out of scope refused -----------------------------


def test_request_filter_takes_the_office_by_code_or_old_id(quality, office, other_office):
    for value in (office.code, str(office.pk), office.code.upper()):
        form = TicketFilterForm({"office": value}, user=quality)
        assert form.is_valid(), form.errors
        assert form.filters().office == office.pk


def test_request_filter_refuses_an_office_nobody_has(quality, office):
    form = TicketFilterForm({"office": "nowhere"}, user=quality)
    assert not form.is_valid()
    assert form.errors["office"] == [
        "No office you may see has this code: choose one of the suggestions."
    ]


def test_a_staff_picker_refuses_someone_of_another_office(agent, technician, other_technician):
    class Pick(forms.Form):
        def __init__(self, *args, user, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["who"] = StaffPickerField(staff_in_scope(user), required=False)

    assert Pick({"who": "tech"}, user=agent).is_valid()
    refused = Pick({"who": "other_tech"}, user=agent)
    assert not refused.is_valid()
    assert refused.errors["who"] == [
        "No staff member you may see has this username: choose one of the suggestions."
    ]
    # Nor by its id, as an old link would send it.
    assert not Pick({"who": str(other_technician.pk)}, user=agent).is_valid()


def test_the_chosen_office_is_shown_by_name_without_the_list(client, quality, office):
    client.force_login(quality)
    body = client.get(reverse("console:ticket_list"), {"office": office.pk}).content.decode()
    assert f'name="office" value="{office.code}"' in body  # the old link's id, shown as its code
    assert office.name in body


def test_the_request_filter_of_an_office_keeps_its_technicians_select(
    client, agent, technician, other_technician
):
    client.force_login(agent)
    body = client.get(reverse("console:ticket_list")).content.decode()
    assert f'<option value="{technician.pk}">' in body
    assert f'value="{other_technician.pk}"' not in body
    bad = client.get(reverse("console:ticket_list"), {"technician": other_technician.pk})
    assert bad.status_code == 400


# --- a company's list pages: as many queries and options with 30 offices as with 3 -------------

PAGES = [
    "console:ticket_list",
    "console:complaints",
    "console:call_list",
    "console:defect_board",
    "console:rework_board",
    "console:followup_batches",
    "console:followup_worklist",
    "console:notices",
    "console:activities",
    "console:forum",
    "console:committee_meetings",
    "console:committee_actions",
    "console:catalog",
    "console:revenue",
    "console:roster",
]


def _offices(company, start, count):
    for i in range(start, start + count):
        office = f.OfficeFactory(company=company, code=f"p{i:03}", name=f"Office {i}")
        f.UserFactory(username=f"t{i:03}", role=Role.TECHNICIAN, office=office)
        f.UserFactory(username=f"a{i:03}", role=Role.AGENT, office=office)


def _page(client, url):
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return queries, body.count("<option"), body


@pytest.mark.parametrize("name", PAGES)
def test_a_company_page_does_not_grow_with_the_offices(client, quality, company, name):
    url = reverse(name)
    client.force_login(quality)
    _offices(company, 0, 3)
    client.get(url)  # what a first request reads once (the session, caches)
    few, few_options, _ = _page(client, url)
    _offices(company, 3, 27)
    many, many_options, body = _page(client, url)
    same_queries(few, many)
    assert many_options == few_options
    assert "Office 29" not in body and "t029" not in body
