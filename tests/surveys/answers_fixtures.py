"""Helpers for the answers tests: a household's link, the answers as a phone posts them, and
clients for the customer and staff APIs."""

import pytest
from django.urls import reverse

from propdesk.surveys import services
from tests import factories as f

from .conftest import participant_of


def link_of(campaign, customer) -> str:
    return reverse(
        "survey_answer", args=[services.participant_token(participant_of(campaign, customer))]
    )


def posted(campaign, score=5, opinion="") -> dict:
    """The questionnaire filled in as the form posts it: ``q<id>`` per question, every question
    answered, with ``score`` on the satisfaction questions."""
    data = {}
    for q in campaign.questionnaire.questions.all():
        name = f"q{q.pk}"
        if q.kind == "scale":
            data[name] = str(score)
        elif q.kind == "choice":
            data[name] = q.options[0]["value"]
        elif q.kind == "multi":
            data[name] = [q.options[0]["value"], q.options[1]["value"]]
        else:
            data[name] = opinion
    return data


def first_scale(campaign):
    return campaign.questionnaire.questions.filter(kind="scale").order_by("position").first()


@pytest.fixture(name="staff_api")
def staff_api_fixture():
    """An API client acting as ``user``: ``staff_api(user)``."""
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        client.credentials(HTTP_ACCEPT_LANGUAGE="en")
        return client

    return make


@pytest.fixture(name="other_director")
def other_director_fixture(other_office):
    return f.UserFactory(role="director", office=other_office)
