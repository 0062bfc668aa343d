"""Service Guide editions in the admin, to look at only.

An edition is published through ``guide.services.edition_publish`` and is frozen from then on:
it is never typed in, changed or deleted here.
"""

from django.contrib import admin

from propdesk.core.admin import ServiceOwned, ServiceOwnedInline

from .models import GuideEdition, GuideEntry


class GuideEntryInline(ServiceOwnedInline):
    model = GuideEntry


@admin.register(GuideEdition)
class GuideEditionAdmin(ServiceOwned, admin.ModelAdmin):
    list_display = ["office", "number", "published_at", "published_by"]
    list_filter = ["office"]
    list_select_related = ["office", "published_by"]
    inlines = [GuideEntryInline]
