from django.urls import path

from . import views

urlpatterns = [
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/contacts/", views.customer_contacts, name="customer_contacts"),
    path(
        "customers/<int:pk>/contacts/new/",
        views.customer_contact_new,
        name="customer_contact_new",
    ),
    path("customers/<int:pk>/phones/", views.customer_phone_add, name="customer_phone_add"),
    path(
        "customers/<int:pk>/phones/<int:phone_pk>/remove/",
        views.customer_phone_remove,
        name="customer_phone_remove",
    ),
    path(
        "customers/<int:pk>/households/",
        views.customer_household_link,
        name="customer_household_link",
    ),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/contacts/", views.household_contacts, name="household_contacts"),
]
