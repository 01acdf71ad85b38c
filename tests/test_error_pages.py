import pytest


@pytest.fixture
def failing(settings, client, ana):
    settings.ROOT_URLCONF = "tests.failing_urls"
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(ana)
    return client


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/crash/", 500, "Something went wrong on our side"),
        ("/forbidden/", 403, "You cannot do that here"),
        ("/suspicious/", 400, "That request could not be understood"),
        ("/no/such/page/", 404, "Not found"),
    ],
)
def test_errors_get_a_plain_page_and_never_a_trace(failing, url, status, words):
    response = failing.get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert words in html
    assert "Traceback" not in html and "N-0007" not in html and "RuntimeError" not in html


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/crash/", 500, "Algo falló por nuestra parte"),
        ("/forbidden/", 403, "No puedes hacer eso aquí"),
        ("/no/such/page/", 404, "No encontrado"),
    ],
)
def test_error_pages_speak_the_browsers_language(failing, url, status, words):
    response = failing.get(url, headers={"accept-language": "es"})
    assert response.status_code == status
    assert words in response.content.decode()


def test_a_form_without_its_csrf_token_is_explained(ana):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ana)
    response = browser.post("/clients/new/", {"code": "N-0001", "started_on": "2026-01-01"})
    assert response.status_code == 403
    assert "The form had expired" in response.content.decode()
