"""The public Service Guide: any office's published editions, without signing in.

The guide is handed out on paper to every household anyway; the page is its web edition.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from propdesk.core.errors import NotFound

from . import selectors
from .views import pdf_response


def _edition(office_key, number=None):
    try:
        office = selectors.office_public(office_key)
        if number is None:
            edition = selectors.latest_edition(office.pk)
            if edition is None:
                raise NotFound(field="edition")
            return edition
        return selectors.edition_get(office.pk, number)
    except NotFound:
        raise Http404 from None


@require_GET
def guide(request, office, number=None):
    edition = _edition(office, number)
    entries = selectors.entries_of(edition)
    return render(
        request,
        "guide/public_guide.html",
        {
            "edition": edition,
            "sections": selectors.sections(entries),
            "diff": selectors.diff(
                selectors.edition_previous(edition), edition, newer_entries=entries
            ),
            "editions": selectors.editions_of(edition.office_id)[:50],
        },
    )


@require_GET
def guide_pdf(request, office, number=None):
    return pdf_response(_edition(office, number))
