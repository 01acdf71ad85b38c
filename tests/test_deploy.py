"""What a clinic's deployment runs that this machine can run too: /healthz in each failure, the container's
entrypoint and its environment (secrets from *_FILE, a key check before anything is served), the secrets
script, and the container files themselves (a container image cannot be built here: see docs/deploy.md)."""

import base64
import json
import os
import re
import secrets
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
import yaml
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from reciprocity.config import probe
from reciprocity.vault import keyring
from reciprocity.vault.canary import require_keys
from reciprocity.vault.keyring import parse_keys
from tests.servers import _server_admin, app_env, free_port, link_static, own_database

ROOT = Path(__file__).resolve().parents[1]


def _health(client, **extra) -> tuple[int, dict]:
    response = client.get("/healthz", **extra)
    assert response["Cache-Control"] == "no-store"
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_healthz_answers_ok_before_the_host_check_the_https_redirect_and_the_sign_in(client, settings):
    settings.ALLOWED_HOSTS, settings.SECURE_SSL_REDIRECT = ["reciprocity.example"], True
    assert _health(client, HTTP_HOST="127.0.0.1:8000") == (200, {"status": "ok"})  # a probe inside the container
    assert client.post("/healthz").status_code == 405
    assert client.get("/healthz/x", HTTP_HOST="reciprocity.example").status_code == 301  # only the one path


@pytest.mark.django_db
def test_healthz_fails_when_a_migration_is_not_applied(client):
    MigrationRecorder(connection).record_unapplied("vault", "0002_key_canary")
    assert _health(client) == (503, {"status": "failing", "failing": ["migrations"]})


@pytest.mark.django_db
def test_healthz_fails_when_the_keys_do_not_open_the_database_and_says_nothing_more(
    client, settings, tmp_path, monkeypatch
):
    monkeypatch.delenv("ENCRYPTION_KEYS", raising=False)
    monkeypatch.delenv("ENCRYPTION_KEYS_FILE", raising=False)
    settings.DATA_DIR = tmp_path
    keyring.forget()
    require_keys()  # sealed with this test's key file
    (tmp_path / "encryption.keys").unlink()  # lost: a new key file is made in its place
    keyring.forget()
    status, body = _health(client)
    assert (status, body) == (503, {"status": "failing", "failing": ["keys"]})  # no key id, no path
    keyring.forget()


def _entrypoint_env(tmp_path: Path, database_url: str | None, keys: Path) -> dict[str, str]:
    secret = tmp_path / "secret_key"
    secret.write_text(secrets.token_urlsafe(50) + "\n")
    password = tmp_path / "db_password"
    password.write_text("unused-by-a-trusting-test-server\n")
    env = app_env(tmp_path / "data", database_url) | {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "SECRET_KEY_FILE": str(secret),
        "ENCRYPTION_KEYS_FILE": str(keys),
        "TASK_RUNNER": "database",
    }
    if database_url:
        env["DATABASE_PASSWORD_FILE"] = str(password)
    return env


def _probe(env: dict[str, str]) -> int:
    return probe.main([f"http://127.0.0.1:{env['PORT']}/healthz"])


def _wait_until_healthy(env: dict[str, str], process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while _probe(env) != 0:
        assert process.poll() is None, process.stdout.read()
        assert time.monotonic() < deadline, "not healthy within 90 s"
        time.sleep(0.3)


def test_the_entrypoint_upgrades_serves_a_healthy_app_and_reports_a_lost_database(tmp_path, static_files):
    subprocess.run(["sh", str(ROOT / "deploy" / "make-secrets"), str(tmp_path / "secrets")], check=True,
                   capture_output=True)  # fmt: skip
    with own_database() as url:
        env = _entrypoint_env(tmp_path, url, tmp_path / "secrets" / "encryption_keys")
        (tmp_path / "data").mkdir()
        link_static(static_files, tmp_path / "data")
        entrypoint = ["sh", str(ROOT / "deploy" / "entrypoint.sh")]
        server = subprocess.Popen([*entrypoint, "serve", "--workers", "1"], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)  # fmt: skip
        try:
            _wait_until_healthy(env, server)
            batch = subprocess.run([*entrypoint, "worker", "--batch"], env=env, capture_output=True, text=True,
                                   timeout=120, check=False)  # fmt: skip
            assert batch.returncode == 0, batch.stderr
            checked = subprocess.run([*entrypoint, "keys", "check"], env=env, capture_output=True, text=True,
                                     timeout=120, check=False)  # fmt: skip
            assert "every stored text is sealed with one of them" in checked.stdout
            assert "secrets/encryption_keys" in checked.stdout

            _lose_the_database(url, tmp_path / "data")
            deadline = time.monotonic() + 30
            while _probe(env) == 0 and time.monotonic() < deadline:
                time.sleep(0.3)
            with pytest.raises(urllib.error.HTTPError) as failing:
                urllib.request.urlopen(f"http://127.0.0.1:{env['PORT']}/healthz", timeout=5)
            assert failing.value.code == 503 and json.load(failing.value) == {"status": "failing",
                                                                              "failing": ["database"]}  # fmt: skip
        finally:
            server.terminate()
            output = server.communicate(timeout=30)[0]
    assert "Upgraded to Reciprocity" in output and "Traceback" not in output


def _lose_the_database(url: str | None, data_dir: Path) -> None:
    if url is None:  # a file that is no database takes its place
        for extra in ("-wal", "-shm"):
            (data_dir / f"reciprocity.sqlite3{extra}").unlink(missing_ok=True)
        junk = data_dir / "junk"
        junk.write_bytes(b"not a database" * 512)
        junk.replace(data_dir / "reciprocity.sqlite3")
    else:  # the database is gone (its server would be down or unreachable the same way)
        with psycopg.connect(**_server_admin(os.environ["DATABASE_URL"]), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def test_the_entrypoint_stops_before_serving_under_a_wrong_key(tmp_path):
    keys = tmp_path / "keys"
    keys.write_text(f"aaaa0001:{base64.b64encode(secrets.token_bytes(32)).decode()}\n")
    with own_database() as url:
        env = _entrypoint_env(tmp_path, url, keys)
        entrypoint = ["sh", str(ROOT / "deploy" / "entrypoint.sh")]
        first = subprocess.run([*entrypoint, "upgrade"], env=env, capture_output=True, text=True, timeout=180,
                               check=False)  # fmt: skip
        assert first.returncode == 0, first.stderr
        assert subprocess.run([*entrypoint, "keys", "check"], env=env, capture_output=True, text=True,
                              timeout=120, check=False).returncode == 0  # fmt: skip
        keys.write_text(f"bbbb0002:{base64.b64encode(secrets.token_bytes(32)).decode()}\n")  # the wrong secret
        refused = subprocess.run([*entrypoint, "serve"], env=env, capture_output=True, text=True, timeout=180,
                                 check=False)  # fmt: skip
    assert refused.returncode == 2 and "Nothing was upgraded" in refused.stderr and "aaaa0001" in refused.stderr
    assert "serving on" not in refused.stdout


def test_make_secrets_writes_private_secrets_once(tmp_path):
    folder = tmp_path / "secrets"
    subprocess.run(["sh", str(ROOT / "deploy" / "make-secrets"), str(folder)], check=True, capture_output=True)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    written = {p.name: p.read_text() for p in folder.iterdir()}
    assert sorted(written) == ["db_password", "encryption_keys", "secret_key"]
    assert all(stat.S_IMODE((folder / name).stat().st_mode) == 0o444 for name in written)
    assert len(parse_keys(written["encryption_keys"], "test")) == 1 and len(written["secret_key"].strip()) >= 50
    again = subprocess.run(["sh", str(ROOT / "deploy" / "make-secrets"), str(folder)], check=True,
                           capture_output=True, text=True)  # fmt: skip
    assert again.stdout.count("kept") == 3 and {p.name: p.read_text() for p in folder.iterdir()} == written


@pytest.mark.engine_independent
def test_the_container_files_pin_versions_run_unprivileged_and_take_secrets_from_files():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "web", "worker"}
    for name, service in services.items():
        assert re.search(r":\d+(\.\d+)+", service["image"]), f"{name}: pin the image's version"
        environment = service.get("environment", {})
        assert not {"SECRET_KEY", "ENCRYPTION_KEYS", "POSTGRES_PASSWORD", "DATABASE_PASSWORD"} & set(environment)
        assert all(compose["secrets"][s]["file"].startswith("./secrets/") for s in service.get("secrets", []))
    assert "healthcheck" in services["db"] and "healthcheck" in services["web"]
    assert services["worker"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert set(compose["volumes"]) == {"db-data", "app-data"}

    containerfile = (ROOT / "Containerfile").read_text()
    assert re.search(r"^FROM \S+:3\.1[1-9]\.\d+-slim-bookworm$", containerfile, re.MULTILINE)
    assert re.search(r"^USER reciprocity$", containerfile, re.MULTILINE) and "--collect-static-only" in containerfile
    for source in re.findall(r"^COPY (.+) \S+$", containerfile, re.MULTILINE):
        assert all((ROOT / part).exists() for part in source.split()), source
    settings_source = "".join(p.read_text() for p in (ROOT / "reciprocity" / "config").glob("*.py"))
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name = line.split("=", 1)[0]
            assert f'"{name}"' in settings_source, f".env.example sets {name}, which nothing reads"
