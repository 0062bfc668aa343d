"""The questionnaire's versions (M16): a change is a new draft, copied from the latest version;
its questions are added, changed, removed and reordered while it is a draft; publishing checks
it and freezes it. A published version never changes, so a campaign that asks it keeps asking
the same questions, and its answers stay comparable."""

import re

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError
from propdesk.core.limits import TEXT_DESCRIPTION, TEXT_LINE
from propdesk.core.permissions import require

from ..models import MAX_OPTIONS, Area, Question, Questionnaire
from .campaigns import questionnaire_install_default

QState = Questionnaire.State
Kind = Question.Kind
CHOICE_KINDS = (Kind.CHOICE, Kind.MULTI)
OPTION_VALUE = re.compile(r"^[a-z0-9_]{1,20}$")
QUESTION_FIELDS = ("kind", "text", "text_en", "area", "required", "options", "is_opinion")


def _locked_draft(questionnaire: Questionnaire) -> Questionnaire:
    fresh = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if fresh.state != QState.DRAFT:
        raise Conflict(
            _(
                "Version %(n)s is published and never changes: campaigns ask it as it is. "
                "Make a new draft version to change the questions."
            )
            % {"n": fresh.number},
            code="questionnaire_published",
            field="questionnaire",
        )
    return fresh


def _touch(questionnaire: Questionnaire, *, actor, reason: str) -> None:
    """A row in the questionnaire's audit history for a change to its questions (which keep no
    history of their own): who, and what, in the change reason."""
    questionnaire._history_user = actor
    questionnaire._change_reason = reason[:100]
    questionnaire.save(update_fields=["updated_at"])


@transaction.atomic
def questionnaire_draft(*, actor, now=None) -> Questionnaire:
    """A new draft version, a copy of the latest published one (the company's default when there
    is none). One draft at a time: a second is refused, the first is where changes go."""
    now = now or timezone.now()
    require(actor, "survey.manage")
    latest = questionnaire_install_default(now=now, actor=actor)
    # Locking the latest published version serialises two people making a draft at once.
    Questionnaire.objects.select_for_update().filter(pk=latest.pk).first()
    draft = Questionnaire.objects.filter(state=QState.DRAFT).first()
    if draft is not None:
        raise Conflict(
            _("Version %(n)s is a draft already: change that one, or publish it first.")
            % {"n": draft.number},
            code="draft_exists",
            field="questionnaire",
        )
    number = (Questionnaire.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = Questionnaire(
        number=number,
        title=latest.title,
        title_en=latest.title_en,
        intro=latest.intro,
        intro_en=latest.intro_en,
        created_by=actor,
    )
    draft._history_user = actor
    draft.save()
    Question.objects.bulk_create(
        Question(
            questionnaire=draft, position=q.position, **{f: getattr(q, f) for f in QUESTION_FIELDS}
        )
        for q in latest.questions.all()
    )
    return draft


@transaction.atomic
def questionnaire_edit(*, actor, questionnaire: Questionnaire, now=None, **changes):
    """A draft's title and introduction, in Chinese and English."""
    require(actor, "survey.manage")
    questionnaire = _locked_draft(questionnaire)
    allowed = {"title", "title_en", "intro", "intro_en"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise DomainError(_("This cannot be changed."), code="invalid", field=unknown[0])
    for field, value in changes.items():
        value = (value or "").strip()
        limit = TEXT_LINE if field.startswith("title") else TEXT_DESCRIPTION
        if field == "title" and not value:
            raise DomainError(_("Give the questionnaire a title."), code="required", field=field)
        if len(value) > limit:
            raise DomainError(
                _("Write at most %(n)s characters.") % {"n": limit}, code="invalid", field=field
            )
        setattr(questionnaire, field, value)
    questionnaire._history_user = actor
    questionnaire.save(update_fields=[*changes, "updated_at"])
    return questionnaire


def _clean_options(kind: str, options) -> list[dict]:
    if kind not in CHOICE_KINDS:
        return []
    if not isinstance(options, list):
        raise DomainError(_("List the options to choose from."), code="invalid", field="options")
    clean, seen = [], set()
    for n, option in enumerate(options, start=1):
        if not isinstance(option, dict):
            raise DomainError(_("Give each option a label."), code="invalid", field="options")
        label = str(option.get("label") or "").strip()
        label_en = str(option.get("label_en") or "").strip()
        value = str(option.get("value") or f"o{n}").strip()
        if not label:
            raise DomainError(_("Give each option a label."), code="required", field="options")
        if not OPTION_VALUE.match(value) or value in seen:
            raise DomainError(
                _("Each option's value is unique: lower-case letters, digits and _, at most 20."),
                code="invalid",
                field="options",
            )
        if len(label) > 100 or len(label_en) > 100:
            raise DomainError(
                _("An option's label is at most 100 characters."), code="invalid", field="options"
            )
        seen.add(value)
        clean.append({"value": value, "label": label, "label_en": label_en})
    if len(clean) > MAX_OPTIONS:
        raise DomainError(
            _("At most %(n)s options.") % {"n": MAX_OPTIONS}, code="invalid", field="options"
        )
    return clean


def _clean_question(fields: dict) -> dict:
    """The question's fields checked together: the kind, its text, a satisfaction question's
    area, a choice's options; only a free-text question holds opinions."""
    kind = fields.get("kind")
    if kind not in Kind.values:
        raise DomainError(_("Choose the kind of question."), code="invalid", field="kind")
    text = (fields.get("text") or "").strip()
    text_en = (fields.get("text_en") or "").strip()
    if not text:
        raise DomainError(_("Write the question."), code="required", field="text")
    if len(text) > 300 or len(text_en) > 300:
        raise DomainError(
            _("A question is at most 300 characters."),
            code="invalid",
            field="text" if len(text) > 300 else "text_en",
        )
    area = fields.get("area") or ""
    if kind == Kind.SCALE:
        if area not in Area.values:
            raise DomainError(
                _("Choose the service area this satisfaction question is about."),
                code="required",
                field="area",
            )
    else:
        area = ""
    is_opinion = bool(fields.get("is_opinion"))
    if is_opinion and kind != Kind.TEXT:
        raise DomainError(
            _("Only a free-text question collects opinions and suggestions."),
            code="invalid",
            field="is_opinion",
        )
    return {
        "kind": kind,
        "text": text,
        "text_en": text_en,
        "area": area,
        "required": bool(fields.get("required", True)),
        "options": _clean_options(kind, fields.get("options") or []),
        "is_opinion": is_opinion,
    }


@transaction.atomic
def question_add(
    *, actor, questionnaire: Questionnaire, position: int | None = None, now=None, **fields
) -> Question:
    """A question added to a draft, at the end or at ``position`` (the later ones move down)."""
    require(actor, "survey.manage")
    questionnaire = _locked_draft(questionnaire)
    clean = _clean_question(fields)
    count = questionnaire.questions.count()
    if position is None:
        position = count + 1
    if not isinstance(position, int) or not 1 <= position <= count + 1:
        raise DomainError(
            _("Choose a position from 1 to %(n)s.") % {"n": count + 1},
            code="invalid",
            field="position",
        )
    _renumber(questionnaire, [q.pk for q in questionnaire.questions.all()], insert_at=position)
    question = Question.objects.create(questionnaire=questionnaire, position=position, **clean)
    _touch(questionnaire, actor=actor, reason=f"question {position} added")
    return question


@transaction.atomic
def question_change(*, actor, question: Question, now=None, **changes) -> Question:
    """Change a draft's question (its kind, text, area, options, whether it is required)."""
    require(actor, "survey.manage")
    questionnaire = _locked_draft(question.questionnaire)
    question = Question.objects.get(pk=question.pk)
    unknown = sorted(set(changes) - set(QUESTION_FIELDS))
    if unknown:
        raise DomainError(_("This cannot be changed."), code="invalid", field=unknown[0])
    clean = _clean_question({**{f: getattr(question, f) for f in QUESTION_FIELDS}, **changes})
    for field, value in clean.items():
        setattr(question, field, value)
    question.save(update_fields=list(QUESTION_FIELDS))
    _touch(questionnaire, actor=actor, reason=f"question {question.position} changed")
    return question


@transaction.atomic
def question_remove(*, actor, question: Question, now=None) -> None:
    require(actor, "survey.manage")
    questionnaire = _locked_draft(question.questionnaire)
    position = question.position
    Question.objects.filter(pk=question.pk).delete()
    _renumber(questionnaire, list(questionnaire.questions.values_list("pk", flat=True)))
    _touch(questionnaire, actor=actor, reason=f"question {position} removed")


@transaction.atomic
def questions_reorder(*, actor, questionnaire: Questionnaire, order: list, now=None) -> None:
    """Put a draft's questions in ``order`` (every question's id, once)."""
    require(actor, "survey.manage")
    questionnaire = _locked_draft(questionnaire)
    ids = list(questionnaire.questions.values_list("pk", flat=True))
    if not isinstance(order, list) or sorted(map(str, order)) != sorted(map(str, ids)):
        raise DomainError(
            _("List every question of this version once, in the new order."),
            code="invalid",
            field="order",
        )
    _renumber(questionnaire, [int(pk) for pk in order])
    _touch(questionnaire, actor=actor, reason="questions reordered")


def _renumber(questionnaire, ids: list[int], *, insert_at: int | None = None) -> None:
    """Number ``ids`` 1, 2, … in that order (leaving ``insert_at`` free). Two passes, through
    positions no question has, so the unique position never clashes midway."""
    offset = 10000
    questions = questionnaire.questions
    for n, pk in enumerate(ids, start=1):
        questions.filter(pk=pk).update(position=offset + n)
    for n, pk in enumerate(ids, start=1):
        final = n + 1 if insert_at is not None and n >= insert_at else n
        questions.filter(pk=pk).update(position=final)


def publish_problems(questions) -> list[tuple[str, str]]:
    """What keeps a version from being published, as (field, message)."""
    problems = []
    if not any(q.kind == Kind.SCALE for q in questions):
        problems.append(
            ("questions", _("Ask at least one satisfaction question: the index is made of them."))
        )
    for q in questions:
        if q.kind in CHOICE_KINDS and len(q.options) < 2:
            problems.append(
                (
                    f"questions.{q.pk}",
                    _("Question %(n)s: a choice needs at least two options.") % {"n": q.position},
                )
            )
    if sum(1 for q in questions if q.is_opinion) > 1:
        problems.append(("questions", _("Only one question collects opinions and suggestions.")))
    return problems


@transaction.atomic
def questionnaire_publish(*, actor, questionnaire: Questionnaire, now=None) -> Questionnaire:
    """Publish a draft once it is a questionnaire worth asking: from then on it never changes,
    and new campaigns ask it."""
    now = now or timezone.now()
    require(actor, "survey.manage")
    questionnaire = _locked_draft(questionnaire)
    problems = publish_problems(list(questionnaire.questions.all()))
    if problems:
        field, message = problems[0]
        raise DomainError(message, code="invalid", field=field)
    questionnaire.state, questionnaire.published_at = QState.PUBLISHED, now
    questionnaire._history_user = actor
    questionnaire.save(update_fields=["state", "published_at", "updated_at"])
    return questionnaire
