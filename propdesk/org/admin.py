"""The company, its offices, departments and staff: reference data, edited here.

No service rules over these (the company's complaint line is set here, M17), so they stay
editable. Everything with a lifecycle is read-only in its own app's admin: changes go through
the services, so that the timeline, the version and the rules hold.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from propdesk.core.admin import ServiceOwned
from propdesk.core.errors import DomainError

from . import services, signin
from .models import Company, Department, Office, SecurityEvent, StaffToken, User


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "complaint_line"]


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "company", "address"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "office", "company"]
    list_filter = ["kind", "office"]


@admin.register(User)
class StaffAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "display_name", "role", "office", "department", "is_active"]
    list_filter = ["role", "office", "is_active"]
    list_select_related = ["office", "department"]
    search_fields = ["username", "first_name", "last_name", "phone"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Role and office"), {"fields": ["role", "office", "department", "phone", "language"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (_("Role and office"), {"fields": ["role", "office", "department"]}),
    ]
    actions = ["unlock_sign_in", "revoke_tokens", "remove_authenticator"]

    def _each(self, request, queryset, service, done):
        """Run a sign-in service on each chosen user; its refusal (the role may not) is shown."""
        ip = signin.client_ip(request)
        try:
            for user in queryset:
                service(actor=request.user, user=user, ip=ip)
        except DomainError as err:
            self.message_user(request, err.message, messages.ERROR)
            return
        self.message_user(request, done(queryset.count()), messages.SUCCESS)

    @admin.action(description=_("Unlock sign-in (clear wrong tries)"))
    def unlock_sign_in(self, request, queryset):
        def unlock(*, actor, user, ip):
            services.staff_unlock(actor=actor, username=user.username, ip=ip)

        self._each(
            request,
            queryset,
            unlock,
            lambda n: ngettext("%(n)d sign-in unlocked.", "%(n)d sign-ins unlocked.", n) % {"n": n},
        )

    @admin.action(description=_("Revoke API tokens"))
    def revoke_tokens(self, request, queryset):
        self._each(
            request,
            queryset,
            services.staff_tokens_revoke,
            lambda n: (
                ngettext(
                    "The API tokens of %(n)d user were revoked.",
                    "The API tokens of %(n)d users were revoked.",
                    n,
                )
                % {"n": n}
            ),
        )

    @admin.action(description=_("Remove authenticator app (lost phone)"))
    def remove_authenticator(self, request, queryset):
        self._each(
            request,
            queryset,
            services.totp_remove,
            lambda n: (
                ngettext(
                    "The authenticator of %(n)d user was removed.",
                    "The authenticators of %(n)d users were removed.",
                    n,
                )
                % {"n": n}
            ),
        )


@admin.register(StaffToken)
class StaffTokenAdmin(ServiceOwned, admin.ModelAdmin):
    """Who holds API tokens, until when; the key itself is never stored. Revoking is the
    staff list's action ("Revoke API tokens"), which leaves an audit entry."""

    list_display = ["user", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = ["user", "created_at", "last_used_at", "expires_at", "revoked_at"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(ServiceOwned, admin.ModelAdmin):
    """What was done to whose sign-in, by whom, from where: unlocks, revoked tokens,
    authenticators enrolled and removed."""

    list_display = ["at", "kind", "subject", "actor", "ip_address", "note"]
    list_filter = ["kind"]
    list_select_related = ["actor"]
    search_fields = ["subject"]


# django-axes' records, to look at: failed tries (who, when, from where), sign-ins, current
# counts. Deleting a count would unlock without an audit entry, so nothing is changed here:
# unlocking is the staff list's action or the console's "Locked sign-ins".
for model, model_admin in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(
        model, type(model_admin.__name__, (ServiceOwned, model_admin), {"actions": []})
    )


# The authenticator's key is a secret: the admin lists who has one and removes it through the
# staff list's action (audited); it never shows or edits the key.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(ServiceOwned, admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
