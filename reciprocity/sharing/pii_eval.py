"""How well the PII guard marks what a careful reader would: recall by kind and precision, on labelled sentences.

A labelled detail counts as caught when any finding overlaps it (the therapist sees it marked, whatever the
finding calls it); a finding counts as a false alarm when it overlaps no labelled detail.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from reciprocity.sharing.pii import Finding, find_pii
from reciprocity.sharing.pii_set import KINDS, Sentence


@dataclass
class KindScore:
    kind: str
    labelled: int = 0
    caught: int = 0
    found: int = 0  # findings of this kind
    wrong: int = 0  # of those, false alarms

    @property
    def recall(self) -> float | None:
        return self.caught / self.labelled if self.labelled else None

    @property
    def precision(self) -> float | None:
        return 1 - self.wrong / self.found if self.found else None


@dataclass
class Evaluation:
    kinds: dict[str, KindScore]
    findings: int = 0
    false_alarms: int = 0
    clean: int = 0  # sentences with nothing to mark
    clean_flagged: int = 0  # of those, how many got a finding
    misses: list[tuple[int, str, str]] = field(default_factory=list)  # (sentence id, kind, words)
    alarms: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        labelled = sum(k.labelled for k in self.kinds.values())
        return sum(k.caught for k in self.kinds.values()) / labelled if labelled else 1.0

    @property
    def precision(self) -> float:
        return 1 - self.false_alarms / self.findings if self.findings else 1.0


def _ranges(text: str, words: str) -> list[range]:
    return [range(m.start(), m.end()) for m in re.finditer(re.escape(words), text)]


def _overlaps(a: range, start: int, end: int) -> bool:
    return a.start < end and start < a.stop


def evaluate(sentences: Iterable[Sentence], detect: Callable[[str], list[Finding]] = find_pii) -> Evaluation:
    result = Evaluation({kind: KindScore(kind) for kind in KINDS})
    for sentence in sentences:
        found = detect(sentence.text)
        labelled = [(kind, words, _ranges(sentence.text, words)) for kind, words in sentence.spans]
        for kind, words, places in labelled:
            score = result.kinds[kind]
            score.labelled += 1
            if any(_overlaps(p, f.start, f.end) for p in places for f in found):
                score.caught += 1
            else:
                result.misses.append((sentence.id, kind, words))
        result.findings += len(found)
        for f in found:
            result.kinds[f.kind].found += 1
            if not any(_overlaps(p, f.start, f.end) for _, _, places in labelled for p in places):
                result.false_alarms += 1
                result.kinds[f.kind].wrong += 1
                result.alarms.append((sentence.id, f.kind, f.text))
        if not sentence.spans:
            result.clean += 1
            result.clean_flagged += bool(found)
    return result
