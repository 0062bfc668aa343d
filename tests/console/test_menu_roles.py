"""Each role's console menu: the entries it may use and none of the others', and no button on a
page that the role could not use. The permission table decides; these tests read the menu as the
person sees it."""

import re

import pytest
from django.urls import reverse

from propdesk.core.permissions import ACTIONS
from propdesk.org.models import Role
from tests import factories as f


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


# Every menu entry: where it leads and the actions any one of which offers it.
ENTRIES = {
    "console:ticket_list": {"ticket.view"},
    "console:customer_list": {"customer.view"},
    "console:hotline": {"call.log"},
    "console:call_list": {"call.log", "followup.view"},
    "console:roster": {"call.log"},
    "console:board": {"board.view"},
    "console:complaints": {"complaint.view"},
    "console:complaint_new": {"complaint.file"},
    "console:measures": {"measure.done"},
    "console:reports": {"report.view"},
    "console:complaint_numbers": {"complaint.view"},
    "console:followup_worklist": {"followup.view"},
    "console:followup_batches": {"followup.view"},
    "console:rework_board": {"followup.view"},
    "console:aftercare_measures": {"followup.view"},
    "console:defect_board": {"defect.view"},
    "console:surveys_campaigns": {"survey.view"},
    "console:survey_followups": {"survey.followup"},
    "console:surveys_questionnaires": {"survey.manage"},
    "console:notices": {"notice.view"},
    "console:activities": {"activity.view"},
    "console:guide": {"guide.view"},
    "console:forum": {"forum.route"},
    "console:forum_measures": {"forum.measure"},
    "console:forum_words": {"forum.words"},
    "console:committees": {"committee.view"},
    "console:committee_meetings": {"committee.view"},
    "console:committee_actions": {"committee.view"},
    "console:catalog": {"catalog.view", "revenue.view"},
    "console:revenue": {"revenue.view"},
    "console:board_targets": {"board.view_company"},
    "console:signin_locks": {"staff.unlock"},
}


def user_of(role, office):
    company = role not in (Role.AGENT, Role.TECHNICIAN, Role.DIRECTOR)
    return f.UserFactory(
        username=f"u_{role}",
        role=role,
        office=None if company else office,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )


def menu_of(client, user) -> str:
    """The header's menu as the person sees it on their home page."""
    client.force_login(user)
    response = client.get(reverse("console:home"))
    assert response.status_code == 200
    body = response.content.decode()
    header = body[body.index('<header class="topbar">') : body.index("</header>")]
    return header + body[body.index("</main>") :]  # and the technician's bar at the bottom


def links(menu: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', menu))


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_menu_entries_and_not_the_others(client, office, role):
    user = user_of(role, office)
    shown = links(menu_of(client, user))
    for name, actions in ENTRIES.items():
        may = any(role in ACTIONS[a] for a in actions)
        assert (reverse(name) in shown) == may, (role, name)


def test_an_agent_works_the_hotline_and_manages_no_survey_or_forum(client, agent):
    menu = menu_of(client, agent)
    for text in ("Call screen", "Duty roster", "Requests", "Customers", "My work"):
        assert text in menu
    for text in ("Questionnaires", "Sensitive words", "Locked sign-ins", "Board targets"):
        assert text not in menu


def test_a_technician_has_the_phone_bar_and_no_desk_menu(client, technician):
    menu = menu_of(client, technician)
    bar = menu[menu.index('<nav class="tabbar"') :]
    for text in ("My orders", "Find", "Messages", "Me"):
        assert text in bar
    assert "☰ Menu" not in menu  # no menu button in the header: the bar is his menu
    for text in (
        "Call screen",
        "Duty roster",
        "Follow-up calls",
        "Board",
        "Revenue from paid services",
    ):
        assert f">{text}<" not in menu


def test_a_director_sees_the_board_and_the_hotline(client, director):
    menu = menu_of(client, director)
    for text in ("Board", "Call screen", "Customers", "Defect watches"):
        assert f">{text}<" in menu
    assert 'class="tabbar"' not in menu


@pytest.mark.parametrize("role", [Role.QUALITY, Role.FOLLOWUP, Role.LEADERSHIP])
def test_company_roles_do_not_take_calls(client, office, role):
    menu = menu_of(client, user_of(role, office))
    assert ">Call screen<" not in menu and ">Duty roster<" not in menu
    assert ">Board targets<" in menu  # they watch every office's figures
    if role == Role.QUALITY:
        assert ">Questionnaires<" in menu and ">Sensitive words<" in menu
    else:
        assert ">Questionnaires<" not in menu and ">Sensitive words<" not in menu


# --- buttons on pages --------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_the_new_request_button_only_for_those_who_may_file(client, office, role):
    user = user_of(role, office)
    client.force_login(user)
    body = client.get(reverse("console:ticket_list")).content.decode()
    may = role in ACTIONS["ticket.create"]
    assert (f'href="{reverse("console:ticket_new")}"' in body) == may


@pytest.mark.parametrize("role", list(Role))
def test_the_roster_buttons_only_for_those_who_may_use_them(client, office, role):
    if role not in ACTIONS["customer.view"]:
        pytest.skip("no customer list for this role")
    client.force_login(user_of(role, office))
    body = client.get(reverse("console:customer_list")).content.decode()
    assert (reverse("console:customer_import") in body) == (role in ACTIONS["customer.import"])
    assert (f'href="{reverse("console:customer_new")}"' in body) == (
        role in ACTIONS["customer.edit"]
    )
