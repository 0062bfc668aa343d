from django.urls import path

from . import views

urlpatterns = [
    path("account/authenticator/", views.totp, name="totp"),
    path("sign-in/locks/", views.signin_locks, name="signin_locks"),
    path("sign-in/unlock/", views.signin_unlock, name="signin_unlock"),
    path("pickers/offices/", views.pick_office, name="pick_office"),
    path("pickers/staff/", views.pick_staff, name="pick_staff"),
]
