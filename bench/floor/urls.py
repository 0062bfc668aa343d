from django.urls import path

from .views import RequestCreate

urlpatterns = [path("api/v1/tickets/", RequestCreate.as_view())]
