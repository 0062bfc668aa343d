"""Placeholder: the portal pages are being written."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


activity_list = activity_detail = activity_register = activity_cancel = activity_feedback = _todo
