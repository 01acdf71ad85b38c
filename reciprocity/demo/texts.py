"""Reflection texts for the demo practice, composed from parts so that no sentence is ever repeated."""

import random
from collections.abc import Sequence

PEOPLE = (
    "my partner",
    "my sister",
    "my teenage son",
    "my daughter",
    "my mother",
    "an old friend",
    "my neighbour",
    "a colleague",
    "my brother",
    "my father",
    "my best friend",
    "my niece",
)
MOMENTS = (
    "at dinner",
    "on the walk home",
    "this weekend",
    "on the train",
    "before bed",
    "over breakfast",
    "on Sunday",
    "in the car",
    "on the phone last night",
    "at the school gate",
    "in the garden",
    "while cooking",
)
TECHNIQUES = (
    "the flash-forward",
    "cognitive restructuring",
    "a grounding exercise",
    "the worry postponement",
    "paced breathing",
    "the safe-place imagery",
    "behavioural activation",
    "the chair work",
    "a thought record",
    "opposite action",
    "values clarification",
    "defusion from the thought",
)
CONCERNS = (
    "health anxiety",
    "grief",
    "a panic spiral",
    "perfectionism",
    "a looming deadline",
    "loneliness",
    "a hard diagnosis",
    "an old shame",
    "anger at a parent",
    "fear of failing",
    "a break-up",
    "sleeplessness",
)
FEELINGS = (
    "quietly proud",
    "moved",
    "hopeful",
    "humbled",
    "steadier",
    "lighter",
    "grateful",
    "awake",
    "curious",
    "tender",
    "clear-headed",
    "at ease",
)

GAVE_ME: dict[str, Sequence[str]] = {
    "empathy": (
        "Hearing the client describe {concern} helped me understand {person} better.",
        "I felt {feeling} seeing {concern} from the inside; it softened how I judge {person}.",
        "Sitting with {concern} today, I recognised something {person} has been carrying.",
        "The session on {concern} made me more patient with {person} {moment}.",
    ),
    "communication": (
        "I noticed how much a pause did today; I want to use it with {person} {moment}.",
        "Naming the rupture out loud worked, and I felt {feeling} about trying it with {person}.",
        "Reflecting back instead of fixing changed the whole session on {concern}.",
        "Reading the silence well today left me {feeling}; {person} deserves that attention too.",
    ),
    "reflection": (
        "Something about {concern} touched my own history; worth bringing to supervision.",
        "I caught my own reaction to {concern} early and felt {feeling} about that.",
        "Writing this down, I see a pattern in how I respond to {concern}.",
        "The session showed me where my training on {technique} still has gaps.",
    ),
    "fulfillment": (
        "The client described a breakthrough with {concern} and I felt {feeling}.",
        "Seeing {technique} finally land for this client reminded me why I do this.",
        "A small step on {concern} today, and I went home {feeling}.",
        "The client thanked me for the work on {concern}; I felt {feeling} all afternoon.",
    ),
    "resilience": (
        "We used {technique} for {concern}, and I realised it works on my own worries too.",
        "I tried {technique} on myself {moment} after teaching it today, and felt {feeling}.",
        "Guiding the client through {technique} steadied me as much as them.",
        "If {technique} helps with {concern}, it can help me with my own nights.",
    ),
    "destigmatizing": (
        "Talking so openly about {concern} made it easier to admit my own struggles to {person}.",
        "The client's courage about {concern} made me more willing to ask for help myself.",
        "I mentioned my own therapy to {person} {moment}, and it felt {feeling}.",
        "Normalising {concern} for the client reminded me it is normal for me too.",
    ),
    "boundaries": (
        "I ended on time even though the session on {concern} ran deep, and felt {feeling}.",
        "I left the notes at work and was fully present with {person} {moment}.",
        "Saying no to an extra session this week felt {feeling}, not guilty.",
        "I protected my lunch break and felt {feeling} by the session on {concern}.",
    ),
}

STRAINED = (
    "Hard to feel anything after the session on {concern}; I was running on empty.",
    "I kept thinking about {concern} {moment} and could not switch off.",
    "Too many heavy sessions in a row; {technique} felt mechanical today.",
    "I snapped at {person} {moment}; the session on {concern} was still with me.",
    "I noticed I was dreading the session on {concern}, which is new for me.",
    "I skipped lunch again and felt the session on {concern} in my body.",
    "Little left for {person} {moment} after a day of {concern}.",
)

CARRY_HOME = (
    "Try {technique} {moment} when my own mind races.",
    "Listen to {person} the way I listened today, without fixing.",
    "Use {technique} the next time {concern} shows up in my own life.",
    "Keep {moment} free of work and see how I feel.",
    "Tell {person} what I noticed about myself today.",
    "Remember that I felt {feeling} and that this work gives back.",
    "Book my own supervision before the week gets full, and practise {technique}.",
    "Be as patient with myself {moment} as I was with the client.",
)

OCCASION_TEXTS = {
    "supervision": (
        "Supervision helped me see my part in the stuck work on {concern}.",
        "My supervisor named the pull I feel towards rescuing; I felt {feeling} afterwards.",
        "Bringing the case on {concern} to supervision left me {feeling} and less alone.",
    ),
    "training": (
        "The training on {technique} gave me words for something I already do.",
        "Reading about {concern} today changed how I will open next week's sessions.",
        "The workshop on {technique} left me {feeling} and keen to practise.",
    ),
    "hard_day": (
        "A hard day: {concern} everywhere and nothing left for {person} {moment}.",
        "I cried on the way home {moment}; the day of {concern} was too much.",
        "Everything felt heavy today; I need to talk to someone about {concern}.",
    ),
}

_SLOTS = {
    "person": PEOPLE, "moment": MOMENTS, "technique": TECHNIQUES, "concern": CONCERNS, "feeling": FEELINGS,
}  # fmt: skip


class UniqueSentences:
    """Draws sentences from templates, never returning the same sentence twice."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def draw(self, templates: Sequence[str]) -> str:
        for _ in range(200):
            template = self.rng.choice(templates)
            sentence = template.format(**{slot: self.rng.choice(values) for slot, values in _SLOTS.items()})
            if sentence not in self.used:
                self.used.add(sentence)
                return sentence
        # Every combination of these templates is spent: fall back to the whole pool.
        return self.draw([t for group in (*GAVE_ME.values(), CARRY_HOME) for t in group])
