"""Schemathesis against the app's own OpenAPI schema: no 5xx, and every response conforms to the schema.

Bounded and seeded so it is the same run every time and fits in `make test`.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from reciprocity.config.wsgi import application
from reciprocity.practice.tokens import create_token

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    """Calls go straight into the WSGI app, so do what Django's test client does: do not let the request's end
    close the database connection that holds the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(ana_reflection):
    _, raw = create_token(user=ana_reflection.author, name="schemathesis", scope="write")
    return raw


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25, derandomize=True, deadline=None, phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)  # fmt: skip
def test_the_api_keeps_its_own_schema(case, token):
    # Input the schema allows may still break a rule the schema cannot express (a code that is a name, a
    # date out of range): refusing it with a documented 422 is correct, so only that check is left out.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
