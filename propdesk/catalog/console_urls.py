from django.urls import path

from . import views

urlpatterns = [
    path("catalogue/", views.catalog, name="catalog"),
]
