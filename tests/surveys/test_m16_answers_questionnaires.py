"""M16: the questionnaire in versions. A change is a new draft copied from the latest version;
its questions change only while it is a draft; publishing checks it; a published version never
changes, and a campaign keeps asking the version it froze."""

import pytest

from propdesk.core.errors import Conflict, DomainError, Forbidden
from propdesk.surveys import services
from propdesk.surveys.models import Question, Questionnaire
from propdesk.surveys.services import questionnaires as q

from .conftest import NOW

pytestmark = pytest.mark.django_db

SCALE_Q = {"kind": "scale", "area": "repairs", "text": "维修及时吗?", "text_en": "Timely repairs?"}


@pytest.fixture
def v1():
    return services.questionnaire_install_default(now=NOW)


@pytest.fixture
def draft(v1, quality):
    return q.questionnaire_draft(actor=quality, now=NOW)


def texts(questionnaire) -> list[str]:
    return list(questionnaire.questions.order_by("position").values_list("text", flat=True))


def test_m16_a_draft_is_a_copy_of_the_latest_published_version(v1, draft):
    assert draft.number == 2 and draft.state == Questionnaire.State.DRAFT
    assert texts(draft) == texts(v1)
    assert draft.title == v1.title and draft.intro_en == v1.intro_en


def test_m16_one_draft_at_a_time(draft, quality):
    with pytest.raises(Conflict) as err:
        q.questionnaire_draft(actor=quality, now=NOW)
    assert err.value.code == "draft_exists"
    assert Questionnaire.objects.count() == 2


def test_m16_only_the_quality_team_makes_drafts(v1, director, agent):
    for actor in (director, agent):
        with pytest.raises(Forbidden):
            q.questionnaire_draft(actor=actor, now=NOW)
    assert Questionnaire.objects.count() == 1


def test_m16_a_drafts_questions_are_added_changed_removed_and_reordered(draft, quality):
    before = texts(draft)
    added = q.question_add(actor=quality, questionnaire=draft, position=1, **SCALE_Q)
    assert texts(draft) == ["维修及时吗?", *before]
    assert added.position == 1

    q.question_change(actor=quality, question=added, text="维修是否及时?", required=False)
    added.refresh_from_db()
    assert added.text == "维修是否及时?" and not added.required

    ids = list(draft.questions.order_by("position").values_list("pk", flat=True))
    q.questions_reorder(actor=quality, questionnaire=draft, order=[*ids[1:], ids[0]])
    assert texts(draft)[-1] == "维修是否及时?"

    q.question_remove(actor=quality, question=added)
    assert texts(draft) == before
    positions = list(draft.questions.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(before) + 1))
    # Each change is in the questionnaire's audit history, with who made it.
    reasons = list(draft.history.values_list("history_change_reason", flat=True))
    assert "question 1 removed" in reasons
    assert draft.history.filter(history_user=quality).count() >= 4


def test_m16_a_published_version_never_changes(v1, quality):
    question = v1.questions.first()
    before = texts(v1)

    for change in (
        lambda: q.question_add(actor=quality, questionnaire=v1, **SCALE_Q),
        lambda: q.question_change(actor=quality, question=question, text="改了"),
        lambda: q.question_remove(actor=quality, question=question),
        lambda: q.questions_reorder(actor=quality, questionnaire=v1, order=[]),
        lambda: q.questionnaire_edit(actor=quality, questionnaire=v1, title="改了"),
        lambda: q.questionnaire_publish(actor=quality, questionnaire=v1),
    ):
        with pytest.raises(Conflict) as err:
            change()
        assert err.value.code == "questionnaire_published"
        assert "never changes" in err.value.message
    assert texts(v1) == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "scale", "text": "没有领域"}, "area"),
        ({"kind": "choice", "text": "选项", "options": [{"value": "a"}]}, "options"),
        (
            {"kind": "choice", "text": "重复", "options": [{"value": "a", "label": "A"}] * 2},
            "options",
        ),
        ({"kind": "scale", "area": "repairs", "text": ""}, "text"),
        ({"kind": "essay", "text": "题"}, "kind"),
        ({"kind": "choice", "text": "意见", "is_opinion": True}, "is_opinion"),
    ],
)
def test_m16_a_bad_question_is_refused_naming_the_field(draft, quality, fields, field):
    count = draft.questions.count()
    with pytest.raises(DomainError) as err:
        q.question_add(actor=quality, questionnaire=draft, **fields)
    assert err.value.field == field
    assert draft.questions.count() == count


def test_m16_publishing_checks_the_questionnaire(draft, quality):
    for question in draft.questions.filter(kind="scale"):
        q.question_remove(actor=quality, question=question)
    with pytest.raises(DomainError) as err:
        q.questionnaire_publish(actor=quality, questionnaire=draft, now=NOW)
    assert "satisfaction question" in err.value.message

    q.question_add(actor=quality, questionnaire=draft, **SCALE_Q)
    q.question_add(actor=quality, questionnaire=draft, kind="text", text="再说说", is_opinion=True)
    with pytest.raises(DomainError) as err:
        q.questionnaire_publish(actor=quality, questionnaire=draft, now=NOW)
    assert "Only one question collects opinions" in err.value.message

    choice = draft.questions.filter(kind="choice").first()
    Question.objects.filter(pk=choice.pk).update(options=choice.options[:1])  # as if imported
    q.question_remove(actor=quality, question=draft.questions.get(text="再说说"))
    with pytest.raises(DomainError) as err:
        q.questionnaire_publish(actor=quality, questionnaire=draft, now=NOW)
    assert err.value.field == f"questions.{choice.pk}"
    draft.refresh_from_db()
    assert draft.state == Questionnaire.State.DRAFT


def test_m16_a_campaign_keeps_its_version_when_a_new_one_is_published(
    make_campaign, draft, quality, customer
):
    running = make_campaign()
    v1 = running.questionnaire
    q.question_add(actor=quality, questionnaire=draft, **SCALE_Q)
    v2 = q.questionnaire_publish(actor=quality, questionnaire=draft, now=NOW)
    assert v2.state == Questionnaire.State.PUBLISHED and v2.published_at == NOW

    running.refresh_from_db()
    assert running.questionnaire == v1
    assert "维修及时吗?" not in texts(running.questionnaire)
    later = make_campaign(title="专项调查", season="special", launch=False)
    assert later.questionnaire == v2
    # The next draft starts from version 2.
    v3 = q.questionnaire_draft(actor=quality, now=NOW)
    assert v3.number == 3 and "维修及时吗?" in texts(v3)
