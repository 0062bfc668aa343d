from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    """The online forum (M21): customers post and review in public; staff route each post, answer
    officially and are measured on how fast; moderation keeps it civil."""

    name = "propdesk.forum"
    label = "forum"
    verbose_name = _("Forum")

    def ready(self):
        from propdesk.core.measures import register_measures
        from propdesk.core.media import register_media_owner
        from propdesk.core.permissions import register_actions
        from propdesk.tickets import events

        from . import measures, permissions
        from .models import PostPhoto

        register_actions(permissions.ACTIONS)
        register_measures(measures.MEASURES)  # on the compliance board (M25)
        register_media_owner(PostPhoto, "image", "post__office_id")
        # A request made from a post names it on its timeline, and the post's later official
        # replies are there too: the request and the post share their history.
        events.register_kinds(
            {
                "forum_post": _("Raised in the online forum"),
                "forum_answer": _("Official reply in the online forum"),
            },
            customer_visible={"forum_post", "forum_answer"},
            customer_notes={"forum_post", "forum_answer"},
        )
