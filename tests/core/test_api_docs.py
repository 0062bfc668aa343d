"""The API's documentation works on a closed network and its schema is clean."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_api_docs_page_uses_local_assets(client, agent):
    client.force_login(agent)
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn." not in page and "jsdelivr" not in page


def test_openapi_schema_generates_without_warnings():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=out)
    assert "openapi: 3" in out.getvalue()


@pytest.mark.django_db
def test_schema_and_docs_need_a_signed_in_staff_member(client):
    # Not signed in: 401, with WWW-Authenticate naming the staff token (docs/api.md).
    assert client.get("/api/schema/").status_code == 401
    assert client.get("/api/docs/").status_code == 401
