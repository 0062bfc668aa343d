"""The page a household's one-time link opens (/s/<token>/): its questionnaire, answered on a
phone without signing in. Answered once; opened again it shows the answers, which the household
may change until the deadline; after it, or once the campaign is closed, a page that says so.

The link is the household's key: the page is never cached, and a link that matches no household
is a plain 404 page, whatever it is."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache

from propdesk.core.errors import DomainError, NotFound

from .lifecycle import collecting
from .models import Response
from .services import participant_by_token, response_change, response_submit
from .views.answers_form import TEXT_LIMIT, answers_from, general_error, posted_version, rows_for

TEMPLATE = "surveys/answers/public.html"
# Each language by its own name: the reader picks the one they read.
LANGUAGE_NAMES = {"zh-hans": "中文", "en": "English"}


def _language(request, participant) -> None:
    """The reader's language: the one they pick on the page (``?lang=``), else their language
    cookie, else the language the household's addressee chose for messages, else the company's."""
    chosen = request.GET.get("lang", "")
    if not translation.check_for_language(chosen):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if not translation.check_for_language(chosen) and participant is not None:
        chosen = getattr(participant.customer, "language", "")
    if chosen and translation.check_for_language(chosen):
        translation.activate(translation.get_supported_language_variant(chosen))
        request.LANGUAGE_CODE = translation.get_language()


def _page(request, context, status=200):
    context = {
        "languages": [(code, LANGUAGE_NAMES.get(code, code)) for code, _ in settings.LANGUAGES],
        "text_limit": TEXT_LIMIT,
        **context,
    }
    response = render(request, TEMPLATE, context, status=status)
    response.headers["Content-Language"] = translation.get_language()
    return response


@never_cache
def answer(request, token):
    try:
        participant = participant_by_token(token)
    except NotFound:
        _language(request, None)
        return _page(request, {"state": "unknown"}, status=404)
    _language(request, participant)
    campaign = participant.campaign
    questions = list(campaign.questionnaire.questions.all())
    response = Response.objects.filter(participant=participant).first()
    context = {
        "participant": participant,
        "campaign": campaign,
        "intro": campaign.questionnaire.display_intro,
        "response": response,
    }
    now = timezone.now()
    if not collecting(campaign, now):
        status = 409 if request.method == "POST" else 200
        return _page(request, {**context, "state": "closed"}, status=status)
    if request.method == "POST":
        answers = answers_from(request.POST, questions)
        try:
            if response is None:
                response_submit(
                    participant=participant,
                    answers=answers,
                    channel=Response.Channel.LINK,
                    customer=participant.customer,
                    now=now,
                )
            else:
                response_change(
                    response=response,
                    answers=answers,
                    channel=Response.Channel.LINK,
                    customer=participant.customer,
                    expected_version=posted_version(request.POST),
                    now=now,
                )
        except DomainError as err:
            if err.code in ("deadline_passed", "campaign_not_running"):
                context.update(state="closed", error=err.message)
                return _page(request, context, status=err.status)
            if err.code == "already_answered":
                # Answered meanwhile (another phone of the household): show that answer.
                response = Response.objects.filter(participant=participant).first()
                context["response"] = response
            rows = rows_for(questions, answers, err)
            context.update(state="open", rows=rows, error=general_error(rows, err))
            return _page(request, context, status=err.status)
        lang = request.GET.get("lang")
        return redirect(f"{request.path}?thanks=1" + (f"&lang={lang}" if lang else ""))
    if request.GET.get("thanks") and response is not None:
        return _page(request, {**context, "state": "thanks"})
    values = response.data if response is not None else {}
    return _page(request, {**context, "state": "open", "rows": rows_for(questions, values)})
