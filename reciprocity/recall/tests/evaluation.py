"""The labelled recall evaluation over the demo practice: everyday queries and the entries that answer them.

Two sets. KNOWN_ITEMS: one query per remembered entry (45), the entry being the one relevant answer —
"did search bring back the thing I wrote?". TOPICS: 33 queries about something coming back ("I can't
stop working in the evenings"), answered by every entry a therapist would be glad to see: hand-written
ones by a phrase only they contain, the demo's generated reflections by the template phrase they share
("I skipped lunch again" for "skipping meals at work"). Topic labels were written from the entries first,
then completed by pooling (as TREC does): the top six of every mode were read and what answered the
query was added, whichever mode had found it. Recall at 5 counts out of min(relevant, 5).

The queries avoid the entries' own wording where a person would ("googling symptoms" for a headache that
started a search). test_evaluation.py asserts the floors; bench/recall.py writes every figure to
docs/benchmarks.md.
"""

import re
from dataclasses import dataclass

from reciprocity.practice.models import User
from reciprocity.recall.models import Document
from reciprocity.recall.search import Mode, rank
from reciprocity.recall.sources import SOURCES

CUTOFF = 5


@dataclass(frozen=True)
class Case:
    user: str
    query: str
    relevant: tuple[tuple[str, str], ...]  # (kind, a regular expression found in each relevant entry's text)


REFLECTION, ITEM, TRIAL, CHECKIN = "reflection", "item", "trial", "checkin"

# Topics: what a therapist types when something comes back, answered by every entry they would be glad to see.
TOPICS = (
    Case(
        "robin",
        "health anxiety",
        (
            (ITEM, "The flash-forward works on my own health anxiety"),
            (REFLECTION, "At 3 am, waiting for scan results"),
            (TRIAL, "Waiting two weeks for scan"),
            (TRIAL, "A headache that would not go"),
            (CHECKIN, "A health scare this month"),
            (REFLECTION, "for health anxiety, and I realised it works on my own worries"),
            (REFLECTION, "helps with health anxiety, it can help me with my own"),
        ),
    ),
    Case(
        "robin",
        "I'm anxious about my health",
        (
            (ITEM, "The flash-forward works on my own health anxiety"),
            (CHECKIN, "A health scare this month"),
            (TRIAL, "A headache that would not go"),
            (REFLECTION, "At 3 am, waiting for scan results"),
            (TRIAL, "Waiting two weeks for scan"),
        ),
    ),
    Case(
        "robin",
        "waiting for medical test results and imagining the worst",
        (
            (TRIAL, "Waiting two weeks for scan"),
            (REFLECTION, "At 3 am, waiting for scan results"),
            (CHECKIN, "A health scare this month"),
            (ITEM, "The flash-forward works on my own health anxiety"),
            (CHECKIN, "Results were clear"),
        ),
    ),
    Case("robin", "googling symptoms", ((TRIAL, "A headache that would not go"),)),
    Case(
        "robin",
        "I can't sleep, lying awake at night",
        (
            (ITEM, "Sleep hygiene is not a luxury"),
            (CHECKIN, "lying awake replaying sessions"),
            (CHECKIN, "Slept properly"),
            (TRIAL, "Waiting two weeks for scan"),
            (REFLECTION, "helps with sleeplessness, it can help me with my own nights"),
        ),
    ),
    Case(
        "robin",
        "I worry all evening and can't stop",
        (
            (ITEM, "Scheduled worry time"),
            (TRIAL, "Churning over a client's risk"),
            (TRIAL, "Mind racing about"),
            (REFLECTION, "and could not switch off|my own worries too"),
            (REFLECTION, "I tried the worry postponement on myself"),
            (CHECKIN, "Can't switch off in the evenings"),
            (CHECKIN, "A health scare this month"),
            (REFLECTION, "worry postponement helps with .*my own nights"),
        ),
    ),
    Case(
        "robin",
        "ashamed to ask for help for myself",
        (
            (ITEM, "Going back to my own therapy"),
            (TRIAL, "Booked a first session with a therapist"),
            (REFLECTION, "easier to admit my own struggles"),
            (REFLECTION, "Told my supervisor about the months"),
            (REFLECTION, "I mentioned my own therapy to"),
            (REFLECTION, "I need to talk to someone about"),
        ),
    ),
    Case(
        "robin",
        "no energy at the weekend, everything feels flat",
        (
            (ITEM, "Behavioural activation when everything"),
            (TRIAL, "Weekends spent on the sofa"),
            (TRIAL, "A grey Sunday"),
            (CHECKIN, "Dreading Monday already"),
            (REFLECTION, "I was running on empty"),
        ),
    ),
    Case(
        "robin",
        "I think I'm burning out",
        (
            (REFLECTION, "Completely drained today"),
            (CHECKIN, "Dreading Monday already"),
            (REFLECTION, "I was running on empty"),
            (CHECKIN, "Can't switch off in the evenings"),
            (REFLECTION, "Told my supervisor about the months"),
            (TRIAL, "Weekends spent on the sofa"),
        ),
    ),
    Case("robin", "grieving my father's death", ((ITEM, "Grief comes in waves"),)),
    Case(
        "robin", "my supervisor helped me cut down my caseload", ((REFLECTION, "Told my supervisor about the months"),)
    ),
    Case(
        "robin",
        "enjoying the work again",
        (
            (REFLECTION, "A client's first good week in months"),
            (CHECKIN, "Good balance lately"),
            (REFLECTION, "The client thanked me for the work on"),
            (REFLECTION, "A small step on .* and I went home"),
            (REFLECTION, "described a breakthrough with"),
        ),
    ),
    Case(
        "robin",
        "exercise lifts my mood",
        (
            (CHECKIN, "running twice a week"),
            (TRIAL, "Weekends spent on the sofa"),
            (ITEM, "Behavioural activation when everything"),
            (TRIAL, "A grey Sunday"),
        ),
    ),
    Case(
        "robin",
        "crying on the way home",
        (
            (REFLECTION, "Completely drained today"),
            (REFLECTION, "I cried on the way home"),
        ),
    ),
    Case(
        "sam",
        "I can't stop working in the evenings",
        (
            (ITEM, "A shut-down ritual"),
            (TRIAL, "Answering emails at 10 pm"),
            (TRIAL, "Laptop open on the sofa"),
            (CHECKIN, "Working most evenings"),
            (ITEM, "Protect the lunch break"),
        ),
    ),
    Case(
        "sam",
        "checking email late at night",
        (
            (TRIAL, "Answering emails at 10 pm"),
            (ITEM, "A shut-down ritual"),
            (TRIAL, "Laptop open on the sofa"),
            (CHECKIN, "Working most evenings"),
        ),
    ),
    Case(
        "sam",
        "panic before seeing a client",
        (
            (ITEM, "Grounding with the five senses"),
            (TRIAL, "Heart pounding before"),
            (REFLECTION, "I noticed I was dreading the session on"),
        ),
    ),
    Case(
        "sam",
        "feeling numb with traumatised clients",
        (
            (ITEM, "Compassion fatigue is a warning"),
            (REFLECTION, "Sat in the car for twenty minutes"),
            (CHECKIN, "Feel numb in sessions"),
            (REFLECTION, "Hard to feel anything after the session"),
        ),
    ),
    Case(
        "sam",
        "I always say yes to extra work",
        (
            (ITEM, "Saying no without a long justification"),
            (TRIAL, "Asked to take two more clients"),
        ),
    ),
    Case(
        "sam",
        "skipping meals at work",
        (
            (ITEM, "Protect the lunch break"),
            (REFLECTION, "I skipped lunch again"),
            (REFLECTION, "I protected my lunch break"),
        ),
    ),
    Case("sam", "I lost my temper with my partner", ((REFLECTION, "I snapped at"),)),
    Case(
        "sam",
        "dreading going to work",
        (
            (REFLECTION, "Sat in the car for twenty minutes"),
            (CHECKIN, "dreading the week ahead"),
            (REFLECTION, "I noticed I was dreading the session on"),
            (ITEM, "Compassion fatigue is a warning"),
        ),
    ),
    Case(
        "sam",
        "exhausted and sleeping badly",
        (
            (CHECKIN, "Exhausted, sleeping badly"),
            (REFLECTION, "I was running on empty"),
            (REFLECTION, "(Little|nothing) left for"),
            (ITEM, "Compassion fatigue is a warning"),
        ),
    ),
    Case(
        "sam",
        "a course that inspired me",
        (
            (REFLECTION, "A day on motivational interviewing"),
            (REFLECTION, "The workshop on .* keen to practise"),
            (REFLECTION, "The training on .* gave me words"),
        ),
    ),
    Case(
        "sam",
        "too many referrals, my caseload is too big",
        (
            (TRIAL, "Asked to take two more clients"),
            (CHECKIN, "waiting list keeps growing"),
            (REFLECTION, "Too many heavy sessions in a row"),
            (ITEM, "Saying no without a long justification"),
        ),
    ),
    Case(
        "alex",
        "I redo my work over and over until it's perfect",
        (
            (ITEM, "Good enough is good enough"),
            (TRIAL, "Writing an assessment report"),
            (REFLECTION, "the next time perfectionism shows up in my own life"),
        ),
    ),
    Case(
        "alex",
        "talking with my teenage son",
        (
            (ITEM, "Reflective listening with my teenager"),
            (TRIAL, "My son came home upset"),
            (TRIAL, "An argument about screen time"),
            (REFLECTION, "my teenage son"),
        ),
    ),
    Case(
        "alex",
        "should I accept a promotion",
        (
            (ITEM, "Values before goals"),
            (TRIAL, "Deciding whether to take on"),
        ),
    ),
    Case(
        "alex",
        "beating myself up after a mistake",
        (
            (ITEM, "Self-compassion after a mistake"),
            (TRIAL, "Double-booked two clients"),
            (REFLECTION, "Be as patient with myself .* as I was with the client"),
        ),
    ),
    Case("alex", "grieving my father", ((REFLECTION, "My father's anniversary"),)),
    Case(
        "alex",
        "unsure about a clinical decision, asking colleagues",
        (
            (REFLECTION, "Peer consultation on a couple"),
            (REFLECTION, "to supervision left me .* less alone"),
            (REFLECTION, "Supervision helped me see my part"),
            (REFLECTION, "Something about grief touched my own history"),
            (REFLECTION, "the next time grief shows up in my own life"),
            (REFLECTION, "openly about grief made it easier"),
        ),
    ),
    Case(
        "alex",
        "time off helps me recharge",
        (
            (CHECKIN, "Fridays off are making"),
            (CHECKIN, "Well rested after the holiday"),
            (REFLECTION, "free of work and see how I feel"),
            (REFLECTION, "I left the notes at work"),
        ),
    ),
    Case(
        "alex",
        "why I love this job",
        (
            (ITEM, "Celebrating small wins"),
            (CHECKIN, "Felt proud of a client's progress"),
            (REFLECTION, "reminded me why I do this"),
            (REFLECTION, "this work gives back"),
            (REFLECTION, "described a breakthrough with"),
            (REFLECTION, "The client thanked me for the work on"),
        ),
    ),
)

# Known items: one query per remembered entry, in the words a therapist might use when the same thing
# comes back — the entry's own distinctive words avoided where a person would. The target is the one
# relevant entry; a sibling that tells the same episode (an item's try) counts as a miss, not a hit.
KNOWN_ITEMS = (
    Case(
        "robin",
        "imagining the future past the thing I fear, for my own worries about illness",
        ((ITEM, "The flash-forward works on my own health anxiety"),),
    ),
    Case("robin", "couldn't sleep while waiting to hear from the hospital", ((TRIAL, "Waiting two weeks for scan"),)),
    Case("robin", "looking up symptoms online for a headache", ((TRIAL, "A headache that would not go"),)),
    Case("robin", "giving my worries a fixed slot in the evening", ((ITEM, "Scheduled worry time"),)),
    Case(
        "robin",
        "couldn't stop thinking about a client at risk all evening",
        ((TRIAL, "Churning over a client's risk"),),
    ),
    Case("robin", "money worries about the practice keeping me up", ((TRIAL, "Mind racing about"),)),
    Case("robin", "why I went back to seeing a therapist myself", ((ITEM, "Going back to my own therapy"),)),
    Case(
        "robin",
        "finally making an appointment for my own therapy",
        ((TRIAL, "Booked a first session with a therapist"),),
    ),
    Case("robin", "doing small things before I feel motivated", ((ITEM, "Behavioural activation when everything"),)),
    Case("robin", "lying on the couch all weekend with no energy", ((TRIAL, "Weekends spent on the sofa"),)),
    Case("robin", "getting up at the same time every day to sleep better", ((ITEM, "Sleep hygiene is not a luxury"),)),
    Case("robin", "grief doesn't happen in neat stages", ((ITEM, "Grief comes in waves"),)),
    Case(
        "robin",
        "used the exercise I teach on myself in the middle of the night",
        ((REFLECTION, "At 3 am, waiting for scan"),),
    ),
    Case(
        "robin",
        "so exhausted after back-to-back risk assessments that I broke down",
        ((REFLECTION, "Completely drained today"),),
    ),
    Case(
        "robin",
        "my supervisor reduced my number of clients for the summer",
        ((REFLECTION, "Told my supervisor about the"),),
    ),
    Case(
        "robin", "felt real joy when a client had a good week", ((REFLECTION, "A client's first good week in months"),)
    ),
    Case("robin", "dreading Monday all weekend", ((CHECKIN, "Dreading Monday already"),)),
    Case("robin", "worried about my body while waiting for test results", ((CHECKIN, "A health scare this month"),)),
    Case("robin", "feeling lighter since starting therapy again", ((CHECKIN, "Back in my own therapy"),)),
    Case("robin", "exercising twice a week keeps me balanced", ((CHECKIN, "running twice a week"),)),
    Case("sam", "a ritual to finish work and close the laptop", ((ITEM, "A shut-down ritual"),)),
    Case("sam", "replying to emails at ten at night", ((TRIAL, "Answering emails at 10 pm"),)),
    Case("sam", "naming things I can see and hear to calm down", ((ITEM, "Grounding with the five senses"),)),
    Case("sam", "heart racing before seeing a threatening client", ((TRIAL, "Heart pounding before"),)),
    Case(
        "sam",
        "signs of compassion fatigue like numbness and irritability",
        ((ITEM, "Compassion fatigue is a warning"),),
    ),
    Case(
        "sam", "turning down extra clients without over-explaining", ((ITEM, "Saying no without a long justification"),)
    ),
    Case("sam", "I never take a lunch break", ((ITEM, "Protect the lunch break"),)),
    Case("sam", "short-tempered with my partner after work", ((REFLECTION, "I snapped at my partner over nothing"),)),
    Case("sam", "sitting in the car park not wanting to go in", ((REFLECTION, "Sat in the car for twenty minutes"),)),
    Case("sam", "came home full of ideas after a course", ((REFLECTION, "A day on motivational interviewing"),)),
    Case("sam", "numb in sessions and irritable at home", ((CHECKIN, "Feel numb in sessions"),)),
    Case("sam", "sleeping badly and afraid I'm burning out", ((CHECKIN, "Exhausted, sleeping badly"),)),
    Case("sam", "evenings taken over by work as the waiting list grows", ((CHECKIN, "Working most evenings"),)),
    Case("alex", "sending the second draft instead of polishing forever", ((ITEM, "Good enough is good enough"),)),
    Case("alex", "rewriting a report again and again", ((TRIAL, "Writing an assessment report"),)),
    Case("alex", "listening to my son instead of giving advice", ((ITEM, "Reflective listening with my teenager"),)),
    Case("alex", "my son opened up when I just reflected back", ((TRIAL, "My son came home upset"),)),
    Case("alex", "what I want my working days to stand for", ((ITEM, "Values before goals"),)),
    Case("alex", "turned down a management job to keep Fridays", ((TRIAL, "Deciding whether to take on"),)),
    Case("alex", "talking to myself kindly like a friend would", ((ITEM, "Self-compassion after a mistake"),)),
    Case("alex", "I double-booked clients and felt terrible", ((TRIAL, "Double-booked two clients"),)),
    Case("alex", "visiting my dad's grave on the anniversary", ((REFLECTION, "My father's anniversary"),)),
    Case(
        "alex", "colleagues disagreeing kindly about a couple's case", ((REFLECTION, "Peer consultation on a couple"),)
    ),
    Case("alex", "having Fridays off is helping", ((CHECKIN, "Fridays off are making"),)),
    Case("alex", "proud of how a client is doing", ((CHECKIN, "Felt proud of a client's progress"),)),
)


Texts = dict[tuple[int, str], list[tuple[int, str]]]  # (owner, kind) -> each entry's (pk, text)


def matching_entries(case: Case, texts: Texts) -> dict[str, list[int]]:
    """The ids of the entries whose text matches a case's patterns, by kind.

    `texts` keeps the entries' texts read for earlier cases, so a run over many cases decrypts each entry once."""
    owner = User.objects.get(username=case.user)
    matches: dict[str, list[int]] = {}
    for kind, pattern in case.relevant:
        if (owner.pk, kind) not in texts:
            source = SOURCES[kind]
            texts[owner.pk, kind] = [(obj.pk, source.text(obj)) for obj in source.owned_by(owner.pk)]
        matches.setdefault(kind, []).extend(pk for pk, text in texts[owner.pk, kind] if re.search(pattern, text))
    return matches


def relevant_documents(case: Case, texts: Texts | None = None) -> set[int]:
    """The document ids of a case's relevant entries; ValueError when the case has none at all."""
    matches = matching_entries(case, {} if texts is None else texts)
    found = {
        pk
        for kind, ids in matches.items()
        for pk in Document.objects.filter(kind=kind, object_id__in=ids).values_list("pk", flat=True)
    }
    if not found:
        raise ValueError(f"{case.user}: nothing answers {case.query!r}")
    return found


@dataclass(frozen=True)
class Scores:
    mode: str
    recall_at_5: float
    mrr: float
    per_case: tuple[tuple[str, float, float], ...]  # (query, recall@5, reciprocal rank)


def evaluate(mode: Mode, cases: tuple[Case, ...] = KNOWN_ITEMS, **options: bool) -> Scores:
    owners = {u.username: u.pk for u in User.objects.filter(username__in={c.user for c in cases})}
    per_case = []
    texts: Texts = {}
    for case in cases:
        relevant = relevant_documents(case, texts)
        ranking = rank(owners[case.user], case.query, mode=mode, **options).ids
        # Recall at 5 of at most 5: a query with eight relevant entries is fully answered by five of them.
        found = len(relevant & set(ranking[:CUTOFF]))
        first = next((n for n, pk in enumerate(ranking, start=1) if pk in relevant), None)
        per_case.append((case.query, found / min(len(relevant), CUTOFF), 1 / first if first else 0.0))
    return Scores(
        mode=mode,
        recall_at_5=sum(r for _, r, _ in per_case) / len(per_case),
        mrr=sum(m for _, _, m in per_case) / len(per_case),
        per_case=tuple(per_case),
    )
