"""POST /voice/transcribe/: a recorded WAV in, the words heard out as JSON, the audio gone.

The recording is the request's body (Content-Type audio/wav), read into memory and never written
anywhere: the size is checked from Content-Length before a byte is read, the body is read directly
(a body of that type never reaches Django's upload handlers), and for a multipart body sent by
something else only the in-memory upload handler is installed, before the CSRF check reads it, as
Django's documentation requires. The bytes and samples are dropped as soon as the text is known.

Never during a session: when the recording is for a session (`?session=<id>`) or a reflection on one
(`?reflection=<id>`), the session must have ended. Someone else's session or reflection is a 404.
"""

import logging

from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from reciprocity.lib.forms import parse_id
from reciprocity.therapy.models import Session
from reciprocity.therapy.selectors import get_reflection_for, get_session_for
from reciprocity.voice import engine
from reciprocity.voice.audio import MAX_BYTES, AudioRefused, read_wav, too_big_message
from reciprocity.voice.models import HourlyUse
from reciprocity.voice.timing import has_ended

WAV_TYPES = {"audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"}
PER_HOUR = 30  # transcriptions per therapist per hour; each costs up to half a minute of a core

logger = logging.getLogger(__name__)


@csrf_exempt  # checked by _transcribe once only in-memory upload handlers are in place
@require_POST
def transcribe(request: HttpRequest) -> HttpResponse:
    request.upload_handlers = [MemoryFileUploadHandler(request)]
    if _declared_length(request) > MAX_BYTES:
        return _refuse(413, too_big_message())
    return _transcribe(request)


@csrf_protect
@never_cache
@transaction.non_atomic_requests  # the model runs for seconds; no transaction may stay open around it
def _transcribe(request: HttpRequest) -> HttpResponse:
    if request.content_type not in WAV_TYPES:
        return _refuse(415, gettext("Send the recording as audio/wav."))
    session = _session_of(request)
    if session is not None and not has_ended(session):
        return _refuse(409, gettext("Speaking is possible once the session has ended, never during it."))
    if not _within_rate(request.user.pk):
        return _refuse(
            429, gettext("At most {n} recordings an hour; type for now, or try again later.").format(n=PER_HOUR)
        )
    data = request.read(MAX_BYTES + 1)
    try:
        samples = read_wav(data)
    except AudioRefused as problem:
        return _refuse(problem.status, str(problem))
    finally:
        del data
    try:
        text = engine.transcribe(samples)
    except engine.EngineError:
        logger.exception("A recording could not be transcribed")
        return _refuse(503, gettext("The recording could not be turned into text just now; please type instead."))
    finally:
        del samples
    return JsonResponse({"text": text})


def _session_of(request: HttpRequest) -> Session | None:
    """The session the recording is about, from ?session= or ?reflection=; 404 for anything not the user's."""
    if "reflection" in request.GET:
        return get_reflection_for(request.user, parse_id(request.GET["reflection"]) or 0).session
    if request.GET.get("session"):
        return get_session_for(request.user, parse_id(request.GET["session"]) or 0)
    return None  # a free-standing reflection (supervision, training, a hard day)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return MAX_BYTES + 1


def _within_rate(user_pk: int) -> bool:
    """Count one more recording this clock hour, unless the hour's limit is reached. The hour's row is locked
    while it changes, so two processes (or threads) at once cannot both take the last one."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        HourlyUse.objects.filter(user_id=user_pk, hour__lt=hour).delete()
        use, _ = HourlyUse.objects.select_for_update().get_or_create(user_id=user_pk, hour=hour)
        if use.count >= PER_HOUR:
            return False
        HourlyUse.objects.filter(pk=use.pk).update(count=F("count") + 1)
    return True


def _refuse(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)
