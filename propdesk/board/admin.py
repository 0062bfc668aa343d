"""The board's targets in the admin, to look at only: they change through
``board.services.target_set`` (checked, versioned, with who and why)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from propdesk.core.admin import ServiceOwned

from .models import Target


@admin.register(Target)
class TargetAdmin(ServiceOwned, SimpleHistoryAdmin):
    list_display = ["measure", "value", "changed_by", "changed_at"]
