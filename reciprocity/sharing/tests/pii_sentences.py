"""Labelled sentences for the PII guard: each with the identifying spans a careful reader would mark.

A third carry nothing identifying, so that the guard's precision is measured as well as its recall.
"""

SENTENCES: list[tuple[str, list[tuple[str, str]]]] = [
    # names
    ("Sarah talked about her mother's illness for most of the session.", [("name", "Sarah")]),
    ("I noticed how much I wanted to rescue Michael.", [("name", "Michael")]),
    ("Her husband, David Thompson, came to the last ten minutes.", [("name", "David Thompson")]),
    ("Mrs Okafor cancelled again; I felt relieved and then guilty.", [("name", "Mrs Okafor")]),
    ("Dr. Patel's referral letter framed it as a purely medical problem.", [("name", "Dr. Patel")]),
    ("When Emily cried I felt my own throat tighten.", [("name", "Emily")]),
    ("The client's sister Jennifer keeps calling the practice.", [("name", "Jennifer")]),
    ("We practised the chair work and he spoke to his father, Robert.", [("name", "Robert")]),
    ("Kevin and I finally named the pattern of leaving early.", [("name", "Kevin")]),
    ("He said his boss, Mr Harris, humiliates him in meetings.", [("name", "Mr Harris")]),
    ("Aisha Rahman brought a poem she wrote about her grief.", [("name", "Aisha Rahman")]),
    ("I felt irritated with Lindqvist's insistence on advice.", [("name", "Lindqvist")]),
    # e-mail and phone
    ("She e-mailed me from jane.doe@example.com late at night.", [("email", "jane.doe@example.com")]),
    ("His message came from tom_b1985@mail.co.uk and was full of apologies.", [("email", "tom_b1985@mail.co.uk")]),
    ("She left her number, 07700 900123, in case I needed to reschedule.", [("phone", "07700 900123")]),
    ("The crisis line number he mentioned was +44 20 7946 0958.", [("phone", "+44 20 7946 0958")]),
    ("He called twice from (020) 7946 0018 during the week.", [("phone", "(020) 7946 0018")]),
    ("Her mother can be reached on 555-123-4567 apparently.", [("phone", "555-123-4567")]),
    # dates
    ("Her son was born on 14/03/2019, a week before the first lockdown.", [("date", "14/03/2019")]),
    ("The accident happened on 3 March 2021 and she still dreams about it.", [("date", "3 March 2021")]),
    ("He was married in June 2015 and separated last year.", [("date", "married in June 2015")]),
    ("Her father died on 2020-11-02, the day of her exam.", [("date", "2020-11-02")]),
    ("The anniversary of the fire is October 12th, and she dreads it.", [("date", "October 12th")]),
    ("She was born in 1987 in a small village.", [("date", "born in 1987")]),
    # addresses and postcodes
    ("She lives at 42 Maple Avenue with her grandmother.", [("address", "42 Maple Avenue")]),
    ("The assault happened near 7 Church Street after the pub closed.", [("address", "7 Church Street")]),
    ("His flat is on 118 Old Kent Road, above the launderette.", [("address", "118 Old Kent Road")]),
    ("He gave his postcode as SW1A 1AA when booking.", [("address", "SW1A 1AA")]),
    ("Her new address is 15b Rose Lane, LS6 2QT.", [("address", "15b Rose Lane"), ("address", "LS6 2QT")]),
    # ages with places
    ("A 34-year-old teacher from Leeds, she has never told anyone.", [("age", "34-year-old teacher from Leeds")]),
    ("He is 19 years old and lives in Bristol with his uncle.", [("age", "19 years old and lives in Bristol")]),
    (
        "The 72-year-old widower from Harrogate misses his wife daily.",
        [("age", "72-year-old widower from Harrogate")],
    ),
    ("Aged 45, in Cardiff since childhood, he has never travelled.", [("age", "Aged 45, in Cardiff")]),
    # combinations
    ("Peter Walsh, 52, from Norwich, phoned on 01603 123456.", [("name", "Peter Walsh"), ("phone", "01603 123456")]),
    (
        "On 12/05/2023 Laura wrote to laura.m@example.org about stopping.",
        [("date", "12/05/2023"), ("name", "Laura"), ("email", "laura.m@example.org")],
    ),
    # nothing identifying
    ("The client spoke about grief and I felt my own loss stir.", []),
    ("We used the flash-forward and the panic eased within minutes.", []),
    ("I ended on time even though the session ran deep.", []),
    ("May was a hard month for my caseload.", []),
    ("Hope came back into the room when she laughed.", []),
    ("Will I ever stop bringing the work home?", []),
    ("Art therapy might suit her better than talking.", []),
    ("Grace under pressure is what she admires in others.", []),
    ("Monday sessions leave me drained by lunchtime.", []),
    ("The client is in his thirties and works in finance.", []),
    ("She has three children and a demanding job.", []),
    ("I noticed my heart racing before the session.", []),
    ("We spent 50 minutes on one memory and it was enough.", []),
    ("He scored 18 on the PHQ-9, down from 22.", []),
    ("The second session of EMDR brought up old images.", []),
    ("Supervision helped me see my part in the stuck work.", []),
    ("Mark the moment when the room goes quiet, I told myself.", []),
    ("I felt the CBT formulation missed her experience.", []),
    ("After the session I walked along the river to settle.", []),
    ("Twenty minutes of silence, and then the story came.", []),
    ("Last week she said the medication finally helps.", []),
    ("My own therapist once said the same thing to me.", []),
    ("The referral came through the GP after a long wait.", []),
    ("Christmas is always difficult for him.", []),
    ("Young people in care often test the boundaries first.", []),
]
