"""The JSON API under /api/v1/: one django-ninja router per app, mounted here, with its OpenAPI schema.

Two ways in: a personal access token (`Authorization: Bearer rcp_…`, never read from a cookie), or the
browser's signed-in session, which keeps Django's CSRF protection. The contract every router shares
(errors, pagination, validation, scopes) is `reciprocity.lib.api`; this module only builds and mounts.
"""

import copy
from typing import Any

from django.utils import translation
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from reciprocity.audit.api import router as audit
from reciprocity.clients.api import router as clients
from reciprocity.insights.api import router as insights
from reciprocity.lib.api import answer_errors
from reciprocity.measures.api import router as measures
from reciprocity.practice.tokens import TokenAuth
from reciprocity.recall.api import router as recall
from reciprocity.repertoire.api import router as repertoire
from reciprocity.therapy.api import router as therapy


class ReciprocityAPI(NinjaAPI):
    """The API, its OpenAPI schema built once per path prefix and language: building it walks every operation
    and model (about 0.3 s), and it changes only with the code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[tuple[str, str | None], OpenAPISchema] = {}

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, translation.get_language())
        if key not in self._schemas:
            self._schemas[key] = super().get_openapi_schema(path_prefix=path_prefix)
        return copy.deepcopy(self._schemas[key])  # a caller may change its copy


api = ReciprocityAPI(
    title="Reciprocity API",
    version="1",
    description="Clients, sessions, reflections, questionnaires and the flywheel of the signed-in therapist.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)
answer_errors(api)

api.add_router("/clients", clients, tags=["clients"])
api.add_router("/", therapy, tags=["sessions and reflections"])
api.add_router("/measures", measures, tags=["questionnaires"])
api.add_router("/flywheel", insights, tags=["flywheel"])
api.add_router("/repertoire", repertoire, tags=["repertoire"])
api.add_router("/search", recall, tags=["search"])
api.add_router("/audit", audit, tags=["access to your data"])
