from django.urls import path

from . import views

urlpatterns = [
    path("hotline/", views.hotline, name="hotline"),
    path("hotline/pop/", views.hotline_pop, name="hotline_pop"),
    path("hotline/calls/<int:pk>/<slug:step>/", views.call_step, name="call_step"),
    path("hotline/new-caller/", views.new_caller, name="hotline_new_caller"),
    path("hotline/address/<slug:level>/", views.address_picker, name="hotline_address"),
    path("hotline/calls/", views.call_list, name="call_list"),
    path("roster/", views.roster, name="roster"),
    path("roster/shifts/<int:pk>/delete/", views.shift_delete, name="shift_delete"),
]
