"""Reads shared by the after-service modules."""

from django.db.models import Count, Q

from propdesk.org.models import Role, User

from .models import FollowupCall


def specialists_by_workload():
    """The company's active follow-up specialists, least open calls first (then by id, so that
    ties always break the same way)."""
    return (
        User.objects.filter(role=Role.FOLLOWUP, is_active=True)
        .annotate(
            open_calls=Count(
                "followup_calls", filter=Q(followup_calls__state=FollowupCall.State.OPEN)
            )
        )
        .order_by("open_calls", "pk")
    )
