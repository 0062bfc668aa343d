from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Half-yearly satisfaction surveys (M16): questionnaires in frozen versions, June and
    November campaigns over every household, answers online and on paper, the return rate per
    office, statistics, and the follow-up of every opinion."""

    name = "propdesk.surveys"
    label = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self):
        from propdesk.core.measures import register_measures
        from propdesk.core.permissions import register_actions
        from propdesk.portal.todos import register_todos

        from . import measures, permissions, portal_todos

        register_actions(permissions.ACTIONS)
        register_measures(measures.MEASURES)  # on the compliance board (M25)
        register_todos(portal_todos.customer_todos, events=portal_todos.TODO_EVENTS)
