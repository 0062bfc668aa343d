"""Placeholder: the console pages are being written."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


activity_list = activity_create = activity_detail = activity_edit = _todo
activity_publish = activity_cancel = activity_finish = activity_register = _todo
activity_checkin = registration_act = _todo
