"""An address that does not exist gets the documented answer in every mode the README offers:
the API's JSON error under /api/, the service's own page elsewhere — never Django's technical
page, which lists every URL pattern of the service (the embedded mode runs with DEBUG on)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[True, False], ids=["embedded (DEBUG on)", "production (DEBUG off)"])
def client(request, settings):
    settings.DEBUG = request.param
    return Client(raise_request_exception=False)


def test_an_unknown_api_address_is_the_apis_json_not_found(client):
    answer = client.get("/api/v1/no-such-thing/")

    assert answer.status_code == 404
    assert answer.json() == {"code": "not_found", "detail": "Not found.", "fields": {}}


@pytest.mark.parametrize("path", ["/no-such-page/", "/needs/999999/", "/matches/abc/"])
def test_an_unknown_page_is_the_services_own_page(client, path):
    answer = client.get(path)

    assert answer.status_code == 404
    html = answer.content.decode()
    assert "<title>Page not found – " in html
    assert "URLconf" not in html and "urlpatterns" not in html.lower()


def test_a_missing_slash_is_still_added(client):
    answer = client.get("/needs")

    assert answer.status_code == 301 and answer["Location"] == "/needs/"
