from django.contrib import admin

from .models import PortalAccount


@admin.register(PortalAccount)
class PortalAccountAdmin(admin.ModelAdmin):
    list_display = ["phone", "customer", "is_active", "last_login_at", "locked_until"]
    list_filter = ["is_active"]
    search_fields = ["phone", "customer__name"]
    raw_id_fields = ["customer"]
    readonly_fields = ["password", "failed_logins", "last_login_at"]
