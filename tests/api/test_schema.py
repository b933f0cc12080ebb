"""The OpenAPI document is complete and valid, and the docs page serves it."""

import json

import pytest
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_generates_valid_without_any_warning(tmp_path):
    # --fail-on-warn turns every warning (an unguessable field, an enum clash) into a failure.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


def test_schema_is_valid_openapi_by_an_independent_validator(schema):
    """openapi-spec-validator checks what jsonschema alone does not (e.g. a default that its
    own minLength forbids); clients generated from the document rely on it."""
    from openapi_spec_validator import validate

    validate(json.loads(json.dumps(schema, cls=DjangoJSONEncoder)))


def test_every_endpoint_is_documented(schema):
    paths = set(schema["paths"])
    for expected in [
        "/api/v1/auth/token/",
        "/api/v1/auth/token/revoke/",
        "/api/v1/me/",
        "/api/v1/organisations/",
        "/api/v1/organisations/{id}/verify/",
        "/api/v1/organisations/{id}/reject/",
        "/api/v1/wards/",
        "/api/v1/wards/{gss_code}/",
        "/api/v1/skills/",
        "/api/v1/skill-categories/",
        "/api/v1/themes/",
        "/api/v1/offers/",
        "/api/v1/offers/{id}/publish/",
        "/api/v1/offers/{id}/close/",
        "/api/v1/needs/",
        "/api/v1/needs/{id}/publish/",
        "/api/v1/needs/{id}/close/",
        "/api/v1/matches/",
        "/api/v1/matches/{id}/accept/",
        "/api/v1/matches/{id}/decline/",
        "/api/v1/matches/{id}/cancel/",
        "/api/v1/matches/{id}/events/",
    ]:
        assert expected in paths


def test_filters_are_documented_as_query_parameters(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/needs/"]["get"]["parameters"]}

    assert parameters >= {
        "ward", "skill", "category", "theme", "status", "remote", "organisation",
        "needed_by_after", "needed_by_before", "search", "ordering", "page", "page_size",
    }  # fmt: skip


def test_errors_share_one_documented_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"code", "detail", "fields"}
    accept = schema["paths"]["/api/v1/matches/{id}/accept/"]["post"]["responses"]
    for status in ("400", "401", "403", "404", "409"):
        assert accept[status]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


def test_enums_are_documented(schema):
    statuses = schema["components"]["schemas"]["ListingStatusEnum"]["enum"]
    assert statuses == ["draft", "open", "fully_matched", "closed", "expired"]


def test_schema_and_docs_are_served(api):
    assert api.get("/api/schema/").status_code == 200
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
