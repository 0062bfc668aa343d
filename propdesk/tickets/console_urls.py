from django.urls import path

from . import views

urlpatterns = [
    path("requests/", views.ticket_list, name="ticket_list"),
]
