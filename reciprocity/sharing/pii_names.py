"""Personal names in a text: from name lists of many countries, and from the words around a name.

- A capitalised word is a name when it is a first name in one of three lists shipped in PyPI packages —
  the US census lists (`names`), the per-country first names of `faker`'s person providers (Latin script
  only) and the dictionary of `gender-guesser` — unless it is also an everyday word (a hand-kept list,
  then English word frequency from `wordfreq`) or a theorist, eponym, brand or story figure (pii_words.py).
  A listed name that is also a common word, or a word no list knows and English hardly uses, is a name
  where only a proper noun is capitalised: mid-sentence, not after an article, a possessive or a place's
  preposition.
- A name that is also a word (Hope, Justice) is a name where a person acts ("Hope said", "Hope's"), after
  a relation ("her daughter Hope"), or after a verb mid-sentence ("rescue Hope").
- A capitalised word that is rare in English is a name when the words around it say it is a person: a
  relation or role before it, a verb of speech or action after it, a possessive, an appositive comma or
  bracket, "___ and <a name>", a nickname in brackets after a name, a surname of the lists before another
  capitalised word.
- A name followed by a capitalised word that is not an everyday word (or a short particle) takes it in.
Each rule reads at most 60 characters around the word, so a check grows with the text, not its square.
"""

import importlib
import pkgutil
import re
from functools import cache
from pathlib import Path

from reciprocity.sharing.pii_words import (
    AMBIGUOUS,
    GROUPS,
    MONTHS,
    NOT_PEOPLE,
    NOT_PEOPLE_PHRASES,
    PERSON_AFTER,
    PERSON_BEFORE,
    STARTERS,
    WEEKDAYS,
)

WORD = re.compile(r"\b[^\W\d_][^\W\d_'’]*(?:['’][^\W\d_]+)?(?:-[^\W\d_]+)*")  # then: capitalised, not all capitals
POSSESSIVE = re.compile(r"['’]s?$")
SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"“(—–]\s*)$")
INNER_CAPITAL = re.compile(r"(?:Mc|Mac|O['’]|D['’]|De|Di|Da|La|Le|Van|Von|St)[A-Z]|[^\W\d_]+-[A-Z]")
LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-ɏḀ-ỿ'’-]+$")
EVERYDAY = 3.6  # Zipf frequency in English at or above which a listed first name is read as a word
RARE = 3.3  # below it an unlisted capitalised word may be a name, when the words around it say so
WORDLIKE = re.compile(  # endings of English words, not of names
    r"(?:ness|ment|tion|sion|ism|isms|ity|ology|ish|ese|(?:shire|s|ch|sh)man|(?:shire|s|ch|sh)men|woman|women|ful|"
    r"less|ship|hood|able|ible|ics)$"
)
BEFORE = re.compile(rf"\b(?:{'|'.join(PERSON_BEFORE)})\s*[,(]?\s*[\"“']?$", re.IGNORECASE)
KIN = frozenset(PERSON_BEFORE)
PLACED = re.compile(  # before a place, not a person: "left Herat,", "raised her in Mandeville and"
    r"\b(?:in|from|to|at|near|into|outside|across|around|left|visited|via|of|on|towards|through)\s+(?:the\s+)?$"
)
IN_A_PLACE = re.compile(r"\b(?:in|at|near|into|outside|across|around|via|on|towards|through)\s+(?:the\s+)?$")
# "a Karen", "the Hope Centre", "like Jenga", "her Diné family": a name does not stand there.
ARTICLE = re.compile(
    r"\b(?:[Aa]n?|[Tt]he|[Aa] total|[Aa] bit of a|[Tt]otal|[Hh]er|[Hh]is|[Tt]heir|[Mm]y|[Oo]ur|[Yy]our)\s+$"
)
AFTER_A_VERB = re.compile(r"\b(?!(?:and|or|the|a|an|of|in|to|as|but|nor|than|like)\b)[a-z]{2,}\s+$")
# After a name that is also a word, at the start of a sentence: what only a person does ("Justice told me").
PERSON_VERB = re.compile(
    r"^(?:\s*\(|\s*,\s*(?:who|aged?|\d|(?:his|her|their|my|our)\s+(?:daughter|son|wife|husband|partner|mother|"
    r"father|mum|dad|sister|brother|aunt|aunty|uncle|cousin|niece|nephew|grandmother|grandfather|friend|boss)\b)|"
    r"\s+and\s+(?:his|her|their)\b|['’]s\b|\s+(?:told|tells|said|says|asked|asks|"
    r"rang|rings|phoned|texted|emailed|arrived|turned|cried|came(?!\s+(?:up|back))|brought|wants|wanted|laughed|cancelled|missed|"
    r"reckons|thinks|feels|felt|described|describes|spoke|talked|admitted|agreed|refused|left|moved|lives|lived|"
    r"works|worked|goes|went|sent|wrote|called|calls|is\s+\d|was\s+\d)\b)"
)
VERY_RARE = 2.5  # below it a capitalised word that no list knows is read as a name wherever a name can stand
COMPOUND = re.compile(r"-(?:speaking|born|based|raised|educated|affirming|friendly|led|focused|informed|style)$")
NOT_A_PERSON = re.compile(
    "|".join(rf"\b{re.escape(p)}" for p in NOT_PEOPLE_PHRASES)
    + r"|\b[A-Z][\w-]+['’]s\s+(?:disease|syndrome|palsy|law|theory|hierarchy|model|triangle|test|inventory|scale|"
    r"stages|method|phenomenon|paradox|razor|principle|effect|sign|reflex|ulcer|cyst|tumou?r)\b",
    re.IGNORECASE,
)
# After a rare word, a person: "'s", an appositive comma or bracket, a verb of speech or action ("___ reckons").
AFTER = re.compile(
    rf"^(?:['’]s?\b|\s*[,(]|\s+(?:{'|'.join(PERSON_AFTER)})\b|\s+[a-z]{{3,}}ed\b(?!\s+of\b)|\s+family\b)"
)


@cache
def _census(file: str) -> frozenset[str]:
    import names

    path = Path(names.__file__).parent / file
    return frozenset(line.split()[0].lower() for line in path.read_text().splitlines() if line.strip())


def census_first_names() -> frozenset[str]:
    return _census("dist.male.first") | _census("dist.female.first")


FIRST = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")


@cache
def _faker_names(attributes: tuple[str, ...]) -> frozenset[str]:
    import faker.providers.person as person

    found: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"{person.__name__}.{module.name}"), "Provider", None)
        for attribute in attributes:
            value = getattr(provider, attribute, None)
            if isinstance(value, dict | list | tuple | set | frozenset):
                found.update(n.lower() for n in value if LATIN.match(n))
    return frozenset(found)


@cache
def _dictionary_first_names() -> frozenset[str]:
    import gender_guesser.detector

    return frozenset(n for n in gender_guesser.detector.Detector(case_sensitive=False).names if LATIN.match(n))


@cache
def first_names() -> frozenset[str]:
    return census_first_names() | _faker_names(FIRST) | _dictionary_first_names()


@cache
def surnames() -> frozenset[str]:
    return _census("dist.all.last") | _faker_names(("last_names",))


@cache
def frequency(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _bare(word: str) -> str:
    return POSSESSIVE.sub("", word).lower()


def is_everyday(word: str) -> bool:
    bare = _bare(word)
    return bare in AMBIGUOUS or bare in NOT_PEOPLE or bare in STARTERS or frequency(bare) >= EVERYDAY


LISTED_EVERYDAY = 4.3  # a listed first name rarer than this is a name when capitalised mid-sentence
WORD_NAMES = frozenset(  # names that are everyday words: names mid-sentence, or where a person acts
    w for w in AMBIGUOUS if len(w) > 2 and w.isalpha() and w not in KIN and w.removesuffix("s") not in WEEKDAYS
    and w not in {*MONTHS, *WEEKDAYS, "god", "allah", "lord", "jesus", "christ", "baby", "the", "and", "are", "his",
                  "her", "our", "all", "any", "can", "did", "has", "had", "let", "see", "sat", "set", "way", "day",
                  "else", "love", "unique", "young", "long", "king", "major", "price", "royal", "wood", "hall",
                  "page", "star", "rock", "storm", "chase", "lucky", "misty", "summer", "autumn", "winter", "art",
                  "sky", "max", "rich", "guy", "van", "well", "wells", "lane", "ward", "dean", "miles", "paris",
                  "victory", "essence", "destiny", "harmony", "sterling", "gay", "den", "dot", "han", "mae", "mai",
                  "daddy", "mummy", "mommy", "mum", "mom", "dad", "nan", "gran", "nana", "granny", "grandma",
                  "grandpa", "papa", "mama", "baba", "sister", "brother"}
)  # fmt: skip


def _is_rare(word: str) -> bool:
    """Not an English word, by its frequency and its ending: perhaps a name."""
    bare = _bare(word)
    return len(bare) > 1 and not is_everyday(word) and frequency(bare) < RARE and not WORDLIKE.search(bare)


def _is_known(word: str) -> bool:
    """A first name of the lists that is not also an everyday word; a compound of listed names ("Mary-Kate")."""
    bare = _bare(word)
    if bare in AMBIGUOUS or bare in NOT_PEOPLE:
        return False
    if "-" in bare:
        return all(part in first_names() or part in surnames() for part in bare.split("-"))
    listed = bare in first_names() and frequency(bare) < EVERYDAY and len(bare) > 2
    return bare in census_first_names() or listed


def _acronym(word: str) -> bool:
    """All capitals, or capitals inside ("SUDs", "iPhone"), as names are not: McAllister and O'Neill aside."""
    inner = sum(c.isupper() for c in word[1:])
    return word.isupper() or (inner > 0 and not INNER_CAPITAL.match(word))


def find_names(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every personal name found, a first name and its surname as one."""
    masked = [range(m.start(), m.end()) for m in NOT_A_PERSON.finditer(text)]
    words = [
        w
        for w in WORD.finditer(text)
        if w.group()[0].isupper() and not _acronym(w.group()) and not any(w.start() in r for r in masked)
    ]
    people = [False] * len(words)
    for n, match in enumerate(words):
        word, start, end = match.group(), match.start(), match.end()
        before, after = text[max(0, start - 60) : start], text[end : end + 60]  # what stands around it
        at_start = bool(SENTENCE_START.search(before))
        rare = _is_rare(word)
        bare = _bare(word)
        after_place, after_article = bool(PLACED.search(before)), bool(ARTICLE.search(before))
        known = _is_known(word) and not (at_start and bare in STARTERS)
        kin_before = bool(BEFORE.search(before)) and bare in first_names()  # "aunty Mere", "her sister Rose"
        in_a_place = bool(IN_A_PLACE.search(before))
        known = known and not after_article and not (in_a_place and bare not in census_first_names())
        # A listed name that is also a common word reads as a name where only a proper noun is capitalised.
        starts_acting = at_start and (PERSON_VERB.match(after) or POSSESSIVE.search(word))
        listed = bare in first_names() and frequency(bare) < LISTED_EVERYDAY and (not at_start or starts_acting)
        listed = listed and bare not in NOT_PEOPLE and not in_a_place and not after_article
        word_name = (bare in WORD_NAMES or bare in GROUPS) and not after_place and not after_article
        acts = bool(PERSON_VERB.match(after)) or bool(POSSESSIVE.search(word))
        word_name = word_name and (acts or (not at_start and bool(AFTER_A_VERB.search(before))))
        unknown = frequency(bare) < VERY_RARE and not at_start and not after_place and not after_article
        unknown = unknown and bare not in NOT_PEOPLE and not WORDLIKE.search(bare) and len(bare) > 2
        placed = rare and len(bare) > 2
        placed = placed and (
            BEFORE.search(before) or (AFTER.match(after) and not after_place) or POSSESSIVE.search(word)
        )
        related = _bare(word) not in STARTERS and _bare(word) not in KIN and _bare(word) not in AMBIGUOUS
        related = related and not is_everyday(word) and BEFORE.search(before)
        named_like_a_word = _bare(word) in AMBIGUOUS or _bare(word) in GROUPS  # "cousin Shona", "her son Will"
        related = related or (named_like_a_word and _bare(word) not in KIN and BEFORE.search(before))
        nickname = n > 0 and people[n - 1] and text[words[n - 1].end() : start] in (" (", " ('", " (“", " — ", " – ")
        nickname = nickname and not is_everyday(word)
        surname_first = rare and _bare(word) in surnames() and n + 1 < len(words) and text[end:].startswith(" ")
        surname_first = surname_first and words[n + 1].start() == end + 1 and not in_a_place
        found = known or placed or related or surname_first or nickname or listed or word_name or unknown or kin_before
        last = word.rsplit("-", 1)[-1]  # "Post-session", "Hokkien-speaking" — but not "Ji-woo"
        compound = "-" in word and last.islower() and frequency(last) >= LISTED_EVERYDAY
        people[n] = bool(found) and not compound and bare not in KIN and bare not in NOT_PEOPLE
    for n in range(len(words)):  # "X and Y": a rare word beside a name is a name too
        joined = [m for m in (n - 1, n + 1) if 0 <= m < len(words) and people[m]]
        gap = [text[words[m].end() : words[n].start()] if m < n else text[words[n].end() : words[m].start()]
               for m in joined]  # fmt: skip
        near = not people[n] and any(g in (" and ", " & ", " or ") for g in gap)
        if near and (_is_rare(words[n].group()) or frequency(_bare(words[n].group())) < EVERYDAY):
            people[n] = True
    spans: list[tuple[int, int]] = []
    n = 0
    while n < len(words):
        if not people[n]:
            n += 1
            continue
        start, end = words[n].start(), words[n].end()
        while n + 1 < len(words) and text[end : words[n + 1].start()] == " " and not POSSESSIVE.search(text[:end]):
            following = words[n + 1].group()
            if not (people[n + 1] or not is_everyday(following) or len(following) <= 3):
                break
            n += 1
            end = words[n].end()
        spans.append((start, end))
        n += 1
    return spans
