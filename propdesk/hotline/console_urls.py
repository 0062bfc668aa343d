from django.urls import path

from . import views

urlpatterns = [
    path("hotline/", views.hotline, name="hotline"),
    path("roster/", views.roster, name="roster"),
]
