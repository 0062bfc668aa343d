"""Console pages of a campaign's analysis (M16): the company's figures and each office's, with
charts (ECharts, through ``core/partials/chart.html``) and the same figures in tables under them
for reading without JavaScript; the topics of the opinions; the office's written analysis and its
clock; the spreadsheet of every answer and the PDF report. Thin: the services check the release
of the figures and who may see them, the selectors count."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from propdesk.core.errors import DomainError
from propdesk.core.forms import show_error
from propdesk.core.permissions import allowed
from propdesk.core.scoping import scope_for
from propdesk.core.views import get_or_404

from .. import exports
from ..forms.analysis import AnalysisForm
from ..models import SCALE, CampaignOffice, Question
from ..selectors import analysis as selectors
from ..services import analysis as services
from ..topics import campaign_topics

HISTORY_LIMIT = 20
SCALE_COLOURS = ["#c0392b", "#e67e22", "#bdc3c7", "#7fb3d5", "#2e86c1"]


def _pct(value) -> float | None:
    return None if value is None else round(float(value) * 100, 1)


# --- chart options (ECharts), from the figures ---------------------------------------------------


def area_chart(area_rows, previous_title: str = "") -> dict:
    series = [
        {
            "name": gettext("This campaign"),
            "type": "bar",
            "data": [_pct(r.index.index) for r in area_rows],
            "label": {"show": True, "position": "top", "formatter": "{c}%"},
        }
    ]
    if previous_title:
        series.append(
            {
                "name": previous_title,
                "type": "bar",
                "data": [_pct(r.previous.index) if r.previous else None for r in area_rows],
            }
        )
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "grid": {"left": 40, "right": 10, "bottom": 60},
        "xAxis": {
            "type": "category",
            "data": [r.label for r in area_rows],
            "axisLabel": {"interval": 0, "rotate": 20},
        },
        "yAxis": {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "series": series,
    }


def distribution_chart(question_rows) -> dict:
    """The satisfaction questions' answers as stacked bars of shares, 1 (left) to 5."""
    scale = [r for r in question_rows if r.question.kind == Question.Kind.SCALE]
    labels = [f"{r.question.position}. {r.question.display_text}"[:24] for r in scale]
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {},
        "grid": {"left": 180, "right": 20},
        "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "data": labels, "inverse": True},
        "series": [
            {
                "name": str(score),
                "type": "bar",
                "stack": "scores",
                "itemStyle": {"color": SCALE_COLOURS[score - 1]},
                "data": [_pct(r.rows[score - 1][3]) for r in scale],
            }
            for score in SCALE
        ],
    }


def office_chart(stats) -> dict:
    """Each office's return rate against the target, and its index now and before."""
    names = [o.office.name for o in stats.included] + [p.office.name for p in stats.excluded]
    parts = [o.part for o in stats.included] + stats.excluded
    series = [
        {
            "name": gettext("Return rate"),
            "type": "bar",
            "data": [_pct(p.return_rate) for p in parts],
            "markLine": {
                "symbol": "none",
                "data": [{"yAxis": _pct(stats.campaign.target_rate)}],
                "label": {"formatter": gettext("target")},
            },
        },
        {
            "name": gettext("Satisfaction index"),
            "type": "bar",
            "data": [_pct(o.figures.index.index) for o in stats.included],
        },
    ]
    if stats.previous_campaign:
        series.append(
            {
                "name": stats.previous_campaign.title,
                "type": "bar",
                "data": [
                    _pct(o.previous.index.index) if o.previous else None for o in stats.included
                ],
            }
        )
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "grid": {"left": 40, "right": 10, "bottom": 60},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 20}},
        "yAxis": {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "series": series,
    }


# --- pages ---------------------------------------------------------------------------------------


def _refused(request, campaign, err: DomainError, *, office=None):
    """The figures are not released (409) or not the user's (403, 404): the page says why."""
    if err.status == 404:
        raise Http404
    if err.status == 403:
        raise PermissionDenied(str(err.message))
    return render(
        request,
        "surveys/analysis/refused.html",
        {"campaign": campaign, "office": office, "message": err.message},
        status=err.status,
    )


@login_required
@require_GET
def analysis_company(request, pk):
    campaign = get_or_404(selectors.campaign_get, request.user, pk)
    if not getattr(request.user, "is_company_role", False) and request.user.office_id:
        return redirect("console:survey_analysis_office", pk, request.user.office_id)
    now = timezone.now()
    try:
        stats = services.company_statistics(actor=request.user, campaign=campaign, now=now)
    except DomainError as err:
        return _refused(request, campaign, err)
    topics = campaign_topics(campaign, office_ids={o.part.office_id for o in stats.included})
    clocks = selectors.analysis_clocks_of(
        scope_for(CampaignOffice.objects.filter(campaign=campaign), request.user), now=now
    )
    area_rows = stats.area_rows()
    question_rows = stats.question_rows()
    return render(
        request,
        "surveys/analysis/company.html",
        {
            "campaign": campaign,
            "stats": stats,
            "area_rows": area_rows,
            "question_rows": question_rows,
            "topics": topics,
            "clocks": clocks,
            "area_chart": area_chart(
                area_rows, stats.previous_campaign.title if stats.previous_campaign else ""
            ),
            "distribution_chart": distribution_chart(question_rows),
            "office_chart": office_chart(stats),
        },
    )


def _office_page(request, campaign, office_pk, *, form=None, status=200):
    now = timezone.now()
    part = get_or_404(
        services.office_part, actor=request.user, campaign=campaign, office_id=office_pk
    )
    try:
        stats = services.office_statistics(
            actor=request.user, campaign=campaign, office_id=office_pk, now=now
        )
    except DomainError as err:
        return _refused(request, campaign, err, office=part.office)
    [office] = stats.included
    part = office.part
    can_analyse = allowed(request.user, "survey.analyse", part)
    if form is None and can_analyse:
        form = AnalysisForm(initial={"analysis": part.analysis, "version": part.version})
    area_rows = stats.area_rows(office.figures, office.previous)
    question_rows = stats.question_rows(office.figures)
    [clock] = selectors.analysis_clocks_of(CampaignOffice.objects.filter(pk=part.pk), now=now)
    return render(
        request,
        "surveys/analysis/office.html",
        {
            "campaign": campaign,
            "stats": stats,
            "office": office,
            "part": part,
            "clock": clock,
            "area_rows": area_rows,
            "question_rows": question_rows,
            "topics": campaign_topics(campaign, office_id=part.office_id),
            "form": form,
            "can_analyse": can_analyse,
            "history": part.history.select_related("history_user").order_by("-history_date")[
                :HISTORY_LIMIT
            ],
            "area_chart": area_chart(
                area_rows, stats.previous_campaign.title if stats.previous_campaign else ""
            ),
            "distribution_chart": distribution_chart(question_rows),
        },
        status=status,
    )


@login_required
@require_GET
def analysis_office(request, pk, office_pk):
    campaign = get_or_404(selectors.campaign_get, request.user, pk)
    return _office_page(request, campaign, office_pk)


@login_required
@require_http_methods(["POST"])
def analysis_record(request, pk, office_pk):
    campaign = get_or_404(selectors.campaign_get, request.user, pk)
    form = AnalysisForm(request.POST)
    if not form.is_valid():
        return _office_page(request, campaign, office_pk, form=form, status=400)
    try:
        services.office_analysis_record(
            actor=request.user,
            campaign=campaign,
            office_id=office_pk,
            analysis=form.cleaned_data["analysis"],
            expected_version=form.cleaned_data.get("version"),
        )
    except DomainError as err:
        if err.status in (403, 404):
            return _refused(request, campaign, err)
        status = show_error(form, err)
        return _office_page(request, campaign, office_pk, form=form, status=status)
    messages.success(request, gettext("The analysis is recorded."))
    return redirect("console:survey_analysis_office", pk, office_pk)


# --- exports -------------------------------------------------------------------------------------


def _released_for_export(request, campaign, office_pk):
    """The figures behind an export, under the same release and scope as the pages."""
    now = timezone.now()
    if office_pk is None:
        return services.company_statistics(actor=request.user, campaign=campaign, now=now), None
    stats = services.office_statistics(
        actor=request.user, campaign=campaign, office_id=office_pk, now=now
    )
    return stats, stats.included[0].part


def _whose(stats, part) -> dict:
    """The answers an export holds: the office's, or the released offices' for the company."""
    if part is not None:
        return {"office_id": part.office_id}
    return {"office_ids": {o.part.office_id for o in stats.included}}


def _filename(campaign, part, ext: str) -> str:
    who = part.office.code if part is not None else "company"
    return f"survey-{campaign.pk}-{who}.{ext}"


@login_required
@require_GET
def analysis_xlsx(request, pk, office_pk=None):
    campaign = get_or_404(selectors.campaign_get, request.user, pk)
    try:
        stats, part = _released_for_export(request, campaign, office_pk)
    except DomainError as err:
        return _refused(request, campaign, err)
    out = exports.answers_xlsx(campaign, **_whose(stats, part))
    return FileResponse(
        out,
        as_attachment=True,
        filename=_filename(campaign, part, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_GET
def analysis_pdf(request, pk, office_pk=None):
    campaign = get_or_404(selectors.campaign_get, request.user, pk)
    try:
        stats, part = _released_for_export(request, campaign, office_pk)
    except DomainError as err:
        return _refused(request, campaign, err)
    if part is None:
        topics = campaign_topics(campaign, office_ids={o.part.office_id for o in stats.included})
    else:
        topics = campaign_topics(campaign, office_id=part.office_id)
    response = HttpResponse(exports.report_pdf(stats, topics, part=part), "application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(campaign, part, "pdf")}"'
    return response
