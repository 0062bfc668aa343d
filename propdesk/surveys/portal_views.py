"""The resident portal's surveys (M16): the campaigns the customer's households were invited
to, answered or not and open until when, and answering or changing an answer as the signed-in
customer. Another household's participation is not found, like any record that is not theirs."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError, NotFound
from propdesk.core.pagination import CappedPaginator
from propdesk.portal.auth import portal_login_required

from .lifecycle import collecting
from .models import Response
from .selectors.answers import participation_of_customer, participations_of_customer
from .services import response_change, response_submit
from .views.answers_form import TEXT_LIMIT, answers_from, general_error, posted_version, rows_for


@portal_login_required
def survey_list(request):
    customer = request.portal_account.customer
    page = CappedPaginator(participations_of_customer(customer), 20).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    rows = [
        {
            "participant": p,
            "campaign": p.campaign,
            "response": getattr(p, "response", None),
            "open": collecting(p.campaign, now),
        }
        for p in page
    ]
    return render(request, "surveys/answers/portal_list.html", {"page": page, "rows": rows})


def _participation(request, pk):
    try:
        return participation_of_customer(request.portal_account.customer, pk)
    except NotFound:
        raise Http404 from None


@portal_login_required
def survey_detail(request, pk):
    """The questionnaire with the household's answers; POST answers or changes them."""
    customer = request.portal_account.customer
    participant = _participation(request, pk)
    campaign = participant.campaign
    questions = list(campaign.questionnaire.questions.all())
    response = getattr(participant, "response", None)
    now = timezone.now()
    context = {
        "participant": participant,
        "campaign": campaign,
        "response": response,
        "intro": campaign.questionnaire.display_intro,
        "open": collecting(campaign, now),
        "text_limit": TEXT_LIMIT,
    }
    status = 200
    if request.method == "POST":
        answers = answers_from(request.POST, questions)
        try:
            if response is None:
                response_submit(
                    participant=participant,
                    answers=answers,
                    channel=Response.Channel.PORTAL,
                    customer=customer,
                    now=now,
                )
                messages.success(request, _("Thank you: your household's answers are in."))
            else:
                response_change(
                    response=response,
                    answers=answers,
                    channel=Response.Channel.PORTAL,
                    customer=customer,
                    expected_version=posted_version(request.POST),
                    now=now,
                )
                messages.success(request, _("Your changes are saved."))
        except DomainError as err:
            if isinstance(err, NotFound):
                raise Http404 from None
            rows = rows_for(questions, answers, err)
            context.update(rows=rows, error=general_error(rows, err))
            if err.code in ("deadline_passed", "campaign_not_running"):
                context["open"] = False
            return render(request, "surveys/answers/portal_detail.html", context, status=err.status)
        return redirect("portal:survey", pk=participant.pk)
    values = response.data if response is not None else {}
    context["rows"] = rows_for(questions, values)
    return render(request, "surveys/answers/portal_detail.html", context, status=status)
