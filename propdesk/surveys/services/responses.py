"""A household's answers (M16): online through its one-time link or the portal, or typed in by
office staff from its paper questionnaire. All count the same: one response per household, taken
while the campaign collects, changeable until its deadline. Each answer raises its office's
return count in the same transaction; the answer that reaches the target rate records when."""

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.lifecycle import check_version
from propdesk.core.limits import TEXT_DESCRIPTION
from propdesk.core.permissions import require
from propdesk.core.scoping import can_see_office
from propdesk.core.tokens import token_hash
from propdesk.customers.models import Household
from propdesk.tickets.models import Channel, Contact
from propdesk.tickets.services import contact_log

from ..lifecycle import CAMPAIGNS, collecting
from ..models import SCALE, Answer, CampaignOffice, Participant, Question, Response
from ._common import E, _log, target_count

R = Response.Channel
Q = Question.Kind


def participant_by_token(token: str) -> Participant:
    """The household a one-time link is for; an unknown or mistyped link is simply not found."""
    participant = (
        Participant.objects.filter(token_hash=token_hash(token or ""))
        .select_related("campaign__questionnaire", "household__unit__building__community")
        .first()
    )
    if participant is None:
        raise NotFound(_("This survey link is not valid. Check that it was copied whole."))
    return participant


def participant_by_code(*, actor, campaign, code: str) -> Participant:
    """The household of a paper questionnaire, by the code printed on it, within the offices
    ``actor`` may see: a code of another office, or of another campaign, is not found."""
    code = (code or "").strip().upper()
    participant = (
        Participant.objects.filter(campaign=campaign, code__iexact=code)
        .select_related("household__unit__building__community", "customer")
        .first()
    )
    if participant is None or not _sees(actor, participant):
        raise NotFound(
            _("No household of this campaign has the code %(code)s.") % {"code": code or "—"},
            field="code",
        )
    return participant


def _sees(actor, participant) -> bool:
    return can_see_office(actor, participant.office_id)


# --- checking the answers ---------------------------------------------------------------------


def _bad(question: Question, message) -> DomainError:
    return DomainError(
        _("Question %(n)s: %(problem)s") % {"n": question.position, "problem": message},
        code="invalid",
        field=f"answers.{question.pk}",
    )


def _missing(value) -> bool:
    return value is None or value == "" or value == []


def clean_answers(questions, given: dict) -> dict[str, object]:
    """The answers as stored, keyed by question id as text, checked against the questionnaire:
    a score from 1 to 5, one of the options, options without repeats, text within its limit;
    every required question answered; nothing else. Refuses with the question's position."""
    if not isinstance(given, dict):
        raise DomainError(_("Send the answers by question."), code="invalid", field="answers")
    by_id = {str(q.pk): q for q in questions}
    unknown = sorted(set(map(str, given)) - set(by_id))
    if unknown:
        raise DomainError(
            _("This questionnaire has no question %(id)s.") % {"id": unknown[0]},
            code="invalid",
            field=f"answers.{unknown[0]}",
        )
    given = {str(k): v for k, v in given.items()}
    clean: dict[str, object] = {}
    for key, question in by_id.items():
        value = given.get(key)
        if isinstance(value, str):
            value = value.strip()
        if _missing(value):
            if question.required:
                raise _bad(question, _("this question needs an answer."))
            continue
        options = {o["value"] for o in question.options}
        if question.kind == Q.SCALE:
            if isinstance(value, str) and value.isdigit():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
                raise _bad(question, _("choose from 1 (very dissatisfied) to 5 (very satisfied)."))
        elif question.kind == Q.CHOICE:
            if not isinstance(value, str) or value not in options:
                raise _bad(question, _("choose one of the options."))
        elif question.kind == Q.MULTI:
            if isinstance(value, str):
                value = [value]
            if (
                not isinstance(value, list)
                or not all(isinstance(v, str) and v in options for v in value)
                or len(set(value)) != len(value)
            ):
                raise _bad(question, _("choose among the options, each once."))
        else:
            if not isinstance(value, str):
                raise _bad(question, _("write your answer as text."))
            if len(value) > TEXT_DESCRIPTION:
                raise _bad(
                    question,
                    _("write at most %(n)s characters.") % {"n": TEXT_DESCRIPTION},
                )
        clean[key] = value
    return clean


def _answer_rows(response: Response, questions, data: dict) -> list[Answer]:
    rows = []
    for question in questions:
        value = data.get(str(question.pk))
        if _missing(value):
            continue
        common = {
            "response": response,
            "question": question,
            "campaign_id": response.campaign_id,
            "office_id": response.office_id,
            "area": question.area,
        }
        if question.kind == Q.SCALE:
            rows.append(Answer(score=value, **common))
        elif question.kind == Q.CHOICE:
            rows.append(Answer(option=value, **common))
        elif question.kind == Q.MULTI:
            rows.extend(Answer(option=v, **common) for v in value)
        else:
            rows.append(Answer(text=value, **common))
    return rows


def _summary(questions, data: dict) -> tuple[Decimal | None, str]:
    scores = [data[str(q.pk)] for q in questions if q.kind == Q.SCALE and str(q.pk) in data]
    score = (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01")) if scores else None
    opinion = "\n".join(data[str(q.pk)] for q in questions if q.is_opinion and data.get(str(q.pk)))
    return score, opinion


# --- taking a response ------------------------------------------------------------------------


def _check_channel(*, participant, channel, actor, customer):
    if channel not in R.values:
        raise DomainError(_("Choose how the answer came."), code="invalid", field="channel")
    if channel == R.PAPER:
        if actor is None:
            raise DomainError(_("A paper questionnaire is entered by staff."), field="channel")
        if not _sees(actor, participant):
            raise NotFound(field="participant")
        require(actor, "survey.enter", participant)
        CAMPAIGNS.check(participant.campaign, "enter", actor=actor)
    elif channel == R.PORTAL and (
        customer is None
        or not Household.objects.of_customer(customer).filter(pk=participant.household_id).exists()
    ):
        raise NotFound(field="participant")


def _collecting(campaign, now) -> None:
    if not collecting(campaign, now):
        if campaign.state == campaign.State.RUNNING:
            raise Conflict(
                _("The collection deadline has passed: answers are no longer taken."),
                code="deadline_passed",
                field="answers",
            )
        raise Conflict(
            _("This survey is not collecting answers."),
            code="campaign_not_running",
            field="answers",
        )


@transaction.atomic
def response_submit(
    *,
    participant: Participant,
    answers: dict,
    channel: str,
    customer=None,
    actor=None,
    now=None,
) -> Response:
    """Take the household's answers: once. A second answer is refused; the first may be changed
    until the deadline (``response_change``)."""
    now = now or timezone.now()
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("campaign__questionnaire", "customer")
        .get(pk=participant.pk)
    )
    campaign = participant.campaign
    _check_channel(participant=participant, channel=channel, actor=actor, customer=customer)
    _collecting(campaign, now)
    if participant.responded_at is not None:
        raise Conflict(
            _("This household has answered already. Its answer can be changed until the deadline."),
            code="already_answered",
            field="participant",
        )
    questions = list(campaign.questionnaire.questions.all())
    data = clean_answers(questions, answers)
    score, opinion = _summary(questions, data)
    response = Response.objects.create(
        participant=participant,
        campaign=campaign,
        office_id=participant.office_id,
        household_id=participant.household_id,
        channel=channel,
        customer=customer if channel != R.PAPER else None,
        entered_by=actor if channel == R.PAPER else None,
        submitted_at=now,
        data=data,
        score=score,
        opinion=opinion,
    )
    Answer.objects.bulk_create(_answer_rows(response, questions, data))
    participant.responded_at = now
    participant.save(update_fields=["responded_at"])
    _count(participant, now=now)
    _on_history(participant, response, customer=customer, actor=actor, now=now)
    return response


def _count(participant: Participant, *, now) -> None:
    """One more answer for the office, under its row's lock; the answer that reaches the
    target rate records when (exactly once)."""
    part = CampaignOffice.objects.select_for_update().get(
        campaign_id=participant.campaign_id, office_id=participant.office_id
    )
    CampaignOffice.objects.filter(pk=part.pk).update(responses=F("responses") + 1)
    needed = target_count(part.households, participant.campaign.target_rate)
    if part.reached_at is None and part.responses + 1 >= needed:
        CampaignOffice.objects.filter(pk=part.pk).update(reached_at=now)
        _log(participant.campaign, E.TARGET_REACHED, now=now, office_id=part.office_id)


def _on_history(participant, response, *, customer, actor, now, changed=False) -> None:
    """The answer on the household's customer's history (M01, M12)."""
    who = customer or participant.customer
    if who is None:
        return
    values = {"title": participant.campaign.title}
    if changed:
        summary = _("Changed the answer to %(title)s.") % values
    elif response.channel == R.PAPER:
        summary = _("Answered %(title)s on paper (entered by staff).") % values
    else:
        summary = _("Answered %(title)s online.") % values
    if response.score is not None:
        summary += " " + _("Mean satisfaction %(score)s of 5.") % {"score": response.score}
    if response.opinion:
        summary += " " + _("Opinions: %(text)s") % {"text": response.opinion}
    contact_log(
        customer=who,
        household=participant.household,
        channel=Channel.SURVEY,
        direction=Contact.Direction.INBOUND,
        summary=str(summary),
        staff=actor if response.channel == R.PAPER else None,
        now=now,
    )


@transaction.atomic
def response_change(
    *,
    response: Response,
    answers: dict,
    channel: str,
    customer=None,
    actor=None,
    expected_version=None,
    now=None,
) -> Response:
    """Change a household's answers until the deadline, online by the household or by staff
    correcting a paper entry. Its earlier answers stay in its audit history."""
    now = now or timezone.now()
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("participant__campaign__questionnaire", "participant__household")
        .get(pk=response.pk)
    )
    check_version(
        response,
        expected_version,
        message=_("This answer was changed meanwhile. Reload it and try again."),
    )
    participant = response.participant
    _check_channel(participant=participant, channel=channel, actor=actor, customer=customer)
    _collecting(participant.campaign, now)
    questions = list(participant.campaign.questionnaire.questions.all())
    data = clean_answers(questions, answers)
    response.data = data
    response.score, response.opinion = _summary(questions, data)
    response.changed_at = now
    response.version += 1
    response.save(update_fields=["data", "score", "opinion", "changed_at", "version"])
    response.answers.all().delete()
    Answer.objects.bulk_create(_answer_rows(response, questions, data))
    _on_history(participant, response, customer=customer, actor=actor, now=now, changed=True)
    return response
