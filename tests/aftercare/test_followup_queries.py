"""What recording a follow-up call costs: a try and an answer each take a constant number of
queries, through the service and through the API (counted inside the test's transaction, so
SAVEPOINT and RELEASE stand where production has BEGIN and COMMIT)."""

from rest_framework.test import APIClient

from propdesk.aftercare.services import followups
from tests.queries import assert_queries

from .test_m13_api import CALLS, sampled  # noqa: F401 - the fixture


def test_an_answer_takes_10_queries(sampled, followup):  # noqa: F811
    # The call locked with its customer and request; the try; the contact and its timeline
    # event (4 with their savepoint); the call and its history row; the savepoint's 2.
    with assert_queries(10):
        call = followups.call_outcome(actor=followup, call=sampled["mine"], satisfied=True)
    assert call.state == "done" and call.attempts == 1


def test_a_try_takes_11_queries(sampled, followup):  # noqa: F811
    # As an answer, and the tries not reached so far, counted for the third.
    with assert_queries(11):
        call = followups.call_attempt(actor=followup, call=sampled["mine"], reached=False)
    assert call.attempts == 1 and call.state == "open"


def test_the_api_records_an_answer_in_13_queries(sampled, followup):  # noqa: F811
    api = APIClient()
    api.force_authenticate(followup)
    call = sampled["mine"]
    # The call as the user may see it; the service's 10; the answer read as any call is (2).
    with assert_queries(13):
        response = api.post(
            f"{CALLS}{call.pk}/outcome/",
            {"satisfied": True, "version": call.version},
            format="json",
        )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "done"
