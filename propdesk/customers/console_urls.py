from django.urls import path

from . import views

# The customer page and the household page, and what is done on the customer page, are in
# propdesk/history/console_urls.py.
urlpatterns = [
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/new/", views.customer_new, name="customer_new"),
    path("customers/import/", views.customer_import, name="customer_import"),
    path(
        "customers/import/template.xlsx",
        views.customer_import_template,
        name="customer_import_template",
    ),
    path(
        "customers/import/<str:token>/", views.customer_import_status, name="customer_import_status"
    ),
    path(
        "customers/import/<str:token>/confirm/",
        views.customer_import_confirm,
        name="customer_import_confirm",
    ),
    path(
        "customers/import/<str:token>/check/",
        views.customer_import_check,
        name="customer_import_check",
    ),
    path("customers/<int:pk>/edit/", views.customer_edit, name="customer_edit"),
]
