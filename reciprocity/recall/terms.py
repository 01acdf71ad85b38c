"""Words for the full-text index: split, stemmed, stripped of stop words — and stored only as keyed hashes.

The index holds `t` + 12 hex digits of an HMAC per stem instead of the word, so a copy of the database
reveals which entries share words, not the words (docs/recall.md). Queries go through the same function,
so user input never reaches the full-text engine as syntax: only `t[0-9a-f]{12}` tokens do.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.conf import settings

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
MAX_QUERY_TERMS = 64
_STOP = (
    "a about above after again against all am an and any are as at be because been before being below "
    "between both but by can could did do does doing down during each few for from further had has have "
    "having he her here hers herself him himself his how i if in into is it its itself just me more most "
    "my myself no nor not now of off on once only or other our ours ourselves out over own same she "
    "should so some such than that the their theirs them themselves then there these they this those "
    "through to too under until up very was we were what when where which while who whom why will with "
    "would you your yours yourself yourselves i'm i’m it's it’s i've i’ve don't don’t can't can’t"
)
STOP_WORDS = frozenset(_STOP.split())
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word.replace("’", "'"))


def words(text: str) -> list[str]:
    """Lower-case words of the text, in order, with stop words left out."""
    return [w for w in (m.group().lower() for m in WORD.finditer(text)) if w not in STOP_WORDS]


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def _key() -> bytes:
    return hashlib.sha256(b"reciprocity-recall-terms:" + settings.SECRET_KEY.encode()).digest()


def key_fingerprint() -> str:
    """A fingerprint of the key the word hashes are made with: the same key gives the same fingerprint, and it
    tells nothing of the key."""
    return hmac.new(_key(), b"reciprocity-recall-terms-fingerprint", hashlib.sha256).hexdigest()[:16]


def hashed(stem_: str, key: bytes) -> str:
    return "t" + hmac.new(key, stem_.encode(), hashlib.sha256).hexdigest()[:12]


def index_terms(text: str) -> str:
    """What the full-text index stores for a text: one hashed token per stemmed word, space-separated."""
    key = _key()
    return " ".join(hashed(s, key) for s in stems(text))


def query_terms(text: str) -> list[str]:
    """The distinct hashed tokens of a query, at most MAX_QUERY_TERMS of them, in the order typed."""
    key = _key()
    distinct = list(dict.fromkeys(stems(text)))[:MAX_QUERY_TERMS]
    return [hashed(s, key) for s in distinct]


SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
MAX_PASSAGES = 16
SHORT = 4  # words: a sentence this short is read together with the next


def passages(text: str) -> list[str]:
    """What is embedded for a text: the whole of it, and each of its sentences when it has several.

    A long entry's mean meaning is blurred; its single sentences keep their sharp one, and a query is
    scored against the best of them (recall/vectors.py).
    """
    sentences: list[str] = []
    pending = ""
    for part in SENTENCE_END.split(text.strip()):
        part = f"{pending} {part}".strip() if pending else part.strip()
        if not part:
            continue
        if len(part.split()) < SHORT:
            pending = part
            continue
        sentences.append(part)
        pending = ""
    if pending:
        sentences.append(pending)
    if len(sentences) <= 1:
        return [text.strip()]
    return [text.strip(), *sentences[: MAX_PASSAGES - 1]]


@dataclass(frozen=True)
class Piece:
    text: str
    hit: bool


def snippet(text: str, query: str, *, width: int = 220) -> list[Piece]:
    """A window of the text around its densest run of query words, the matching words marked."""
    wanted = set(stems(query))
    matches = [m for m in WORD.finditer(text) if stem(m.group().lower()) in wanted]
    start = 0
    if matches and len(text) > width:
        # The window that holds the most matches, starting at one of them (backed off to a word boundary).
        best = max(matches, key=lambda m: sum(m.start() <= o.start() < m.start() + width for o in matches))
        start = max(0, best.start() - width // 4)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end - 1].isspace():
        end += 1
    pieces: list[Piece] = [Piece("…", False)] if start > 0 else []
    cursor = start
    for m in matches:
        if m.start() < start or m.end() > end:
            continue
        if m.start() > cursor:
            pieces.append(Piece(text[cursor : m.start()], False))
        pieces.append(Piece(m.group(), True))
        cursor = m.end()
    if cursor < end:
        pieces.append(Piece(text[cursor:end].rstrip(), False))
    if end < len(text):
        pieces.append(Piece("…", False))
    return pieces
