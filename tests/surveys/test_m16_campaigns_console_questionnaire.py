"""M16, the questionnaire in the console: quality makes a new draft version (a copy of the
latest), changes its title and questions, moves and removes them, and publishes it; a published
version never changes; bad input is refused on its field and changes nothing; only quality and
admin may."""

import pytest
from django.urls import reverse

from propdesk.surveys import services
from propdesk.surveys.models import Question, Questionnaire

from .campaigns_fixtures import *  # noqa: F403
from .conftest import NOW

pytestmark = pytest.mark.django_db

VERSIONS = reverse("console:surveys_questionnaires")
NEW_DRAFT = reverse("console:survey_questionnaire_draft")


def q_url(name, questionnaire, *args):
    return reverse(f"console:{name}", args=[questionnaire.pk, *args])


@pytest.fixture
def v1(clock):
    return services.questionnaire_install_default(now=NOW)


@pytest.fixture
def draft(v1, signed_in):
    signed_in("quality").post(NEW_DRAFT)
    return Questionnaire.objects.get(state=Questionnaire.State.DRAFT)


def _texts(questionnaire) -> list[str]:
    return list(questionnaire.questions.order_by("position").values_list("text", flat=True))


def test_m16_quality_makes_a_draft_version_copied_from_the_latest(signed_in, v1):
    client = signed_in("quality")
    assert "New draft version" in client.get(VERSIONS).text
    response = client.post(NEW_DRAFT)
    draft = Questionnaire.objects.get(number=2)
    assert response["Location"] == q_url("survey_questionnaire", draft)
    assert draft.state == Questionnaire.State.DRAFT
    assert _texts(draft) == _texts(v1)
    page = client.get(q_url("survey_questionnaire", draft)).text
    assert "Add a question" in page and "Publish" in page
    # A second draft is refused: changes go to the one there is.
    again = client.post(NEW_DRAFT, follow=True)
    assert "Version 2 is a draft already" in again.text
    assert Questionnaire.objects.count() == 2


def test_m16_a_draft_question_is_added_changed_moved_and_removed(signed_in, draft):
    client = signed_in("quality")
    added = client.post(
        q_url("survey_question_new", draft),
        {
            "kind": "choice",
            "text": "您家有几辆车?",
            "text_en": "How many cars?",
            "options": "没有 | None\n一辆 | One\n两辆以上 | Two or more",
            "required": "on",
            "position": "2",
        },
    )
    assert added.status_code == 302
    question = draft.questions.get(position=2)
    assert question.text == "您家有几辆车?"
    assert [o["label_en"] for o in question.options] == ["None", "One", "Two or more"]
    values = [o["value"] for o in question.options]

    changed = client.post(
        q_url("survey_question_edit", draft, question.pk),
        {
            "kind": "choice",
            "text": "您家有几辆车?",
            "options": "无车 | No car\n一辆 | One\n两辆以上 | Two or more\n三辆以上 | Three",
            "required": "",
        },
    )
    assert changed.status_code == 302
    question.refresh_from_db()
    assert question.required is False
    assert [o["value"] for o in question.options][:3] == values  # kept in place, kept values
    assert question.options[0]["label"] == "无车" and len(question.options) == 4

    client.post(q_url("survey_question_act", draft, question.pk, "up"))
    assert _texts(draft)[0] == "您家有几辆车?"
    client.post(q_url("survey_question_act", draft, question.pk, "remove"))
    assert "您家有几辆车?" not in _texts(draft)
    assert list(draft.questions.values_list("position", flat=True).order_by("position")) == list(
        range(1, 13)
    )


def test_m16_a_bad_question_is_refused_on_its_field_and_nothing_changes(signed_in, draft):
    before = _texts(draft)
    response = signed_in("quality").post(
        q_url("survey_question_new", draft),
        {"kind": "scale", "text": "您对停车管理是否满意?", "area": "", "required": "on"},
    )
    assert response.status_code == 400
    assert "Choose the service area this satisfaction question is about." in response.text
    assert _texts(draft) == before


def test_m16_publishing_asks_first_then_freezes_the_version(signed_in, draft):
    client = signed_in("quality")
    client.post(q_url("survey_questionnaire_edit", draft), {"title": "客户满意率调查表(第二版)"})
    confirm = client.get(q_url("survey_questionnaire_publish", draft))
    assert "Its 12 questions are frozen for good" in confirm.text
    draft.refresh_from_db()
    assert draft.state == Questionnaire.State.DRAFT and draft.title == "客户满意率调查表(第二版)"

    assert client.post(q_url("survey_questionnaire_publish", draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.state == Questionnaire.State.PUBLISHED and draft.published_at is not None

    # Published: no more changes, from the page or by posting.
    page = client.get(q_url("survey_questionnaire", draft)).text
    assert "Add a question" not in page
    first = draft.questions.get(position=1)
    refused = client.post(
        q_url("survey_question_edit", draft, first.pk),
        {"kind": "scale", "text": "改了", "area": "hotline"},
        follow=True,
    )
    assert "A published version never changes" in refused.text
    assert Question.objects.get(pk=first.pk).text != "改了"


def test_m16_a_draft_without_a_satisfaction_question_cannot_be_published(signed_in, draft):
    client = signed_in("quality")
    for question in list(draft.questions.filter(kind="scale")):
        client.post(q_url("survey_question_act", draft, question.pk, "remove"))
    confirm = client.get(q_url("survey_questionnaire_publish", draft)).text
    assert "Ask at least one satisfaction question" in confirm
    response = client.post(q_url("survey_questionnaire_publish", draft))
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.state == Questionnaire.State.DRAFT


@pytest.mark.parametrize("role", ["agent", "director", "followup", "leadership"])
def test_m16_only_quality_and_admin_change_the_questionnaire(role, signed_in, draft):
    client = signed_in(role)
    page = client.get(q_url("survey_questionnaire", draft)).text
    assert "Add a question" not in page
    first = draft.questions.get(position=1)
    assert client.post(NEW_DRAFT).status_code == 403
    assert client.get(q_url("survey_question_new", draft)).status_code == 403
    assert client.post(q_url("survey_question_act", draft, first.pk, "remove")).status_code == 403
    assert client.post(q_url("survey_questionnaire_publish", draft)).status_code == 403
    assert draft.questions.count() == 12
