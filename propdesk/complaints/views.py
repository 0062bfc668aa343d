"""Placeholder: the console pages are being written."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


complaint_list = complaint_detail = _todo
