"""The JSON API under /api/v1/: one django-ninja router per app, mounted here, with its OpenAPI schema.

Two ways in: a personal access token (`Authorization: Bearer rcp_…`, never read from a cookie), or the
browser's signed-in session, which keeps Django's CSRF protection. The contract every router shares
(errors, pagination, validation, scopes) is `reciprocity.lib.api`; this module only builds and mounts.
"""

from ninja import NinjaAPI
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

api = NinjaAPI(
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
