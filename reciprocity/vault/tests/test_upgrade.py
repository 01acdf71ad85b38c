"""`reciprocity upgrade` on a database the previous release made, with text in every encrypted column: refused
under a wrong key with nothing changed; otherwise backed up, migrated and verified, every text readable after;
and undone by restoring the backup it took."""

import json
import re
import subprocess
import sys

from reciprocity.vault.canary import DOCS
from tests.servers import app_env, own_database, run_cli


def _release_script(env: dict[str, str], action: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "reciprocity.vault.tests.previous_release", action],
        env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_an_upgrade_from_the_previous_release_keeps_every_text_readable_and_can_be_undone(tmp_path):
    with own_database() as url:
        env = app_env(tmp_path / "site", url) | {"DJANGO_SETTINGS_MODULE": "reciprocity.config.settings"}
        planted = _release_script(env, "build")
        assert len(planted) >= 19  # every encrypted column that release had
        key_file = tmp_path / "site" / "encryption.keys"

        wrong = env | {"ENCRYPTION_KEYS": "0ther000:" + "A" * 43 + "="}
        refused = run_cli(["upgrade"], wrong)
        assert refused.returncode == 2 and "Nothing was upgraded" in refused.stderr and DOCS in refused.stderr
        assert not (tmp_path / "site" / "backups").exists()

        upgraded = run_cli(["upgrade"], env)
        assert upgraded.returncode == 0, upgraded.stderr
        assert "migrations applied and checked" in upgraded.stdout and "keys export" in upgraded.stderr
        backup = re.search(r"reciprocity restore (\S+) --force", upgraded.stdout).group(1)
        after = _release_script(env, "read")
        for column, text in planted.items():
            assert after[column] == [text], column
        assert len(after["vault.keycanary.sealed"]) == 1

        restored = run_cli(["restore", backup, "--force"], env)  # the way back the upgrade printed
        assert restored.returncode == 0 and "run `reciprocity upgrade`" in restored.stdout
        assert "[ ] 0002_key_canary" in run_cli(["showmigrations", "vault"], env).stdout  # the release's schema again
        again = run_cli(["upgrade"], env)
        assert again.returncode == 0, again.stderr
        assert {column: texts for column, texts in _release_script(env, "read").items() if column in planted} == {
            column: [text] for column, text in planted.items()
        }
        assert key_file.read_text().startswith(upgraded.stdout.split("sealed with key ")[1][:8])  # no new key made
