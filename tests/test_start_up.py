"""A command starts without the heavy libraries: every `reciprocity` command, worker and test process sets
Django up and checks the URLs, and importing SciPy there cost 0.95 s (`python -X importtime`; its statistics
and signal tools, used by a few estimates and by voice). The code that computes with them imports them when
it first does. pandas (0.25 s) stays: the flywheel's views and services are built on it."""

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
