"""What every HTML view shares: one record through its selector, or the page's 404."""

from django.http import Http404

from .errors import NotFound


def get_or_404(selector, *args, **kwargs):
    """``selector(*args, **kwargs)``, whose office scoping decides what there is: another
    office's record, like a missing one, is not found, and the page answers 404."""
    try:
        return selector(*args, **kwargs)
    except NotFound:
        raise Http404 from None
