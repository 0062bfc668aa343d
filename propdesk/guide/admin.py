from django.contrib import admin

from .models import GuideEdition, GuideEntry


class GuideEntryInline(admin.TabularInline):
    model = GuideEntry
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False  # a published edition is frozen

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(GuideEdition)
class GuideEditionAdmin(admin.ModelAdmin):
    list_display = ["office", "number", "published_at", "published_by"]
    list_filter = ["office"]
    inlines = [GuideEntryInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False  # editions are published through the service, never typed in
