"""With ``PROPDESK_TOTP_REQUIRED`` on, a company role signed in without an authenticator app
is sent to set one up before anything else (the API answers 403)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import signin

# Where such a user may still go: setting the app up, signing out, the language, static files.
OPEN = ("/static/", "/i18n/", "/accounts/")


class TotpEnrolmentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PROPDESK_TOTP_REQUIRED and self._held(request):
            if request.path.startswith("/api/"):
                body = {"code": "otp_enrolment_required", "detail": str(signin.ENROL_FIRST)}
                return JsonResponse(body, status=403)
            return redirect("console:totp")
        return self.get_response(request)

    @staticmethod
    def _held(request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if request.path == reverse("console:totp") or request.path.startswith(OPEN):
            return False
        return signin.must_enrol(user)
