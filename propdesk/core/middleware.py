"""Language: Chinese unless the person chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, which would show an agent on an
English-language browser an English console. Here the choice is the person's: the language they
picked in the menu (the language cookie), else their own staff setting, else the company default
(settings.LANGUAGE_CODE, zh-hans). The API alone negotiates with Accept-Language.
"""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.cache import patch_vary_headers
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
