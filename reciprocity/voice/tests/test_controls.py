"""The reflection form offers "Speak instead of typing" beside its two text boxes, after a session only."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from reciprocity.lib.security import MICROPHONE_PERMISSIONS_POLICY, PERMISSIONS_POLICY
from tests.builders import make_session

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_the_form_after_a_session_offers_speaking_and_says_where_the_audio_goes(as_ana, ana_session):
    response = as_ana.get(f"/reflections/new/?session={ana_session.pk}")
    html = response.content.decode()
    assert 'id="voice-controls"' in html
    assert f'data-url="/voice/transcribe/?session={ana_session.pk}"' in html
    assert 'data-targets="id_gave_me id_carry_home"' in html
    assert "goes only to this server, is turned into text there and deleted at once" in html
    assert "microphone=(self)" in response["Permissions-Policy"]


def test_editing_a_reflection_names_it(as_ana, ana_reflection):
    html = as_ana.get(f"/reflections/{ana_reflection.pk}/edit/").content.decode()
    assert f'data-url="/voice/transcribe/?reflection={ana_reflection.pk}"' in html


def test_during_a_session_the_form_says_to_wait(as_ana, ana_client):
    running = make_session(ana_client, starts_at=timezone.now() - datetime.timedelta(minutes=5), duration_minutes=50)
    response = as_ana.get(f"/reflections/new/?session={running.pk}")
    html = response.content.decode()
    assert 'id="voice-controls"' not in html
    assert "becomes possible once this session has ended" in html


def test_every_other_page_keeps_the_microphone_off(as_ana):
    response = as_ana.get("/")
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "microphone=()" in PERMISSIONS_POLICY and "microphone=(self)" in MICROPHONE_PERMISSIONS_POLICY


def test_switched_off_the_form_has_no_trace_of_it(as_ana, ana_session, settings):
    settings.VOICE_INPUT = False
    response = as_ana.get(f"/reflections/new/?session={ana_session.pk}")
    assert "voice" not in response.content.decode()
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


@pytest.mark.engine_independent
@pytest.mark.parametrize("name", ["voice.js", "voice-worklet.js"])
def test_the_browsers_own_speech_recognition_is_never_used(name):
    # The Web Speech API sends the audio to the browser maker's servers.
    code = (STATIC / "js" / name).read_text()
    code_without_comments = re.sub(r"//[^\n]*", "", code)
    assert not re.search(r"SpeechRecognition|webkitSpeech|speechRecognition", code_without_comments)
    assert "fetch(" not in code or 'credentials: "same-origin"' in code  # only this server is called
