"""A command starts without the heavy libraries: every `reciprocity` command, worker and test process sets
Django up (and `check`, `serve` and the tests import every URL and view), and importing SciPy there cost
0.95 s (`python -X importtime`; its statistics and signal tools, used by a few estimates and by voice). The
code that computes with them imports them when it first does. pandas (0.25 s) stays: the flywheel's views
and services are built on it."""

import subprocess
import sys

import pytest

pytestmark = pytest.mark.engine_independent  # a process of its own, with a SQLite file of its own

HEAVY = ("scipy", "statsmodels", "onnxruntime", "weasyprint")

PROBE = f"""
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "reciprocity.config.settings"
import django
django.setup()
from django.core import checks
checks.run_checks()  # what every management command does first: it imports every URL and view
print(" ".join(sorted(name for name in {HEAVY!r} if name in sys.modules)))
"""


def test_setting_up_and_checking_loads_no_scientific_library(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "RECIPROCITY_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"imported at start-up: {result.stdout.strip()}"


def test_importing_the_package_s_main_module_runs_no_command():
    """Only `python -m reciprocity` runs the command line; a tool that imports every module runs nothing."""
    import importlib

    module = importlib.import_module("reciprocity.__main__")
    assert callable(module.main)


ROUTINE = """
import sys
from django.core.checks.registry import registry
from reciprocity.cli import main
code = main({argv!r})
tags = {{tag for check in registry.registered_checks for tag in check.tags}}
print(code, "reciprocity.config.urls" in sys.modules, "urls" in tags, "models" in tags)
"""


@pytest.mark.parametrize(
    ("argv", "checks_urls"), [(["showmigrations", "vault"], False), (["check"], True)], ids=["routine", "check"]
)
def test_only_check_imports_every_view_to_check_the_urls(tmp_path, argv, checks_urls):
    """A routine command runs the other system checks without importing the URL configuration (0.9 s of
    CPU); `reciprocity check` still checks it, as the test suite does."""
    env = {"PATH": "/usr/bin:/bin", "RECIPROCITY_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", ROUTINE.format(argv=argv)], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == ["0", str(checks_urls), str(checks_urls), "True"]
