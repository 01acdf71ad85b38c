"""What a therapist does, in a real browser: sign in, log a session, reflect on it at phone size."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import london_now_minus

DIMENSIONS = ("empathy", "communication", "reflection", "fulfillment", "resilience", "destigmatizing", "boundaries")


def test_sign_in_lands_on_today(phone):
    phone.sign_in("alex")
    assert phone.page.title() == "Today · Reciprocity"
    assert phone.page.get_by_role("link", name="Log a session").is_visible()


def test_log_a_session_and_reflect_on_it_at_phone_size(phone):
    page = phone.page
    phone.sign_in("sam")
    page.get_by_role("link", name="Log a session").click()
    page.select_option("#id_client", index=1)
    page.fill("#id_starts_at", london_now_minus(2))
    page.get_by_label("Video").check()
    page.get_by_label("EMDR").check()
    page.select_option("#id_emotional_load", "6")
    page.get_by_label("Trauma material was worked with").check()
    assert not phone.has_horizontal_scroll()
    page.get_by_role("button", name="Save session").click()
    page.wait_for_url(re.compile(r"/sessions/\d+/$"))
    assert "Session with" in page.content() and "EMDR" in page.content()

    page.get_by_role("link", name="Reflect on this session").click()
    page.wait_for_url(re.compile(r"/reflections/new/\?session=\d+$"))
    assert not phone.has_horizontal_scroll()
    labels = page.locator(".segments label").all()
    assert len(labels) == 7 * 5
    for label in labels:
        box = label.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, f"tap target too small: {box}"
    for rating, key in zip((3, 2, 4, 4, 1, 0, 2), DIMENSIONS, strict=True):
        page.locator(f"label[for=id_{key}_{rating}]").click()
    page.fill("#id_gave_me", "Watching the flash-forward land reminded me of my own exam nerves.")
    page.get_by_role("button", name="Save reflection").click()
    page.wait_for_url(phone.base + "/")
    assert "Reflection saved" in page.content()
    assert phone.axe_violations() == []  # the saved message is announced, and still a list

    page.get_by_role("link", name="More", exact=True).click()  # on a phone, the list is behind More
    page.wait_for_url(phone.base + "/more/")  # the click only starts the page load
    page.get_by_role("navigation", name="All pages").get_by_role("link", name="Reflections").click()
    page.wait_for_url(phone.base + "/reflections/")
    # The list is newest first, and other tests on this site may have reflected on a later session since.
    page.locator("li", has_text="Watching the flash-forward land").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/reflections/\d+/$"))  # the click only starts the page load
    text = page.content()
    assert "Watching the flash-forward land" in text and "strongly" in text


def test_a_reflection_can_be_completed_by_keyboard_alone(desktop):
    page = desktop.page
    desktop.sign_in("robin")
    href = page.locator("a[href^='/reflections/new/?session=']").first.get_attribute("href")
    desktop.go(href)
    page.locator("h1").click()  # start from the top of the form, as a keyboard user would after the heading
    for key in DIMENSIONS:
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.name") == key:
                break
        else:
            raise AssertionError(f"Tab never reached the {key} rating")
        page.keyboard.press("Space")  # choose 0, the first option
        page.keyboard.press("ArrowRight")  # then 1
        page.keyboard.press("ArrowRight")  # then 2
        outline = page.evaluate(
            "(() => { const el = document.activeElement; const label = document.querySelector(`label[for=${el.id}]`);"
            " return getComputedStyle(label).outlineStyle; })()"
        )
        assert outline != "none", f"no visible focus on the {key} rating"
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Save reflection":
            break
    else:
        raise AssertionError("Tab never reached the Save button")
    page.keyboard.press("Enter")
    page.wait_for_url(desktop.base + "/")
    assert "Reflection saved" in page.content()


def test_a_client_completes_a_questionnaire_through_a_one_time_link(chromium, phone):
    from tests.browser.conftest import PHONE, Visit

    page = phone.page
    phone.sign_in("alex")
    phone.go("/clients/")
    page.locator("ul.list a[href^='/clients/']").first.click()
    page.get_by_role("link", name="Measures").click()
    page.select_option("#link-instrument", "phq9")
    page.get_by_role("button", name="Make a link").click()
    url = page.locator(".token-link").text_content().strip()
    assert "/q/" in url

    respondent = Visit(chromium, phone.base, PHONE)  # the client's own phone: no sign-in, no cookies
    respondent.page.goto(url)
    assert respondent.axe_violations() == []
    assert not respondent.has_horizontal_scroll()
    assert "Sign out" not in respondent.page.content()
    for number in range(1, 10):
        respondent.page.locator(f"label[for=id_item_{number}_{1 if number < 9 else 0}]").click()
    respondent.page.get_by_role("button", name="Send my answers").click()
    expect(respondent.page.locator("main")).to_contain_text("Thank you")  # waits for the answer's page
    assert respondent.page.goto(url).status == 410
    respondent.close()

    page.get_by_role("link", name=re.compile(r"^Back to [A-Z]-\d{4}$")).click()
    page.wait_for_url(re.compile(r"/measures/clients/[A-Z]-\d{4}/$"))
    # 8 points: the client's answers, scored, on the therapist's page
    assert "answered" in page.content() and "Mild" in page.content()
    assert page.locator("td", has_text=re.compile(r"^8$")).count() >= 1


def test_sessions_from_a_spreadsheet_come_in_and_go_back_out_through_the_api(desktop, tmp_path):
    page = desktop.page
    desktop.sign_in("robin")
    sheet = tmp_path / "from-my-spreadsheet.csv"
    sheet.write_text(
        "Client code;Date;Load\nZ-0901;02/03/2026 09:00;4\nZ-0901;09/03/2026 09:00;6\n", encoding="latin-1"
    )
    desktop.go("/import/")
    page.set_input_files("#id_file", str(sheet))
    page.get_by_role("button", name="Next: match the columns").click()
    page.wait_for_url(desktop.base + "/import/map/")
    assert desktop.axe_violations() == []
    page.select_option("#date_format", "%d/%m/%Y %H:%M")
    page.get_by_role("button", name="Check (dry run)").click()
    expect(page.locator("main")).to_contain_text("2 new sessions")  # waits for the dry run's page
    page.get_by_role("button", name="Import 2 sessions").click()
    page.wait_for_url(desktop.base + "/sessions/")
    assert "Imported 2 sessions" in page.content()

    desktop.go("/accounts/tokens/")
    page.fill("#id_name", "journey")
    page.get_by_label("Read only").check()
    page.get_by_role("button", name="Make a token").click()
    token = page.locator(".token-link").text_content().strip()
    answer = page.request.get(desktop.base + "/api/v1/sessions?client=Z-0901",
                              headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert answer.status == 200
    assert sorted(s["emotional_load"] for s in answer.json()["items"]) == [4, 6]


def test_recall_brings_back_a_lesson_and_a_try_is_logged(phone):
    page = phone.page
    phone.sign_in("robin")
    page.get_by_role("link", name="Search").click()
    page.fill("#id_q", "health anxiety")
    page.get_by_role("button", name="Search").click()
    first = page.locator("#results ol.list > li").first
    first.wait_for()
    assert "The flash-forward works on my own health anxiety" in first.inner_text()
    assert first.locator("mark").count() >= 2
    assert not phone.has_horizontal_scroll()
    first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/repertoire/\d+/$"))
    page.fill("#id_situation", "A twinge in my chest on the train; I ran the film forward.")
    page.select_option("#id_helped", "4")
    page.get_by_role("button", name="Log it").click()
    page.wait_for_url(re.compile(r"/repertoire/\d+/$"))
    assert "A twinge in my chest" in page.content() and "helped 4 of 5" in page.content()


def test_a_reflection_goes_into_the_repertoire_prefilled(desktop):
    page = desktop.page
    desktop.sign_in("alex")
    desktop.go("/reflections/")
    page.locator("#results ul.list a[href^='/reflections/']").first.click()
    page.get_by_role("link", name="Add to my repertoire").click()
    page.wait_for_url(re.compile(r"/repertoire/new/\?reflection=\d+$"))
    assert page.input_value("#id_title") != ""
    page.fill("#id_title", "A pause before I answer")
    page.fill("#id_tags", "listening, family")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/repertoire/\d+/$"))
    assert "A pause before I answer" in page.content() and "#family" in page.content()


def test_the_supervisor_reads_what_was_shared_comments_and_downloads_the_packet(desktop):
    page = desktop.page
    desktop.sign_in("kim")
    page.get_by_role("link", name="Supervision").click()
    page.get_by_role("link", name="Sam Okafor").click()
    page.wait_for_url(re.compile(r"/supervision/\d+/$"))
    text = page.content()
    assert "I snapped at my partner over nothing" in text and "Well-being trend" in text and "Flywheel summary" in text
    page.get_by_role("link", name=re.compile(r"Reflection of")).first.click()
    page.fill("#id_text", "How did the week after this go?")
    page.get_by_role("button", name="Comment").click()
    page.wait_for_url(re.compile(r"/supervision/shares/\d+/$"))
    assert "How did the week after this go?" in page.content()
    desktop.go("/reports/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("For Sam Okafor")).click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_the_therapist_downloads_their_monthly_report(desktop):
    page = desktop.page
    desktop.sign_in("sam")
    desktop.go("/reports/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert (
        download.value.suggested_filename.startswith("reciprocity-")
        and download.value.path().read_bytes()[:4] == b"%PDF"
    )
