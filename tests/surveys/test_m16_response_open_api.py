"""M16 through the staff API: a request or a complaint opened straight from a household's answers
(a dissatisfied one), as the console's response page does — the household's callback opened with
it, once; bad input 400 naming the field, a role that does not follow up 403, another office's
household 404, a second time 409; and the endpoint in the OpenAPI schema."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from propdesk.surveys.models import FollowUp, Response
from propdesk.tickets.models import Channel, Ticket

from .followups_fixtures import *  # noqa: F403
from .followups_fixtures import OPINION

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def _url(response: Response) -> str:
    return f"/api/v1/surveys/responses/{response.pk}/open-request/"


def _response_of(customer) -> Response:
    return Response.objects.get(household=customer.households.get())


def test_m16_a_request_is_opened_from_a_response_and_its_callback_with_it(round_, agent, customer):
    response = _response_of(customer)
    assert not FollowUp.objects.filter(household=response.household).exists()
    answer = _client(agent).post(_url(response), {"what": "request"}, format="json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    followup = FollowUp.objects.get(household=response.household, kind="callback")
    assert body["id"] == followup.pk and body["ticket"] == followup.ticket_id
    assert answer["ETag"] == f'"{followup.version}"'
    ticket = Ticket.objects.get(pk=followup.ticket_id)
    assert (ticket.customer, ticket.channel, ticket.kind) == (customer, Channel.SURVEY, "service")
    assert OPINION in ticket.description  # prefilled from the household's answers


def test_m16_a_complaint_from_a_response_takes_the_given_description(round_, director, customer):
    response = _response_of(customer)
    answer = _client(director).post(
        _url(response), {"what": "complaint", "description": "业主对维修很不满意"}, format="json"
    )
    assert answer.status_code == 201, answer.json()
    ticket = Ticket.objects.get(pk=answer.json()["ticket"])
    assert ticket.kind == "complaint" and "业主对维修很不满意" in ticket.description


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "what"),
        ({"what": "praise"}, "what"),
        ({"what": "request", "kind": "complaint"}, "kind"),
        ({"what": "request", "description": "长" * 5000}, "description"),
    ],
)
def test_m16_bad_input_opening_from_a_response_is_400_naming_the_field(
    round_, agent, customer, data, field
):
    response = _response_of(customer)
    answer = _client(agent).post(_url(response), data, format="json")
    assert answer.status_code == 400
    assert field in answer.json()["errors"], answer.json()
    assert not Ticket.objects.filter(customer=customer).exists()
    assert not FollowUp.objects.filter(household=response.household).exists()


def test_m16_a_role_that_does_not_follow_up_is_refused_with_403(round_, leadership, customer):
    response = _response_of(customer)
    answer = _client(leadership).post(_url(response), {"what": "request"}, format="json")
    assert answer.status_code == 403
    assert not Ticket.objects.filter(customer=customer).exists()


def test_m16_another_offices_response_is_404(round_, other_agent, customer):
    response = _response_of(customer)
    answer = _client(other_agent).post(_url(response), {"what": "request"}, format="json")
    assert answer.status_code == 404
    missing = _client(other_agent).post(
        "/api/v1/surveys/responses/999999/open-request/", {"what": "request"}, format="json"
    )
    assert missing.status_code == 404
    assert not Ticket.objects.filter(customer=customer).exists()


def test_m16_a_second_request_from_the_same_response_is_409(round_, agent, customer):
    response = _response_of(customer)
    first = _client(agent).post(_url(response), {"what": "request"}, format="json")
    assert first.status_code == 201
    again = _client(agent).post(_url(response), {"what": "complaint"}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_opened"
    assert Ticket.objects.filter(customer=customer).count() == 1


def test_m16_opening_from_a_response_is_in_the_openapi_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/surveys/responses/{id}/open-request/"]["post"]
    assert set(operation["responses"]) >= {"201", "400", "403", "404", "409"}
