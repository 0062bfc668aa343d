"""What every HTML view shares: one record through its selector, or the page's 404."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from .errors import NotFound


def get_or_404(selector, *args, **kwargs):
    """``selector(*args, **kwargs)``, whose office scoping decides what there is: another
    office's record, like a missing one, is not found, and the page answers 404."""
    try:
        return selector(*args, **kwargs)
    except NotFound:
        raise Http404 from None


API_PREFIX = "/api/"


def page_not_found(request, exception=None):
    """The site's 404 (``handler404``): under the API, the API's JSON error shape, so a client
    asking for ``/api/v1/tickets/abc/`` or a path that does not exist reads JSON like every
    other error; elsewhere Django's page."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"code": "not_found", "detail": str(_("Not found."))},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    """The site's 500 (``handler500``): JSON under the API, Django's page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"code": "server_error", "detail": str(_("A server error occurred."))},
            status=500,
            json_dumps_params={"ensure_ascii": False},
        )
    return defaults.server_error(request)
