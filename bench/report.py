"""docs/benchmarks.md is written by several benchmarks: each replaces only its own marked section."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADER = "# Benchmarks\n\nEach section is rewritten by the benchmark named in it; `make bench` runs them all.\n"


def write_section(name: str, text: str) -> None:
    begin, end = f"<!-- begin {name} -->", f"<!-- end {name} -->"
    current = DOC.read_text() if DOC.exists() else HEADER
    if not current.startswith("# Benchmarks"):
        current = HEADER
    block = f"{begin}\n{text.rstrip()}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    updated = pattern.sub(lambda _: block, current) if pattern.search(current) else current.rstrip() + "\n\n" + block
    DOC.write_text(updated.rstrip() + "\n")
