"""Language: Chinese unless the person chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, which would show an agent on an
English-language browser an English console. Here the choice is the person's: the language they
picked in the menu (the language cookie), else their own staff setting, else the company default
(settings.LANGUAGE_CODE, zh-hans). The API alone negotiates with Accept-Language.
"""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.html import escape


def chosen_language(request) -> str:
    if request.path.startswith("/api/"):
        # API clients negotiate in HTTP, as integrators expect (Accept-Language).
        return translation.get_language_from_request(request)
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie and translation.check_for_language(cookie):
        return translation.get_supported_language_variant(cookie)
    user = getattr(request, "user", None)
    own = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
    if own and translation.check_for_language(own):
        return translation.get_supported_language_variant(own)
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class OutOfRangeMiddleware:
    """A console page given a number or date past what the database holds answers 400, not 500.

    The API's exception handler does the same for the API (``core.api.OUT_OF_RANGE``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from .api import OUT_OF_RANGE, out_of_range_body

        if isinstance(exception, OUT_OF_RANGE):
            return HttpResponseBadRequest(escape(out_of_range_body()["detail"]))
        return None


class PrivateResponseMiddleware:
    """Nothing said to a signed-in person is kept by a browser's or a proxy's cache.

    Console pages, portal pages and API answers for someone signed in carry customers' names,
    addresses and phone numbers: every response to a request from a signed-in member of staff
    (session or token), from a customer signed in to the portal (session) or with a bearer token
    gets ``Cache-Control: no-store, private``, whatever the view. Static files (answered by
    WhiteNoise before this) and pages for nobody in particular keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _signed_in(request):
            patch_cache_control(response, no_store=True, private=True)
        return response


def _signed_in(request) -> bool:
    # Checked after the view, so a user the API authenticated by token is on the request too.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    if request.META.get("HTTP_AUTHORIZATION"):
        return True
    # A customer's portal sign-in lives in the session, as does anything else tied to one
    # browser (a sign-in half-way): a session with anything in it is someone's.
    session = getattr(request, "session", None)
    return session is not None and not session.is_empty()
