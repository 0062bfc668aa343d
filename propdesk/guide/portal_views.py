"""The Service Guide in the resident portal: the customer's own office's editions only."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from propdesk.core.views import get_or_404
from propdesk.portal.auth import portal_login_required

from . import selectors
from .views import pdf_response


def _edition(request, number=None):
    office_id = request.portal_account.customer.office_id
    if number is None:
        return selectors.latest_edition(office_id)
    return get_or_404(selectors.edition_get, office_id, number)


@portal_login_required
@require_GET
def guide(request, number=None):
    """The latest edition (or an older one), what changed since the one before, and the list."""
    edition = _edition(request, number)
    context = {"edition": edition, "editions": []}
    if edition is not None:
        entries = selectors.entries_of(edition)
        context.update(
            sections=selectors.sections(entries),
            diff=selectors.diff(
                selectors.edition_previous(edition), edition, newer_entries=entries
            ),
            editions=selectors.editions_of(edition.office_id)[:50],
        )
    return render(request, "guide/portal_guide.html", context)


@portal_login_required
@require_GET
def guide_pdf(request, number):
    return pdf_response(_edition(request, number))
