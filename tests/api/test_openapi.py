"""The OpenAPI description, exercised by schemathesis against a live server: whatever
parameters it generates (valid and invalid), no 5xx, and every response valid against the
description (status, content type, body schema)."""

import io
import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Small enough to keep the run around half a minute on a shared 2-core machine.
EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 15}


def test_openapi_description_names_the_endpoints_and_parameters(client, db):
    description = client.get("/api/v1/openapi.json").json()
    assert description["openapi"].startswith("3.")
    assert {"/api/v1/speeches", "/api/v1/roundtables", "/api/v1/people"} <= set(description["paths"])
    names = {p["name"] for p in description["paths"]["/api/v1/speeches"]["get"]["parameters"]}
    assert names == {
        "any",
        "speaker",
        "speakerPosition",
        "speakerRole",
        "forum",
        "roundtable",
        "from",
        "until",
        "maximumRecords",
        "startRecord",
        "format",
    }
    responses = description["paths"]["/api/v1/speeches"]["get"]["responses"]
    assert {"200", "304", "400", "429"} <= set(responses)
    assert "text/csv" in responses["200"]["content"]
    json.dumps(description)  # plain JSON


@pytest.fixture
def served_sample(live_server, transactional_db, settings):
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    return live_server.url


@pytest.mark.parametrize("mode", list(EXAMPLES))
def test_schemathesis_finds_no_server_error_and_no_response_off_the_schema(served_sample, mode):
    schema = schemathesis.openapi.from_url(f"{served_sample}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.path for operation in operations} >= {"/api/v1/speeches", "/api/v1/roundtables", "/api/v1/people"}
    seen = []
    for operation in operations:

        @hypothesis_settings(
            max_examples=EXAMPLES[mode],
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            response = case.call_and_validate(base_url=served_sample, checks=CHECKS)
            seen.append(response.status_code)

        run()
    assert seen, "schemathesis sent no request"
    if mode is GenerationMode.POSITIVE:
        assert 200 in seen
    else:
        assert 400 in seen
