"""Personal data is never kept by a browser's or a proxy's cache: every answer to someone signed
in says ``Cache-Control: no-store, private`` (``core.middleware.PrivateResponseMiddleware``);
static files and pages for nobody in particular keep their caching."""

import pytest
from django.urls import reverse
from django.utils.cache import get_max_age
from rest_framework.test import APIClient


def _private(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_console_pages_for_staff_are_not_stored(client, agent, customer):
    client.force_login(agent)
    for url in (
        reverse("console:customer_list"),
        reverse("console:customer_detail", args=[customer.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and _private(response), url


def test_a_refusal_to_someone_signed_in_is_not_stored_either(client, agent, other_customer):
    client.force_login(agent)
    response = client.get(reverse("console:customer_detail", args=[other_customer.pk]))
    assert response.status_code == 404 and _private(response)


def test_the_staff_api_is_not_stored(agent, customer):
    api = APIClient()
    api.force_authenticate(agent)
    for url in ("/api/v1/customers/", f"/api/v1/customers/{customer.pk}/"):
        response = api.get(url)
        assert response.status_code == 200 and _private(response), url


def test_the_portal_is_not_stored(portal):
    page = portal.get(reverse("portal:home"))
    assert page.status_code == 200 and _private(page)


def test_the_customer_api_is_not_stored(customer_api):
    answer = customer_api.get("/api/v1/portal/me/")
    assert answer.status_code == 200 and _private(answer)


@pytest.mark.django_db
def test_pages_for_nobody_in_particular_keep_their_caching(client):
    sign_in = client.get(reverse("portal:login"))
    assert sign_in.status_code == 200 and not _private(sign_in)
    static = client.get("/static/vendor/htmx/htmx.min.js")
    assert static.status_code == 200 and not _private(static)
    assert get_max_age(static)  # WhiteNoise's own caching is left alone
