"""The surveys waiting for the customer's household's answer, for the portal's front page and
inbox (``portal.todos``, registered from ``SurveysConfig.ready``)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.portal.todos import Todo

from .lifecycle import collecting
from .selectors.answers import participations_of_customer
from .services.campaigns import answer_link

# The messages that ask the household to answer (the invitation and the reminders).
TODO_EVENTS = ("survey_invited", "survey_reminded")


def customer_todos(customer, *, now) -> list[Todo]:
    """The running campaigns the customer's households have not answered yet, in one query."""
    todos = []
    waiting = participations_of_customer(customer).filter(
        campaign__deadline__gt=now, response__isnull=True
    )
    for participant in waiting:
        campaign = participant.campaign
        if not collecting(campaign, now):
            continue
        page = reverse("portal:survey", args=[participant.pk])
        todos.append(
            Todo(
                kind="survey",
                title=campaign.title,
                prompt=str(_("A few minutes, until %(deadline)s"))
                % {"deadline": f"{timezone.localtime(campaign.deadline):%Y-%m-%d}"},
                url=page,
                action=str(_("Answer")),
                since=campaign.launched_at or campaign.created_at,
                events=TODO_EVENTS,
                links=frozenset({page, answer_link(participant)}),
            )
        )
    return todos
