"""The company, its offices, departments and staff: reference data, edited here.

No service rules over these (the company's complaint line is set here, M17), so they stay
editable. Everything with a lifecycle is read-only in its own app's admin: changes go through
the services, so that the timeline, the version and the rules hold.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Company, Department, Office, User


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
