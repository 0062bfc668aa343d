from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, for looking into a message that did not arrive."""

    list_display = [
        "created_at",
        "event",
        "channel",
        "user",
        "customer",
        "state",
        "attempts",
        "sent_at",
    ]
    list_filter = ["state", "channel", "event"]
    raw_id_fields = ["user", "customer"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    date_hierarchy = "created_at"
