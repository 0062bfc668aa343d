"""Customers' portal accounts in the admin.

An account is opened by the customer's first sign-in with a code (``portal.services``), which
ties the mobile to the one customer it belongs to; the password, the failed tries, the lock and
the last sign-in are the sign-in services' to write. So only ``is_active`` is changed here (a
deactivated account can no longer sign in, and its app tokens stop at once); an account whose
number went to someone else may be deleted, and the next sign-in opens a new one. A locked
account is unlocked early with the "Unlock sign-in" action (``portal.services.account_unlock``,
audited).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from propdesk.core.errors import DomainError
from propdesk.org.signin import client_ip

from . import services
from .models import PortalAccount


@admin.register(PortalAccount)
class PortalAccountAdmin(admin.ModelAdmin):
    list_display = ["phone", "customer", "is_active", "last_login_at", "locked_until"]
    list_filter = ["is_active"]
    list_select_related = ["customer"]
    search_fields = ["phone", "customer__name"]
    readonly_fields = [
        "customer",
        "phone",
        "password",
        "failed_logins",
        "locked_until",
        "last_login_at",
    ]

    def has_add_permission(self, request):
        return False

    actions = ["unlock_sign_in"]

    @admin.action(description=_("Unlock sign-in (clear wrong tries)"))
    def unlock_sign_in(self, request, queryset):
        try:
            for account in queryset.select_related("customer"):
                services.account_unlock(actor=request.user, account=account, ip=client_ip(request))
        except DomainError as err:
            self.message_user(request, err.message, messages.ERROR)
            return
        n = queryset.count()
        self.message_user(
            request,
            ngettext("%(n)d account unlocked.", "%(n)d accounts unlocked.", n) % {"n": n},
            messages.SUCCESS,
        )
