"""How well "not on track" finds planted deteriorators: the expected-response band against the fixed rule.

Synthetic PHQ-9 courses (0–27, one score a session, 6–16 sessions, intake 10–24, Gaussian noise of SD 2
points, rounded and clipped) of three kinds:

- improvers (60%): the score falls towards a floor of 2–8 points, exponentially (time constant 2–6 sessions);
- non-responders (25%): the score stays near intake (a drift of at most ±2 points over the course);
- planted deteriorators (15%): after one or two sessions like the others, the score rises 0.7–1.5 points a
  session.

Half the clients (the training part, every kind, as a practice's completed courses would be) make the
reference; the other half (held out) are judged at every session, as the alerts judge an open client, by
the app's own functions: `alerts.with_expected` + `alerts.client_alerts` for the expected-response method
(`insights/expected.py`) and `alerts.client_alerts` alone for the fixed rule (reliable deterioration on the
PHQ-9's threshold, or no reliable change after eight sessions). A client counts as flagged by session s when
any alert was raised at a session up to s. Sensitivity is of planted deteriorators; the false-alarm rate is
of improvers; non-responders are shown apart (the fixed rule flags them by design after eight sessions).

Run with `make bench` or `.venv/bin/python bench/expected_response.py [--clients N] [--seed S]`; results go
to docs/benchmarks.md (and the table is quoted in docs/measures.md).
"""

import argparse
import math
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocity.config.settings")

import django  # noqa: E402

django.setup()

from bench.report import write_section  # noqa: E402
from reciprocity.insights import expected  # noqa: E402
from reciprocity.insights.alerts import ClientCourse, client_alerts, with_expected  # noqa: E402
from reciprocity.measures import registry  # noqa: E402
from reciprocity.measures.change import classify_change  # noqa: E402

KINDS = (("improver", 0.60), ("non-responder", 0.25), ("deteriorator", 0.15))
NOISE_SD = 2.0


@dataclass(frozen=True)
class Synthetic:
    kind: str
    scores: tuple[float, ...]


def synthetic_course(rng: random.Random, kind: str) -> Synthetic:
    """One client's PHQ-9 course of the given kind (see the module's docstring for the model)."""
    intake, length = rng.uniform(10, 24), rng.randint(6, 16)
    if kind == "improver":
        floor, tau = rng.uniform(2, 8), rng.uniform(2, 6)
        true = [floor + (intake - floor) * math.exp(-t / tau) for t in range(length)]
    elif kind == "non-responder":
        drift = rng.uniform(-2, 2)
        true = [intake + drift * t / (length - 1) for t in range(length)]
    else:
        onset, rate = rng.randint(1, 2), rng.uniform(0.7, 1.5)
        true = [intake + rate * max(0, t - onset + 1) for t in range(length)]
    noisy = [min(27.0, max(0.0, round(value + rng.gauss(0, NOISE_SD)))) for value in true]
    return Synthetic(kind, tuple(noisy))


def population(n: int, rng: random.Random) -> list[Synthetic]:
    kinds = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS], k=n)
    return [synthetic_course(rng, kind) for kind in kinds]


def first_flag(course: Synthetic, reference: expected.Reference | None) -> int | None:
    """The first session at which the alerts flag this client (None: never), judged as an open client."""
    scale = registry.get("phq9").primary_scale
    for session in range(2, len(course.scores) + 1):
        scores = list(course.scores[:session])
        change = classify_change(scale, scores[0], scores[-1])
        open_course = ClientCourse(
            code="X", sessions=session, scores=session, direction=change.direction, measure="PHQ-9",
            first=scores[0], last=scores[-1], instrument="phq9",
        )  # fmt: skip
        courses = [open_course]
        if reference is not None:
            courses = with_expected(courses, {"phq9": reference}, {("X", "phq9"): scores})
        if client_alerts(courses):
            return session
    return None


def rates(held_out: list[Synthetic], reference: expected.Reference | None) -> dict[str, float]:
    flags = [(c.kind, first_flag(c, reference)) for c in held_out]

    def share(kind: str, by: int | None) -> float:
        found = [f for k, f in flags if k == kind]
        return sum(f is not None and (by is None or f <= by) for f in found) / len(found)

    caught = [f for k, f in flags if k == "deteriorator" and f is not None]
    return {
        "by3": share("deteriorator", 3), "end": share("deteriorator", None),
        "first": statistics.median(caught) if caught else float("nan"),
        "false": share("improver", None), "false3": share("improver", 3), "flat": share("non-responder", None),
    }  # fmt: skip


def table(rows: list[tuple[str, dict[str, float]]]) -> str:
    lines = [
        "| method | deteriorators flagged by session 3 | … by the end | median first flag (session) "
        "| improvers flagged (false alarms) by session 3 | … by the end | non-responders flagged by the end |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows:
        lines.append(f"| {name} | {r['by3']:.0%} | {r['end']:.0%} | {r['first']:g} | {r['false3']:.0%} "
                     f"| {r['false']:.0%} | {r['flat']:.0%} |")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    started = time.perf_counter()
    rng = random.Random(args.seed)  # reproducible synthetic data, not a secret
    clients = population(args.clients, rng)
    training, held_out = clients[: len(clients) // 2], clients[len(clients) // 2 :]
    completed = [c.scores for c in training if len(c.scores) >= expected.MIN_SCORES]
    rows = [("Fixed rule", rates(held_out, None))]
    for size in (expected.MIN_COURSES, 100, len(completed)):
        reference = expected.reference_of(rng.sample(completed, size))
        rows.append((f"Expected-response band, {size} completed courses", rates(held_out, reference)))
    counts = {kind: sum(c.kind == kind for c in held_out) for kind, _ in KINDS}
    text = "\n".join([
        "## Not on track: expected-response band against the fixed rule (bench/expected_response.py)",
        "",
        f"Synthetic PHQ-9 courses, seed {args.seed}: {args.clients} clients, half for the reference and half "
        f"held out ({counts['improver']} improvers, {counts['non-responder']} non-responders, "
        f"{counts['deteriorator']} planted deteriorators), judged at every session by the app's alert functions. "
        f"The model of the courses is in the script's docstring. Ran in {time.perf_counter() - started:.0f} s.",
        "",
        table(rows),
        "",
        f"Reproduce: `.venv/bin/python bench/expected_response.py --clients {args.clients} --seed {args.seed}`.",
    ])  # fmt: skip
    print(text)
    if not args.no_write:
        write_section("expected-response", text)


if __name__ == "__main__":
    main()
