"""An unknown caller saved as a customer on the call screen, the address picked from the roster
(community → building → entrance → room, each loaded by HTMX); the call stays open. Each bad
input is shown next to its field and saves nothing; another office's roster is not offered."""

import pytest
from django.urls import reverse

from propdesk.customers.models import Customer
from propdesk.hotline.models import Call
from tests import factories as f

pytestmark = pytest.mark.django_db

INTAKE = reverse("console:hotline")
NEW = reverse("console:hotline_new_caller")
HX = {"HTTP_HX_REQUEST": "true"}
CALLER = "+8613700001111"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def unit(office):
    community = f.CommunityFactory(office=office, name="翠苑一期")
    building = f.BuildingFactory(community=community, name="3栋")
    return f.UnitFactory(building=building, entrance="1单元", number="1001")


@pytest.fixture
def unknown_call(line, make_call):
    return make_call(line, caller=CALLER, state=Call.State.ANSWERED)


def picker(client, level, **params):
    return client.get(reverse("console:hotline_address", args=[level]), params, **HX)


def saved(call, unit, **overrides):
    data = {
        "call": call.pk,
        "name": "王芳",
        "kind": "owner",
        "phones": CALLER,
        "community": unit.building.community_id,
        "building": unit.building_id,
        "entrance": unit.entrance,
        "room": unit.pk,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_pickers_load_each_level_from_the_one_above(agent_client, unit, other_office):
    theirs = f.UnitFactory(building__community__office=other_office)
    body = picker(agent_client, "buildings", community=unit.building.community_id).content.decode()
    assert f'<option value="{unit.building_id}">3栋</option>' in body
    # One entrance only: chosen, and its rooms come along.
    body = picker(agent_client, "entrances", building=unit.building_id).content.decode()
    assert 'value="1单元" selected' in body and f'<option value="{unit.pk}">1001</option>' in body
    body = picker(
        agent_client, "rooms", building=unit.building_id, entrance="1单元"
    ).content.decode()
    assert f'<option value="{unit.pk}">1001</option>' in body
    # Another office's roster is not there.
    body = picker(agent_client, "buildings", community=theirs.building.community_id)
    assert str(theirs.building.name) not in body.content.decode()
    body = picker(agent_client, "rooms", building=theirs.building_id, entrance=theirs.entrance)
    assert f'value="{theirs.pk}"' not in body.content.decode()


def test_an_unknown_caller_is_saved_on_the_call_and_intake_goes_on(
    agent_client, unknown_call, unit
):
    page = agent_client.get(INTAKE, {"call": unknown_call.pk}).content.decode()
    assert '<details id="new-caller" class="new-caller" open>' in page
    response = agent_client.post(NEW, saved(unknown_call, unit), **HX)
    body = response.content.decode()
    assert response.status_code == 200
    customer = Customer.objects.get(name="王芳")
    assert customer.households.get().unit == unit
    # The card shows the new customer, chosen on the intake; the call is still open.
    assert "王芳 is saved as a customer" in body
    assert f'name="customer" value="{customer.pk}" checked' in body
    assert f'name="call" value="{unknown_call.pk}"' in body
    unknown_call.refresh_from_db()
    assert unknown_call.outcome == ""


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the customer&#x27;s name."),
        ({"phones": "12ab"}, "phones", "is not a valid phone number"),
        ({"room": None}, "room", "Choose the room."),
        ({"entrance": None, "room": None}, "entrance", "Choose the entrance."),
        ({"community": None, "building": None, "room": None}, "community", "Choose the community"),
        ({"room": "999999"}, "room", "Choose a room of the building and entrance."),
    ],
)
def test_a_bad_new_caller_is_shown_next_to_its_field_and_saves_nothing(
    agent_client, unknown_call, unit, overrides, field, message
):
    response = agent_client.post(NEW, saved(unknown_call, unit, **overrides), **HX)
    body = response.content.decode()
    assert response.status_code == 400
    error = body.index(f'id="id_{field}_error"') if field in ("name", "phones") else None
    if error is None:
        # The picker's error sits right after its select.
        select_end = body.index("</select>", body.index(f'id="nc-{field}"'))
        error = body.index("errorlist", select_end)
        assert error - select_end < 40
    assert message in body
    assert not Customer.objects.filter(name="王芳").exists()
    unknown_call.refresh_from_db()
    assert unknown_call.outcome == ""


def test_another_offices_room_is_refused_on_the_room(
    agent_client, unknown_call, unit, other_office
):
    theirs = f.UnitFactory(building__community__office=other_office)
    data = saved(unknown_call, unit, room=theirs.pk)
    response = agent_client.post(NEW, data, **HX)
    assert response.status_code == 400
    assert "Choose a room of the building and entrance." in response.content.decode()
    assert not Customer.objects.filter(name="王芳").exists()


def test_another_offices_call_is_not_found(client, other_agent, unknown_call, unit):
    client.force_login(other_agent)
    response = client.post(NEW, saved(unknown_call, unit), **HX)
    assert response.status_code == 404
    assert not Customer.objects.filter(name="王芳").exists()


def test_a_technician_may_not_save_a_customer(client, technician, unknown_call, unit):
    client.force_login(technician)
    response = client.post(NEW, saved(unknown_call, unit), **HX)
    assert response.status_code == 403
    assert not Customer.objects.filter(name="王芳").exists()
