"""The imports' part of `reciprocity worker` (lib/periodic.py): delete staged uploads nobody imported, hourly.

Each upload also sweeps (staging.stage), so a laptop running without a worker is covered as well.
"""

from reciprocity.imports.staging import sweep
from reciprocity.lib.periodic import Job

JOBS = [Job(name="stale imports", every_seconds=60 * 60, run=sweep)]
