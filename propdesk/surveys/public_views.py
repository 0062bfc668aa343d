"""The page a household's one-time link opens: its questionnaire, answered without signing in."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from .services import participant_by_token


@never_cache
def answer(request, token):
    participant = participant_by_token(token)
    return HttpResponse(participant.campaign.title)
