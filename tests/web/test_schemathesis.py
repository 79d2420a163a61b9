"""Property-based requests generated from the OpenAPI document: no input makes the server fail."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.web.conftest import DemoDb
from warduty.web import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


MAX_EXAMPLES = 30


def test_no_server_errors(demo_db: DemoDb) -> None:
    application = create_app(demo_db.settings(), rate=1_000_000, burst=1_000_000)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 15
    seen: dict[str, set[int]] = {}

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def check(case: Any) -> None:
            response = case.call()
            assert response.status_code < 500, (case.method, case.path, case.query, response.text[:300])
            if case.path.startswith("/api/v1/admin"):
                assert response.status_code == 401, (case.method, case.path)
            if "application/json" in response.headers.get("content-type", ""):
                assert isinstance(response.json().get("ok"), bool)
            seen.setdefault(f"{case.method} {case.path}", set()).add(response.status_code)

        check()
    assert len(seen) == len(operations)
    assert any(200 in codes for codes in seen.values()) and any(400 in codes for codes in seen.values())
