"""Word lists the PII guard reads: what is not a person, and the words around a person."""

_MONTH_WORDS = "january february march april may june july august september october november december"
_MONTH_SHORT = "jan feb mar apr jun jul aug sep sept oct nov dec"
MONTHS = (_MONTH_WORDS + " " + _MONTH_SHORT).split()
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

# First names that are also everyday words: a name only when a relation comes before ("her son Will").
_AMBIGUOUS = (
    "may june april august will bill hope faith grace joy rose mark art jack pat sue dawn eve rich frank "
    "rob ray guy max sky summer autumn winter page chase hunter angel star ruby amber jade iris ivy lily "
    "daisy holly heather violet sage penny cliff dean don gene jean lane lee young long king hall wood "
    "carol christian colt crystal destiny ebony essence gay gill glen harmony honey justice kay love "
    "lucky major mercy miles misty paris patience pearl precious price rock royal sandy shirley "
    "sonny sterling storm sunny tanner trinity unique van victory wade ward warren wells an ann in "
    "is or so to my me we he us it on at as be by do go no of up the and are his her our all any can did "
    "has had let see sat set way day den dot else ed em ella ha hal la le lu ma mae mai mo ok pa ta tu ty "
    "val vi wan yu tom rusty skip tim ted bud buck chip dick daddy mummy mommy mum mom dad nan gran nana "
    "granny grandma grandpa papa mama baba "
    "baby sister brother god allah lord jesus christ charity blessing precious angel "
)
AMBIGUOUS = frozenset([*_AMBIGUOUS.split(), *MONTHS, *WEEKDAYS, *(d + "s" for d in WEEKDAYS)])

# Capitalised words that name no one here: theorists and clinicians a therapist cites, eponymous conditions
# and tests, figures of stories and myth, holidays, brands and platforms.
_NOT_PEOPLE = (
    "freud freudian jung jungian adler adlerian klein kleinian winnicott winnicottian bowlby ainsworth "
    "rogers rogerian yalom linehan beck ellis perls erikson piaget maslow kohut bion lacan lacanian horney "
    "fromm frankl satir minuchin bateson gottman perel siegel porges kolk levine ogden shapiro hayes "
    "kabat-zinn neff gilbert kübler-ross kubler-ross bowen mahler kernberg fonagy bateman ryle mearns "
    "egan hawkins shohet rothschild herman briere schwartz greenberg johnson safran muran stolorow "
    "casement malan davanloo mcwilliams gabbard benjamin stern tronick beebe schore cozolino wallin "
    "parkinson parkinson's alzheimer alzheimer's asperger asperger's tourette tourette's crohn crohn's "
    "huntington huntington's munchausen korsakoff capgras cotard graves addison addison's cushing "
    "cushing's rett prader-willi hodgkin hodgkin's wernicke broca hashimoto hashimoto's raynaud "
    "stockholm oedipus oedipal electra socratic socrates gestalt napoleon cinderella pan narcissus "
    "sisyphus achilles pandora peter-pan karpman maslow's yerkes-dodson dunning-kruger rorschach likert "
    "christmas easter ramadan eid diwali hanukkah passover thanksgiving halloween lent advent shabbat "
    "sabbath kippur nowruz navratri vesak holi "
    "instagram tiktok snapchat facebook whatsapp discord steam reddit linkedin youtube twitter telegram "
    "signal zoom teams google gmail outlook netflix spotify amazon tesco uber deliveroo myers-briggs "
    "mirena prozac xanax valium ritalin adderall zoloft lexapro wellbutrin seroquel concerta elvanse "
    "fitbit iphone android kindle peloton strava duolingo headspace calm lego barbie disney pixar marvel "
    "ozempic wegovy diazepam sertraline citalopram fluoxetine mirtazapine venlafaxine quetiapine "
    "olanzapine lithium "
    "medusa zeus athena hermes apollo venus odin thor loki persephone demeter orpheus eurydice icarus "
    "prometheus odysseus hercules hamlet macbeth romeo eeyore tigger pooh gollum voldemort dumbledore "
    "superman batman sherlock dracula frankenstein scrooge pinocchio rapunzel bambi shrek yoda vader "
    "buddha krishna ganesh"
)

# Nationalities, peoples, languages, faiths and star signs: capitalised, never a person's name here.
_GROUPS = (
    "irish scottish welsh english british american african asian european caribbean indian pakistani "
    "bangladeshi chinese japanese korean vietnamese filipino thai polish romanian ukrainian russian german "
    "french spanish italian portuguese greek turkish kurdish persian iranian iraqi syrian lebanese "
    "egyptian moroccan somali ethiopian eritrean nigerian ghanaian kenyan ugandan zimbabwean jamaican "
    "brazilian mexican colombian peruvian chilean argentinian cuban canadian australian maori māori "
    "samoan tongan fijian nordic norwegian swedish danish finnish icelandic dutch belgian swiss austrian "
    "hungarian czech slovak serbian croatian bosnian albanian jewish muslim christian catholic protestant "
    "anglican methodist baptist orthodox hindu sikh buddhist quaker mormon pagan atheist arabic hebrew "
    "urdu hindi punjabi bengali tamil gujarati swahili yoruba igbo amharic tigrinya gaelic cantonese "
    "mandarin latino latina latinx black white indigenous aboriginal roma traveller "
    "aries taurus gemini cancer leo virgo libra scorpio sagittarius capricorn aquarius pisces "
    "tagalog filipino farsi dari pashto twi wolof lingala shona zulu xhosa sesotho setswana malay bahasa "
    "javanese lao khmer burmese nepali sinhala uzbek kazakh mongolian quechua creole patois yiddish ladino "
    "catalan basque galician breton cornish manx sami sámi inuit kazakh afrikaans kyrgyz tajik turkmen "
    "uyghur tibetan nepalese sri lankan "
    "roblox minecraft fortnite xbox playstation nintendo twitch tinder hinge bumble grindr insta fb snap "
    "gofundme powerpoint youtube whatsapp linkedin facetime imessage onedrive chatgpt openai wordle duolingo "
    "uno monopoly scrabble tetris candy crush sudoku ipad ipod kindle alexa siri "
    "ehlers-danlos guillain-barré guillain-barre creutzfeldt-jakob wolff-parkinson-white sjögren sjogren "
    "ménière meniere kaufman tomkins nathanson supervisee supervisees supervisor trainee locum therapist "
    "counsellor counselor clinician registrar psychologist psychiatrist keyworker mentee eircode gamertag "
    "whānau whanau koro kuia hapū hapu iwi marae korowai heathcliff gatsby jenga bluey peppa "
    "cariad habibi habibti mija mijo cariño schatz bubba hun babe bibi nani dadi ammi abbu "
    "bluesky lamictal wechat weibo line kakao viber epston dbt cbt act emdr mbt cft eft ifs aa na "
    "pākehā pakeha palangi mzungu gringo gaijin goy"
)

# Expressions whose words are names but that name no one here.
NOT_PEOPLE_PHRASES = (
    "Esther Perel",
    "Brené Brown",
    "Brene Brown",
    "Irvin Yalom",
    "Carl Rogers",
    "Sigmund Freud",
    "Anna Freud",
    "Carl Jung",
    "Melanie Klein",
    "Donald Winnicott",
    "John Bowlby",
    "Mary Ainsworth",
    "Aaron Beck",
    "Judith Beck",
    "Marsha Linehan",
    "Fritz Perls",
    "Viktor Frankl",
    "Bessel van der Kolk",
    "Peter Levine",
    "Kristin Neff",
    "Paul Gilbert",
    "Daniel Siegel",
    "Dan Siegel",
    "Stephen Porges",
    "Jon Kabat-Zinn",
    "Sue Johnson",
    "Susan Johnson",
    "John Gottman",
    "Julie Gottman",
    "Virginia Satir",
    "Alice Miller",
    "Karen Horney",
    "Erich Fromm",
    "Eric Berne",
    "Albert Ellis",
    "Jacques Lacan",
    "Wilfred Bion",
    "Heinz Kohut",
    "Otto Kernberg",
    "Peter Fonagy",
    "Judith Herman",
    "Pat Ogden",
    "Francine Shapiro",
    "Steven Hayes",
    "Richard Schwartz",
    "Elisabeth Kübler-Ross",
    "Gabor Maté",
    "Alfred Adler",
    "Abraham Maslow",
    "Erik Erikson",
    "Jean Piaget",
    "Harry Stack Sullivan",
    "Nancy McWilliams",
    "Irvin D. Yalom",
    "Thich Nhat Hanh",
    "Tara Brach",
    "Pema Chödrön",
    "Byron Katie",
    "Louise Hay",
    "Jordan Peterson",
    "Oprah Winfrey",
    "Princess Diana",
    "Taylor Swift",
    "Mary Poppins",
    "Serenity Prayer",
    "Miss Havisham",
    "Dr. Google",
    "Dr Google",
    "Sister Act",
    "Tooth Fairy",
    "Marcus Aurelius",
    "Bob Marley",
    "Mr Darcy",
    "Mr. Darcy",
    "Mr Rogers",
    "Mrs Doubtfire",
    "Mr Men",
    "Mr Bean",
    "Dr Phil",
    "Dr Seuss",
    "Dr Who",
    "Doctor Who",
    "Mother Nature",
    "Father Time",
    "Lady Macbeth",
    "Lady Gaga",
    "Sherlock Holmes",
    "Harry Potter",
    "Peter Rabbit",
    "Winnie the Pooh",
    "Tiny Tim",
    "Prince Charming",
    "Snow White",
    "Murray Bowen",
    "Jessica Benjamin",
    "Ronald Fairbairn",
    "Michael Balint",
    "Harry Guntrip",
    "Nancy Chodorow",
    "Carol Gilligan",
    "Christopher Bollas",
    "Adam Phillips",
    "Susie Orbach",
    "Internal Family Systems",
    "Compassion Focused Therapy",
    "Emotionally Focused Therapy",
    "Dialectical Behaviour Therapy",
    "Dialectical Behavior Therapy",
    "Acceptance and Commitment Therapy",
    "Narrative Exposure Therapy",
    "Sensorimotor Psychotherapy",
    "Somatic Experiencing",
    "Schema Therapy",
    "Cognitive Analytic Therapy",
    "Mentalization-Based Treatment",
    "Family Constellations",
    "Gottman Method",
    "Rosh Hashanah",
    "Yom Kippur",
    "Matariki",
    "Chinese New Year",
    "Lunar New Year",
    "Mother Teresa",
    "Father Christmas",
    "Valentine's Day",
    "Mother's Day",
    "Father's Day",
    "St Patrick's Day",
    "Good Friday",
    "Black Friday",
    "Boxing Day",
    "Bonfire Night",
    "Burns Night",
    "Peter Pan",
    "Victoria sponge",
    "Ben & Jerry's",
    "Ben and Jerry's",
    "Jack Daniel's",
    "Tom and Jerry",
    "Mickey Mouse",
    "Santa Claus",
    "Father Christmas",
    "Big Ben",
    "Holy Spirit",
    "Virgin Mary",
    "Bloody Mary",
    "Jane Doe",
    "John Doe",
    "Joe Bloggs",
    "Bob's your uncle",
    "Freudian slip",
    "Rosetta Stone",
)
GROUPS = frozenset(_GROUPS.split())
NOT_PEOPLE = frozenset([*_NOT_PEOPLE.split(), *GROUPS])

# Capitalised at the start of a sentence these are not names.
STARTERS = frozenset(
    [
        "an",
        "so",
        "see",
        "said",
        "sat",
        "then",
        "today",
        "when",
        "while",
        "after",
        "before",
        "during",
        "supervision",
        "session",
        "sessions",
        "client",
        "clients",
        "reflection",
        "question",
        "note",
        "notes",
    ]
)

# Words that, just before a capitalised word, say it is a person: "her daughter ___", "my client ___".
PERSON_BEFORE = (
    "aunty",
    "cousin",
    "brother-in-law",
    "sister-in-law",
    "mother-in-law",
    "father-in-law",
    "son-in-law",
    "daughter-in-law",
    "stepdad",
    "stepmum",
    "stepmom",
    "grandad",
    "granddad",
    "maiden name",
    "surname",
    "née",
    "nee",
    "godmother",
    "calls her",
    "calls him",
    "calling her",
    "calling him",
    "call her",
    "call him",
    "godfather",
    "goddaughter",
    "godson",
    "son",
    "sons",
    "daughter",
    "daughters",
    "wife",
    "husband",
    "partner",
    "ex",
    "ex-wife",
    "ex-husband",
    "ex-partner",
    "sister",
    "sisters",
    "brother",
    "brothers",
    "mother",
    "father",
    "mum",
    "mom",
    "dad",
    "stepmother",
    "stepfather",
    "stepson",
    "stepdaughter",
    "aunt",
    "auntie",
    "uncle",
    "nephew",
    "niece",
    "cousin",
    "grandson",
    "granddaughter",
    "grandmother",
    "grandfather",
    "grandma",
    "grandpa",
    "nan",
    "granny",
    "boyfriend",
    "girlfriend",
    "fiancé",
    "fiancée",
    "friend",
    "boss",
    "manager",
    "colleague",
    "client",
    "eldest",
    "youngest",
    "baby",
    "twin",
    "twins",
    "child",
    "children",
    "kids",
    "teacher",
    "named",
    "called",
    "widow",
    "widower",
    "carer",
    "neighbour",
    "neighbor",
    "flatmate",
    "sibling",
)

# Words that, just after a rare capitalised word, say it is a person: "___ said", "___ works at".
PERSON_AFTER = (
    "said",
    "says",
    "told",
    "tells",
    "asked",
    "asks",
    "cried",
    "cries",
    "wants",
    "wanted",
    "brought",
    "brings",
    "described",
    "describes",
    "came",
    "comes",
    "has",
    "had",
    "is",
    "was",
    "works",
    "worked",
    "teaches",
    "taught",
    "volunteers",
    "lives",
    "lived",
    "left",
    "feels",
    "felt",
    "thinks",
    "thought",
    "believes",
    "wrote",
    "writes",
    "sent",
    "sends",
    "called",
    "calls",
    "phoned",
    "texted",
    "talked",
    "talks",
    "spoke",
    "speaks",
    "mentioned",
    "admitted",
    "insists",
    "insisted",
    "refuses",
    "refused",
    "arrived",
    "missed",
    "cancelled",
    "canceled",
    "moved",
    "married",
    "died",
    "and",
    "who",
    "keeps",
    "kept",
    "still",
    "never",
    "always",
    "seems",
    "seemed",
    "looked",
    "looks",
    "laughed",
    "smiled",
    "turned",
    "turns",
    "reckons",
    "emailed",
    "messaged",
    "rang",
    "rings",
    "runs",
    "ran",
    "owns",
    "lost",
    "won",
    "did",
    "does",
    "got",
    "gets",
    "went",
    "goes",
    "sits",
    "stood",
    "made",
    "makes",
    "took",
    "takes",
    "hates",
    "loves",
    "needs",
    "knows",
    "knew",
    "wrote",
    "noticed",
    "notices",
)

# Words before a year that make no named day: "Since 2019", "Summer 2020".
_NOT_A_DAY = (
    "in since by from until till before after during around about summer spring autumn winter fall early late mid the"
)
NOT_A_DAY = frozenset(_NOT_A_DAY.split())
