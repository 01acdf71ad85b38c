"""Installable and offline, in a real Chromium at phone size (docs/offline.md): the app installs, Today and the
reflection form open without a connection, a reflection written offline waits encrypted on the device and is
sent once when the connection returns, and signing out deletes every draft."""

import time
import uuid

from playwright.sync_api import expect

from tests.browser.conftest import ARGS, CHROMIUM, PASSWORD, PHONE, london_now_minus

DIMENSIONS = ("empathy", "communication", "reflection", "fulfillment", "resilience", "destigmatizing", "boundaries")

# The drafts as IndexedDB holds them, with the bytes of each sealed text read as if they were text.
READ_DRAFTS = """async () => {
  const names = (await indexedDB.databases()).map((d) => d.name);
  if (!names.includes("reciprocity-offline")) return [];
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("reciprocity-offline");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  if (!db.objectStoreNames.contains("drafts")) { db.close(); return []; }
  const drafts = await new Promise((resolve) => {
    const request = db.transaction("drafts").objectStore("drafts").getAll();
    request.onsuccess = () => resolve(request.result);
  });
  const key = await new Promise((resolve) => {
    const request = db.transaction("keys").objectStore("keys").get("drafts");
    request.onsuccess = () => resolve(request.result);
  });
  db.close();
  let exported = "no key";
  if (key) exported = await crypto.subtle.exportKey("raw", key).then(() => "exported", () => "refused");
  return drafts.map((d) => ({
    id: d.id, kind: d.kind, record: JSON.stringify(d), key: exported,
    bytes: new TextDecoder("latin1").decode(d.sealed),
  }));
}"""


def _controlled_by_the_service_worker(visit) -> None:
    page = visit.page
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def _reflections_with(visit, words: str) -> str:
    visit.go(f"/reflections/?text={words}")
    return visit.page.locator("[data-count]").inner_text()


def _write_reflection(page, words: str) -> None:
    for rating, key in zip((3, 2, 4, 4, 1, 0, 2), DIMENSIONS, strict=True):
        page.locator(f"label[for=id_{key}_{rating}]").click()
    page.fill("#id_gave_me", words)
    page.get_by_role("button", name="Save reflection").click()


def test_the_app_installs_at_phone_size(chromium, demo_site, tmp_path):
    # A profile on disk: Chromium never offers to install from an incognito context, which new_context() is.
    context = chromium.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=ARGS, viewport=PHONE, locale="en-GB"
    )
    outside: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(demo_site + "/")
                  else (outside.append(route.request.url), route.abort()))  # fmt: skip
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(demo_site + "/accounts/login/")
        page.fill("#id_username", "alex")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(demo_site + "/")
        page.evaluate("async () => { await navigator.serviceWorker.ready; }")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [] and manifest["url"].endswith("/manifest.webmanifest")
    finally:
        context.close()
    assert outside == []


def test_a_reflection_written_offline_is_kept_encrypted_and_sent_once_when_back_online(phone):
    page, context = phone.page, phone.context
    words = f"Offline-{uuid.uuid4().hex[:10]} the train went under the hill and I still noticed my breath."
    marker = words.split()[0]
    phone.sign_in("sam")
    _controlled_by_the_service_worker(phone)
    phone.go("/")  # Today and the form are kept as they were when last opened online
    phone.go("/reflections/new/")

    context.set_offline(True)
    page.goto(phone.base + "/")  # Today's last state opens offline, and says so
    status = page.locator("#offline-status")
    expect(status).to_contain_text("You are offline")  # written by offline.js once the page has loaded
    page.get_by_role("link", name="Reflect", exact=True).click()
    page.wait_for_url(phone.base + "/reflections/new/")
    _write_reflection(page, words)
    page.wait_for_function("() => document.getElementById('offline-status').textContent.includes('waiting')")
    assert "1 reflection waiting to be sent — it will be sent when you are back online." in status.inner_text()
    assert status.get_attribute("role") == "status"
    assert page.input_value("#id_gave_me") == ""  # the form is emptied for the next one

    drafts = page.evaluate(READ_DRAFTS)
    assert [d["kind"] for d in drafts] == ["reflection"]
    assert marker not in drafts[0]["record"] and marker not in drafts[0]["bytes"]
    assert "breath" not in drafts[0]["bytes"]
    assert drafts[0]["key"] == "refused"  # the key cannot be read out of the browser

    context.set_offline(False)
    page.wait_for_function("() => document.getElementById('offline-status').textContent.trim() === ''", timeout=15000)
    assert "Sent: 1 reflection written offline." in page.locator("#live-status").inner_text()
    assert page.evaluate(READ_DRAFTS) == []
    assert _reflections_with(phone, marker) == "1 reflection."

    # The same draft sent again (a retry after an answer that never arrived) saves nothing new.
    phone.go("/reflections/new/")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    fields = {key: "2" for key in DIMENSIONS} | {"occasion": "other", "gave_me": words}
    fields |= {"submission_id": drafts[0]["id"], "csrfmiddlewaretoken": token}
    again = page.request.post(phone.base + "/reflections/new/", form=fields, headers={"X-CSRFToken": token})
    assert again.ok
    assert _reflections_with(phone, marker) == "1 reflection."


def test_a_session_logged_offline_is_sent_when_back_online(phone):
    page, context = phone.page, phone.context
    phone.sign_in("robin")
    _controlled_by_the_service_worker(phone)
    phone.go("/sessions/")
    before = int(page.locator("[data-count]").inner_text().split()[0])
    phone.go("/sessions/new/")

    context.set_offline(True)
    page.reload()  # the kept copy of the form
    page.select_option("#id_client", index=1)
    page.fill("#id_starts_at", london_now_minus(3))
    page.get_by_role("button", name="Save session").click()
    page.wait_for_function("() => document.getElementById('offline-status').textContent.includes('waiting')")
    assert "1 session waiting to be sent" in page.locator("#offline-status").inner_text()

    context.set_offline(False)
    page.wait_for_function("() => document.getElementById('offline-status').textContent.trim() === ''", timeout=15000)
    phone.go("/sessions/")
    assert int(page.locator("[data-count]").inner_text().split()[0]) == before + 1


def test_a_draft_the_server_refuses_waits_to_be_fixed_and_signing_out_deletes_it(phone):
    page, context = phone.page, phone.context
    phone.sign_in("alex")
    _controlled_by_the_service_worker(phone)
    phone.go("/reflections/new/")
    context.set_offline(True)
    page.fill("#id_gave_me", "Half a thought, and no ratings yet.")
    page.get_by_role("button", name="Save reflection").click()
    page.wait_for_function("() => document.getElementById('offline-status').textContent.includes('waiting')")

    context.set_offline(False)
    page.wait_for_function("() => document.getElementById('offline-status').textContent.includes('needs changing')")
    assert len(page.evaluate(READ_DRAFTS)) == 1  # refused (422), so kept
    page.get_by_role("link", name="Open it to fix it").click()
    page.wait_for_function("() => document.getElementById('id_gave_me').value !== ''")
    assert page.input_value("#id_gave_me") == "Half a thought, and no ratings yet."
    assert page.evaluate("caches.has('pages')")

    phone.go("/more/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(phone.base + "/accounts/login/")
    assert _drafts_when_settled(page) == []
    assert not page.evaluate("caches.has('pages')")


def test_the_sign_out_response_clears_what_the_site_kept_even_without_the_script(phone):
    """Chromium honours Clear-Site-Data on the sign-out's redirect: storage made behind offline.js's back goes."""
    page = phone.page
    phone.sign_in("alex")
    phone.go("/more/")
    page.evaluate("""async () => {
      await new Promise((resolve) => {
        const r = indexedDB.open("left-behind");
        r.onsuccess = () => { r.result.close(); resolve(); };
      });
      await (await caches.open("left-behind")).put("/left-behind", new Response("x"));
      document.querySelector("form[data-sign-out]").removeAttribute("data-sign-out");
    }""")  # fmt: skip
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(phone.base + "/accounts/login/")
    names = page.evaluate("async () => (await indexedDB.databases()).map((d) => d.name)")
    assert "left-behind" not in names
    assert not page.evaluate("caches.has('left-behind')")


def _drafts_when_settled(page, seconds: float = 10.0) -> list:  # type: ignore[no-untyped-def]
    """The drafts left once sign-out's deletion has run: the page deletes them before leaving, or after 3 s leaves
    it to the response's Clear-Site-Data, which the browser applies a moment later on a busy machine."""
    deadline = time.monotonic() + seconds
    while (drafts := page.evaluate(READ_DRAFTS)) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    return drafts
