"""Settings come from the environment; a bad value stops start-up with a message, never a traceback."""

import os
import stat
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from reciprocity.config.environment import env_bool, env_int, env_secret

# Each test reads settings in this process or starts the app with DATABASE_URL removed (a SQLite file of its
# own, or a URL that is only parsed), so the run's database never enters: the PostgreSQL pass leaves them out.
pytestmark = pytest.mark.engine_independent


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False)])
def test_booleans_read_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FEATURE", raw)
    assert env_bool("FEATURE", not expected) is expected


def test_a_bad_boolean_is_named_in_the_error(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG must be one of .* it is 'maybe'"):
        env_bool("DEBUG", False)


def test_integers_are_checked_for_range(monkeypatch):
    monkeypatch.setenv("WORKERS", "0")
    with pytest.raises(ImproperlyConfigured, match="between 1 and 8"):
        env_int("WORKERS", 2, minimum=1, maximum=8)
    monkeypatch.setenv("WORKERS", "two")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("WORKERS", 2)


def test_the_secret_key_is_generated_once_into_a_private_file(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    path = tmp_path / "secret_key"
    first = env_secret("SECRET_KEY", path)
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert env_secret("SECRET_KEY", path) == first


def test_the_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert env_secret("SECRET_KEY", tmp_path / "unused") == "from-env"
    assert not (tmp_path / "unused").exists()
    monkeypatch.delenv("SECRET_KEY")
    (tmp_path / "key").write_text("from-file\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "key"))
    assert env_secret("SECRET_KEY", tmp_path / "unused") == "from-file"


def _settings_in_subprocess(tmp_path, code, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}}
    environment |= {
        "RECIPROCITY_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "reciprocity.config.settings",
    }
    environment |= env
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings as s; {code}"],
        env=environment, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_defaults_run_on_a_laptop_sqlite_in_the_data_dir_with_debug_off(tmp_path):
    result = _settings_in_subprocess(
        tmp_path, "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])"
    )
    assert result.returncode == 0, result.stderr
    debug, engine, name = result.stdout.split()
    assert (debug, engine) == ("False", "reciprocity.lib.sqlite")
    assert name == str(tmp_path / "data" / "reciprocity.sqlite3")
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "data" / "secret_key").stat().st_mode) == 0o600


def test_database_url_switches_to_postgresql(tmp_path):
    result = _settings_in_subprocess(
        tmp_path,
        "d = s.DATABASES['default']; print(d['ENGINE'], d['HOST'], d['NAME'])",
        DATABASE_URL="postgres://u:p@db.example:5432/clinic",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "db.example", "clinic"]


def test_the_cli_reports_a_bad_setting_in_one_line(tmp_path):
    environment = os.environ | {"RECIPROCITY_DATA_DIR": str(tmp_path), "DEBUG": "perhaps"}
    result = subprocess.run(
        [sys.executable, "-m", "reciprocity", "check"], env=environment, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "reciprocity: configuration error: DEBUG must be one of 1/0, true/false, yes/no, on/off; it is 'perhaps'."
    )


def test_an_unknown_command_is_one_line_and_exit_code_2(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"RECIPROCITY_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "reciprocity", "frobnicate"], env=environment, capture_output=True,
                            text=True, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip() == "reciprocity: there is no command 'frobnicate'; `reciprocity help` lists them."


def test_a_command_on_an_unmigrated_database_says_what_to_do_without_a_traceback(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"RECIPROCITY_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "reciprocity", "demo"], env=environment, capture_output=True,
                            text=True, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 2
    assert "run `reciprocity migrate` first" in result.stderr and "Traceback" not in result.stderr


def _production(tmp_path, **env):
    """The environment of a production server: a throwaway data directory, host name and secret key."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY_FILE"}}
    return (
        environment
        | {
            "RECIPROCITY_DATA_DIR": str(tmp_path / "data"),
            "RECIPROCITY_PROFILE": "production",
            "ALLOWED_HOSTS": "reciprocity.example",
            "SECRET_KEY": "k" + "".join(chr(ord("a") + i % 26) for i in range(63)),
        }
        | env
    )


def _cli(environment, *args):
    return subprocess.run([sys.executable, "-m", "reciprocity", *args], env=environment, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip


def test_the_deploy_check_reports_nothing_in_the_production_profile(tmp_path):
    result = _cli(_production(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_the_deploy_check_fails_in_the_development_profile(tmp_path):
    environment = _production(tmp_path) | {"RECIPROCITY_PROFILE": "development"}
    result = _cli(environment, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_the_production_profile_turns_on_https_only_settings(tmp_path):
    code = (
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.X_FRAME_OPTIONS, "
        "s.SECURE_REFERRER_POLICY, s.DEBUG, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    result = _settings_in_subprocess(tmp_path, code, **_production(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True", "True", "True", "True", "31536000", "True", "True", "DENY", "same-origin", "False", "None",
    ]  # fmt: skip


def test_behind_a_tls_proxy_its_header_and_hsts_are_configurable(tmp_path):
    environment = _production(tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto", SECURE_HSTS_PRELOAD="0")
    code = "print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_PRELOAD)"
    result = _settings_in_subprocess(tmp_path, code, **environment)
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https') False"


def test_the_development_profile_stays_on_plain_http(tmp_path):
    code = "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.ALLOWED_HOSTS)"
    result = _settings_in_subprocess(tmp_path, code)
    assert result.stdout.strip() == "False False 0 ['127.0.0.1', 'localhost']"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "1"}, "DEBUG must be off in the production profile"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is too weak for the production profile"),
        ({"SECRET_KEY": "django-insecure-" + "x1y2z3" * 10}, "SECRET_KEY is too weak"),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY is too weak"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name the server's host names"),
        ({"RECIPROCITY_PROFILE": "staging"}, "RECIPROCITY_PROFILE must be development or production"),
    ],
)
def test_an_unsafe_production_setting_stops_start_up_with_a_message(tmp_path, env, message):
    result = _cli(_production(tmp_path, **env), "check")
    assert result.returncode == 2
    assert result.stderr.startswith("reciprocity: configuration error: " + message)
    assert "Traceback" not in result.stderr


def test_the_production_profile_accepts_the_generated_secret_key(tmp_path):
    environment = {k: v for k, v in _production(tmp_path).items() if k != "SECRET_KEY"}
    result = _cli(environment, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "secret_key").exists()


def test_every_secret_can_come_from_a_file_and_not_from_two_places(tmp_path):
    for name, value in (("db", "pg-secret"), ("smtp", "smtp-secret")):
        (tmp_path / name).write_text(value + "\n")
    read = _settings_in_subprocess(
        tmp_path, "print(s.DATABASES['default']['PASSWORD'], s.EMAIL_HOST_PASSWORD)",
        DATABASE_URL="postgres://app@db.example:5432/app", DATABASE_PASSWORD_FILE=str(tmp_path / "db"),
        EMAIL_HOST_PASSWORD_FILE=str(tmp_path / "smtp"),
    )  # fmt: skip
    assert read.returncode == 0, read.stderr
    assert read.stdout.split() == ["pg-secret", "smtp-secret"]
    both = _settings_in_subprocess(tmp_path, "print(1)", EMAIL_HOST_PASSWORD="x", EMAIL_HOST_PASSWORD_FILE="/y")
    assert both.returncode != 0 and "Both EMAIL_HOST_PASSWORD and EMAIL_HOST_PASSWORD_FILE are set" in both.stderr
    missing = _settings_in_subprocess(tmp_path, "print(1)", DATABASE_URL="sqlite:///x", DATABASE_PASSWORD_FILE="/nope")
    assert missing.returncode != 0 and "DATABASE_PASSWORD_FILE points to /nope, which cannot be read" in missing.stderr
    (tmp_path / "empty").write_text("\n")
    empty = _settings_in_subprocess(tmp_path, "print(1)", SECRET_KEY_FILE=str(tmp_path / "empty"))
    assert empty.returncode != 0 and f"SECRET_KEY_FILE points to {tmp_path / 'empty'}, which is empty" in empty.stderr


def test_earlier_secret_keys_can_be_kept_as_fallbacks_from_the_environment_or_a_file(tmp_path):
    result = _settings_in_subprocess(tmp_path, "print(s.SECRET_KEY_FALLBACKS)", SECRET_KEY_FALLBACKS="old-one, older")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['old-one', 'older']"
    (tmp_path / "fallbacks").write_text("old,one\nolder\n")  # one a line: a key may hold a comma there
    result = _settings_in_subprocess(
        tmp_path, "print(s.SECRET_KEY_FALLBACKS)", SECRET_KEY_FALLBACKS_FILE=str(tmp_path / "fallbacks")
    )
    assert result.stdout.strip() == "['old,one', 'older']"
    assert _settings_in_subprocess(tmp_path, "print(s.SECRET_KEY_FALLBACKS)").stdout.strip() == "[]"
