"""Console pages of the Service Guide: an office's draft, its editions, their changes, the PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from propdesk.core.errors import DomainError
from propdesk.core.pagination import CappedPaginator
from propdesk.core.views import get_or_404

from . import pdf, selectors, services

PAGE_SIZE = 50


def pdf_response(edition, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf.render(edition), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{pdf.filename(edition)}"'
    return response


@login_required
@require_GET
def guide_offices(request):
    """Office roles go straight to their office's guide; company roles choose an office."""
    offices = list(selectors.offices_for(request.user))
    if len(offices) == 1:
        return redirect("console:guide_office", office_id=offices[0].pk)
    latest = {}
    for edition in selectors.latest_editions([o.pk for o in offices]):
        latest[edition.office_id] = edition
    rows = [(office, latest.get(office.pk)) for office in offices]
    return render(request, "guide/console_offices.html", {"rows": rows})


@login_required
@require_GET
def guide_office(request, office_id):
    """The office's guide: the draft as it would be published now, what that would change, and
    the editions so far."""
    office = get_or_404(selectors.office_get, request.user, office_id)
    draft = selectors.draft_compile(office)
    page = CappedPaginator(selectors.editions_of(office.pk), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "guide/console_office.html",
        {
            "office": office,
            "draft": draft,
            "sections": selectors.sections(draft.draft_entries),
            "diff": selectors.draft_diff(draft),
            "page": page,
            "can_publish": services.can_publish(request.user, office),
        },
    )


@login_required
@require_GET
def guide_draft_pdf(request, office_id):
    office = get_or_404(selectors.office_get, request.user, office_id)
    return pdf_response(selectors.draft_compile(office))


@login_required
@require_http_methods(["GET", "POST"])
def guide_publish(request, office_id):
    """GET asks for confirmation, showing what will change; POST publishes."""
    office = get_or_404(selectors.office_get, request.user, office_id)
    error, status = None, 200
    if request.method == "POST":
        try:
            edition = services.edition_publish(actor=request.user, office=office)
        except DomainError as err:
            error, status = err.message, err.status
        else:
            messages.success(
                request,
                _("Edition %(number)s of the Service Guide is published.")
                % {"number": edition.number},
            )
            return redirect("console:guide_edition", office_id=office.pk, number=edition.number)
    draft = selectors.draft_compile(office)
    return render(
        request,
        "guide/console_publish.html",
        {
            "office": office,
            "diff": selectors.draft_diff(draft),
            "count": len(draft.draft_entries),
            "error": error,
            "can_publish": services.can_publish(request.user, office),
        },
        status=status,
    )


@login_required
@require_GET
def guide_edition(request, office_id, number):
    office = get_or_404(selectors.office_get, request.user, office_id)
    edition = get_or_404(selectors.edition_get, office.pk, number)
    entries = selectors.entries_of(edition)
    return render(
        request,
        "guide/console_edition.html",
        {
            "office": office,
            "edition": edition,
            "sections": selectors.sections(entries),
            "diff": selectors.diff(
                selectors.edition_previous(edition), edition, newer_entries=entries
            ),
        },
    )


@login_required
@require_GET
def guide_edition_pdf(request, office_id, number):
    office = get_or_404(selectors.office_get, request.user, office_id)
    return pdf_response(get_or_404(selectors.edition_get, office.pk, number))
