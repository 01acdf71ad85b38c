"""Speaking instead of typing, in a real browser at phone size: Chromium's fake microphone plays a recorded
WAV, the page records it, sends it to this server only, and the words land in the text box for editing."""

from collections.abc import Iterator

import pytest

from reciprocity.voice.tests.recordings import FIXTURE, HEARD
from tests.browser.conftest import ARGS, CHROMIUM, PASSWORD, PHONE

# The browser's recording path; the endpoint's database reads run on both in reciprocity/voice/tests.
pytestmark = pytest.mark.engine_independent


@pytest.fixture(scope="module")
def chromium_with_microphone(chromium) -> Iterator:
    """A Chromium of its own whose microphone is the recording (permission granted without a prompt),
    launched by the run's one Playwright: a second sync Playwright in the same process is refused."""
    microphone = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={FIXTURE}",
    ]
    browser = chromium.browser_type.launch(executable_path=CHROMIUM, args=[*ARGS, *microphone])
    yield browser
    browser.close()


def test_a_spoken_reflection_becomes_text_in_the_box_at_phone_size(chromium_with_microphone, demo_site, screenshot):
    context = chromium_with_microphone.new_context(viewport=PHONE, timezone_id="Europe/London", locale="en-GB")
    outside: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(demo_site + "/")
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    calls: list[str] = []
    page.on("request", lambda request: calls.append(f"{request.method} {request.url}"))
    page.goto(demo_site + "/accounts/login/")
    page.fill("#id_username", "robin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(demo_site + "/")
    page.goto(demo_site + page.locator("a[href^='/reflections/new/?session=']").first.get_attribute("href"))

    assert page.get_by_text("goes only to this server").is_visible()
    page.fill("#id_gave_me", "Before:")
    button = page.locator("#id_gave_me + .voice button")
    assert button.inner_text() == "Speak instead of typing"
    box = button.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"]
    button.click()
    status = page.locator("#id_gave_me_voice_status")
    status.filter(has_text="Recording").wait_for(timeout=5000)
    assert "left" in status.inner_text()  # the countdown is visible
    page.locator("#id_gave_me").scroll_into_view_if_needed()
    screenshot(page, "voice-recording-phone")
    page.wait_for_timeout(5500)  # the recording lasts 5 s
    button.click()  # Stop
    status.filter(has_text="Check and edit").wait_for(timeout=30000)

    screenshot(page, "voice-transcribed-phone")
    text = page.input_value("#id_gave_me")
    assert text.startswith("Before: ") and HEARD in text, text
    assert [c for c in calls if "/voice/" in c] == [c for c in calls if c.startswith("POST") and "/voice/" in c]
    assert sum("/voice/transcribe/" in c for c in calls) == 1
    assert page.evaluate("document.activeElement.id") == "id_gave_me"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    context.close()
    assert outside == [], f"requests left the machine: {outside}"
