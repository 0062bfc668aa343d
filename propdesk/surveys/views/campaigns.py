"""Console pages of survey campaigns (M16): the list, a campaign with each office's return rate
and its timeline, the forms and confirmations, an office's households that have not answered
(to visit or print for), the printed questionnaires, the keyboard desk where paper
questionnaires are typed in, and the questionnaire's versions. Thin: selector → form → service
→ render; a service's refusal is shown on the page it came from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from propdesk.core.errors import DomainError
from propdesk.core.forms import rendered_version, show_error
from propdesk.core.pagination import CappedPaginator
from propdesk.core.params import parse_id
from propdesk.core.permissions import allowed
from propdesk.core.views import get_or_404

from .. import paper, services
from ..forms.campaigns import (
    CampaignFilterForm,
    CampaignForm,
    EntryForm,
    ParticipantSearchForm,
    QuestionForm,
    QuestionnaireForm,
    VersionForm,
)
from ..lifecycle import CAMPAIGNS, collecting
from ..models import Campaign, Questionnaire
from ..selectors import campaigns as selectors
from ..selectors.campaigns import PRINT_LIMIT
from ..services import questionnaires

PAGE_SIZE = 50
TIMELINE_LIMIT = 200
# The desk's count of questionnaires typed in, per campaign, for this sign-in.
ENTERED_KEY = "surveys:entered:%s"
LAST_OFFICE_KEY = "surveys:entry_office:%s"


def _posted(request):
    return request.POST if request.method == "POST" else None


def _require(user, action, record=None) -> None:
    if not allowed(user, action, record):
        raise PermissionDenied


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- the list ---------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request):
    _require(request.user, "survey.view")
    form = CampaignFilterForm(request.GET or None, years=selectors.campaign_years())
    campaigns = selectors.campaign_list(request.user, form.filters())
    page = CappedPaginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/campaigns/list.html",
        {
            "form": form,
            "page": page,
            "empty": _("No campaign matches these filters.")
            if any(request.GET.get(k) for k in ("state", "year"))
            else _("No campaigns yet."),
            "can_create": allowed(request.user, "survey.manage"),
        },
    )


# --- one campaign -----------------------------------------------------------------------------


def _detail_context(user, campaign, **extra) -> dict:
    now = timezone.now()
    offered = CAMPAIGNS.actions_for(user, campaign)
    return {
        "campaign": campaign,
        "parts": selectors.office_parts(user, campaign),
        "events": selectors.timeline(campaign)[:TIMELINE_LIMIT],
        "can_edit": "edit" in offered,
        "can_launch": "launch" in offered,
        # The service closes a campaign only after its deadline: the button waits for it.
        "can_close": "close" in offered and now >= campaign.deadline,
        "close_later": "close" in offered and now < campaign.deadline,
        "can_enter": "enter" in offered,
        "can_print": campaign.state == Campaign.State.RUNNING and allowed(user, "survey.enter"),
        "collecting": collecting(campaign, now),
        **extra,
    }


@login_required
@require_GET
def campaign_detail(request, pk):
    campaign = get_or_404(selectors.campaign_get, request.user, pk)
    return render(request, "surveys/campaigns/detail.html", _detail_context(request.user, campaign))


def _refused(request, campaign, err: DomainError):
    messages.error(request, err.message)
    campaign = selectors.campaign_get(request.user, campaign.pk)
    return render(
        request,
        "surveys/campaigns/detail.html",
        _detail_context(request.user, campaign),
        status=err.status,
    )


# --- creating and changing --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    _require(request.user, "survey.manage")
    form = CampaignForm(_posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.changes()
            try:
                campaign = services.campaign_create(actor=request.user, **data)
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Campaign saved: launch it to invite the households."))
                return redirect("console:survey_campaign", pk=campaign.pk)
    return render(
        request, "surveys/campaigns/form.html", {"form": form, "campaign": None}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk):
    campaign = get_or_404(selectors.campaign_get, request.user, pk)
    if "edit" not in CAMPAIGNS.actions_for(request.user, campaign):
        if campaign.state == Campaign.State.CLOSED and allowed(request.user, "survey.manage"):
            messages.error(request, CAMPAIGNS["edit"].refusal)
            return redirect("console:survey_campaign", pk=campaign.pk)
        raise PermissionDenied
    form = CampaignForm(_posted(request), campaign=campaign)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.campaign_edit(
                    actor=request.user,
                    campaign=campaign,
                    expected_version=rendered_version(form),
                    **form.changes(),
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Campaign saved."))
                return redirect("console:survey_campaign", pk=campaign.pk)
    return render(
        request,
        "surveys/campaigns/form.html",
        {"form": form, "campaign": campaign},
        status=status,
    )


def _confirmed(request, pk, action: str, service, *, template: str, done: str, extra=None):
    """GET asks for confirmation; POST takes the step through its service, with the version
    the confirmation page was rendered with."""
    campaign = get_or_404(selectors.campaign_get, request.user, pk)
    if not CAMPAIGNS.permits(request.user, campaign, action):
        raise PermissionDenied
    form = VersionForm(_posted(request), campaign=campaign)
    if request.method == "POST":
        try:
            service(actor=request.user, campaign=campaign, expected_version=rendered_version(form))
        except DomainError as err:
            return _refused(request, campaign, err)
        messages.success(request, done)
        return redirect("console:survey_campaign", pk=campaign.pk)
    context = {"campaign": campaign, "form": form, **(extra(campaign) if extra else {})}
    return render(request, template, context)


def _launch_facts(campaign) -> dict:
    from propdesk.customers.models import Household

    return {"households": Household.objects.filter(is_active=True).count()}


@login_required
@require_http_methods(["GET", "POST"])
def campaign_launch(request, pk):
    return _confirmed(
        request,
        pk,
        "launch",
        services.campaign_launch,
        template="surveys/campaigns/confirm_launch.html",
        done=_("Campaign launched: every household is being invited."),
        extra=_launch_facts,
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_close(request, pk):
    return _confirmed(
        request,
        pk,
        "close",
        services.campaign_close,
        template="surveys/campaigns/confirm_close.html",
        done=_("Campaign closed."),
    )


# --- an office's households that have not answered ---------------------------------------------


def _office_part(request, campaign, office_pk):
    office_id = parse_id(office_pk)
    if office_id is None:
        raise Http404
    return get_or_404(selectors.part_get, request.user, campaign, office_id)


@login_required
@require_GET
def not_answered(request, pk, office_pk):
    campaign = get_or_404(selectors.campaign_get, request.user, pk)
    part = _office_part(request, campaign, office_pk)
    form = ParticipantSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    households = selectors.not_answered(campaign, part.office_id, q)
    page = CappedPaginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    # The listed households print in files of at most PRINT_LIMIT: beyond, one link per file.
    total = page.paginator.count
    batches = (
        [
            (n + 1, n * PRINT_LIMIT + 1, min((n + 1) * PRINT_LIMIT, total))
            for n in range((total + PRINT_LIMIT - 1) // PRINT_LIMIT)
        ]
        if total > PRINT_LIMIT and not page.paginator.capped
        else []
    )
    context = {
        "campaign": campaign,
        "part": part,
        "form": form,
        "q": q,
        "page": page,
        "batches": batches,
        "print_limit": PRINT_LIMIT,
        "can_print": campaign.state == Campaign.State.RUNNING
        and allowed(request.user, "survey.enter", part),
    }
    template = "surveys/campaigns/not_answered.html"
    if request.headers.get("HX-Request"):
        template = "surveys/campaigns/partials/not_answered_table.html"
    return render(request, template, context)


# --- paper ------------------------------------------------------------------------------------


def _printable(request, campaign, record):
    if campaign.state != Campaign.State.RUNNING:
        raise Http404
    _require(request.user, "survey.enter", record)


@login_required
@require_GET
def paper_one(request, pk, participant_pk):
    campaign = get_or_404(selectors.campaign_get, request.user, pk)
    participant = get_or_404(selectors.participant_get, request.user, campaign, participant_pk)
    _printable(request, campaign, participant)
    content = paper.questionnaires_pdf(campaign, [participant])
    return _pdf(content, f"survey-{participant.code}.pdf")


@login_required
@require_GET
def paper_office(request, pk, office_pk):
    """The office's households that have not answered (those the search lists), one
    questionnaire each, in one file of at most ``PRINT_LIMIT``; ``batch`` picks which file."""
    campaign = get_or_404(selectors.campaign_get, request.user, pk)
    part = _office_part(request, campaign, office_pk)
    _printable(request, campaign, part)
    form = ParticipantSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    raw = request.GET.get("file", "")
    number = parse_id(raw) if raw else 1
    if number is None:
        raise Http404
    households = selectors.participants_for_print(campaign, part.office_id, q)
    start = (number - 1) * PRINT_LIMIT
    chosen = list(households[start : start + PRINT_LIMIT + 1])
    if not raw and len(chosen) > PRINT_LIMIT:
        messages.error(
            request,
            gettext(
                "More than %(n)s households are listed: a file holds at most %(n)s. "
                "Print them file by file below, or narrow the search (a building, say)."
            )
            % {"n": PRINT_LIMIT},
        )
        url = reverse("console:survey_not_answered", args=[campaign.pk, part.office_id])
        return redirect(f"{url}?{urlencode({'q': q})}" if q else url)
    chosen = chosen[:PRINT_LIMIT]
    if not chosen:
        messages.info(request, _("Every household listed has answered: nothing to print."))
        return redirect("console:survey_not_answered", pk=campaign.pk, office_pk=part.office_id)
    content = paper.questionnaires_pdf(campaign, chosen)
    suffix = f"-{number}" if raw else ""
    return _pdf(content, f"survey-{part.office.code}{suffix}.pdf")


# --- typing in paper questionnaires -----------------------------------------------------------


def _entry_context(request, campaign, form, *, last=None) -> dict:
    session = request.session
    office_id = request.user.office_id or session.get(LAST_OFFICE_KEY % campaign.pk)
    part = None
    if office_id:
        try:
            part = selectors.part_get(request.user, campaign, office_id)
        except DomainError:
            part = None
    return {
        "campaign": campaign,
        "form": form,
        "part": part,
        "entered": session.get(ENTERED_KEY % campaign.pk, 0),
        "collecting": collecting(campaign),
        "last": last,
    }


@login_required
@require_http_methods(["GET", "POST"])
def entry(request, pk):
    """One paper questionnaire after another, from the keyboard: the code, the answers, Enter.
    Saved through ``response_submit(channel="paper")``, which records who typed it in; any
    refusal shows on the form, with what was typed, and nothing is saved."""
    campaign = get_or_404(selectors.campaign_get, request.user, pk)
    if not CAMPAIGNS.permits(request.user, campaign, "enter"):
        raise PermissionDenied
    questions = selectors.questions_of(campaign.questionnaire)
    form = EntryForm(_posted(request), questions=questions)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            answers = form.answers()
            if form.is_valid():  # the option numbers were options
                try:
                    participant = services.participant_by_code(
                        actor=request.user, campaign=campaign, code=form.cleaned_data["code"]
                    )
                    services.response_submit(
                        participant=participant,
                        answers=answers,
                        channel="paper",
                        actor=request.user,
                    )
                except DomainError as err:
                    # An unknown code is the typist's slip (400), not a missing page.
                    status = show_error(form, err, missing_is_bad_input=True)
                else:
                    key = ENTERED_KEY % campaign.pk
                    request.session[key] = request.session.get(key, 0) + 1
                    request.session[LAST_OFFICE_KEY % campaign.pk] = participant.office_id
                    messages.success(
                        request,
                        gettext("Saved %(code)s, %(address)s.")
                        % {"code": participant.code, "address": participant.household.address},
                    )
                    return redirect("console:survey_enter", pk=campaign.pk)
    return render(
        request,
        "surveys/campaigns/entry.html",
        _entry_context(request, campaign, form),
        status=status,
    )


@login_required
@require_GET
def entry_lookup(request, pk):
    """The household a typed code is for, shown beside the code before the answers are typed
    (the desk's check that it holds the right form): its address, or why it cannot be entered."""
    campaign = get_or_404(selectors.campaign_get, request.user, pk)
    if not CAMPAIGNS.permits(request.user, campaign, "enter"):
        raise PermissionDenied
    participant, error = None, None
    try:
        participant = services.participant_by_code(
            actor=request.user, campaign=campaign, code=request.GET.get("code", "")[:20]
        )
    except DomainError as err:
        error = err.message
    else:
        if participant.responded_at is not None:
            error = gettext("%(code)s has answered already.") % {"code": participant.code}
    return render(
        request,
        "surveys/campaigns/partials/entry_lookup.html",
        {"participant": participant, "error": error},
        status=200 if error is None else 400,
    )


# --- the questionnaire ------------------------------------------------------------------------


@login_required
@require_GET
def questionnaire_list(request):
    _require(request.user, "survey.view")
    page = CappedPaginator(selectors.questionnaire_list(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "surveys/campaigns/questionnaires.html",
        {"page": page, "can_manage": allowed(request.user, "survey.manage")},
    )


@login_required
@require_GET
def questionnaire_detail(request, pk):
    questionnaire = get_or_404(selectors.questionnaire_get, request.user, pk)
    return render(
        request,
        "surveys/campaigns/questionnaire.html",
        {
            "questionnaire": questionnaire,
            "questions": selectors.questions_of(questionnaire),
            "is_draft": questionnaire.state == Questionnaire.State.DRAFT,
            "can_manage": allowed(request.user, "survey.manage"),
            "campaigns": questionnaire.campaigns.order_by("-year", "-deadline")[:20],
        },
    )


# --- the questionnaire's draft: a new version, its questions, publishing ---------------------


def _draft(request, pk):
    """The draft version to change; a published one never changes (its page says so)."""
    _require(request.user, "survey.manage")
    questionnaire = get_or_404(selectors.questionnaire_get, request.user, pk)
    if questionnaire.state != Questionnaire.State.DRAFT:
        messages.error(request, _("A published version never changes: make a new draft."))
        return questionnaire, redirect("console:survey_questionnaire", pk=questionnaire.pk)
    return questionnaire, None


@login_required
@require_http_methods(["POST"])
def questionnaire_new_draft(request):
    _require(request.user, "survey.manage")
    try:
        draft = questionnaires.questionnaire_draft(actor=request.user)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("console:surveys_questionnaires")
    messages.success(
        request, _("A new draft version, a copy of the latest: change it, then publish it.")
    )
    return redirect("console:survey_questionnaire", pk=draft.pk)


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_edit(request, pk):
    questionnaire, gone = _draft(request, pk)
    if gone:
        return gone
    initial = {f: getattr(questionnaire, f) for f in ("title", "title_en", "intro", "intro_en")}
    form = QuestionnaireForm(_posted(request), initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                questionnaires.questionnaire_edit(
                    actor=request.user, questionnaire=questionnaire, **form.cleaned_data
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Questionnaire saved."))
                return redirect("console:survey_questionnaire", pk=questionnaire.pk)
    return render(
        request,
        "surveys/campaigns/questionnaire_form.html",
        {"form": form, "questionnaire": questionnaire},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk, question_pk=None):
    """Add a question to the draft (no ``question_pk``) or change one of its questions."""
    questionnaire, gone = _draft(request, pk)
    if gone:
        return gone
    question = None
    if question_pk is not None:
        question = questionnaire.questions.filter(pk=question_pk).first()
        if question is None:
            raise Http404
    form = QuestionForm(_posted(request), question=question)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if question is None:
                    questionnaires.question_add(
                        actor=request.user,
                        questionnaire=questionnaire,
                        position=form.cleaned_data.get("position"),
                        **form.question_fields(),
                    )
                else:
                    questionnaires.question_change(
                        actor=request.user, question=question, **form.question_fields()
                    )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Question saved."))
                return redirect("console:survey_questionnaire", pk=questionnaire.pk)
    return render(
        request,
        "surveys/campaigns/question_form.html",
        {"form": form, "questionnaire": questionnaire, "question": question},
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def question_act(request, pk, question_pk, action):
    """Move a draft's question up or down, or remove it (the page asks first, in the browser's
    own confirm dialog or, without JavaScript, on the button's page)."""
    if action not in ("up", "down", "remove"):
        raise Http404
    questionnaire, gone = _draft(request, pk)
    if gone:
        return gone
    ids = list(questionnaire.questions.order_by("position").values_list("pk", flat=True))
    if question_pk not in ids:
        raise Http404
    try:
        if action == "remove":
            question = questionnaire.questions.get(pk=question_pk)
            questionnaires.question_remove(actor=request.user, question=question)
            messages.success(request, _("Question removed."))
        else:
            i = ids.index(question_pk)
            j = i - 1 if action == "up" else i + 1
            if 0 <= j < len(ids):
                ids[i], ids[j] = ids[j], ids[i]
                questionnaires.questions_reorder(
                    actor=request.user, questionnaire=questionnaire, order=ids
                )
    except DomainError as err:
        messages.error(request, err.message)
    return redirect("console:survey_questionnaire", pk=questionnaire.pk)


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_publish(request, pk):
    questionnaire, gone = _draft(request, pk)
    if gone:
        return gone
    questions = selectors.questions_of(questionnaire)
    status = 200
    error = None
    if request.method == "POST":
        try:
            questionnaires.questionnaire_publish(actor=request.user, questionnaire=questionnaire)
        except DomainError as err:
            status, error = err.status, err.message
        else:
            messages.success(request, _("Version published: new campaigns ask it."))
            return redirect("console:survey_questionnaire", pk=questionnaire.pk)
    return render(
        request,
        "surveys/campaigns/confirm_publish_questionnaire.html",
        {
            "questionnaire": questionnaire,
            "questions": questions,
            "problems": [message for _field, message in questionnaires.publish_problems(questions)],
            "error": error,
        },
        status=status,
    )
