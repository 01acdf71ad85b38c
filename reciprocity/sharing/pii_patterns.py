"""The patterns of the PII guard (pii.py), one per kind of detail; word lists are in pii_words.py."""

import re

from reciprocity.sharing.pii_words import MONTHS

TITLES = (
    r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lady|Lord|Rev|Father|Sister|Auntie|Aunty|Uncle|Imam|Rabbi|"
    r"Bà|Ông|Frau|Herr|Señor|Señora|Sra|Sr|Madame|Mme|Monsieur|Signora|Signor|Pani|Sheikh|Hajji|Haji|Ustaz|"
    r"Swami|Sensei|Begum)"
)
CAP = r"[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĶĹĻĽĿŁŃŅŇŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ][\w'’-]+"
_DETERMINER = (
    r"(?:The|A|An|Our|My|His|Her|Their|This|That|Its|Your|Every|Each|Some|No|Any|When|While|After|Before|In|On|At|"
    r"For|From|With|To|By|Of)\b"
)
NAMED = rf"(?!{_DETERMINER}){CAP}"  # a capitalised word that can begin a name

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE = re.compile(
    r"(?<![\w/.:-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]?\d{2,5}){1,4}(?!\w|[/.:-]\d)"
)
LOCAL_PHONE = re.compile(r"(?<![\w/.:-])(?!(?:19|20)\d-)\d{3}-\d{4}(?![\w/.:-]|-\d)")  # 555-0119, not 2019-2020
NUMERIC_DATE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})\b"
    r"|(?:(?<=\bon )|(?<=\bby )|(?<=\bappt )|(?<=\bfrom )|(?<=\bsince )|(?<=\buntil )|(?<=\bminutes )|"
    r"(?<=\bdated ))"  # "on 14/06"
    r"(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])\b(?![/.]\d)"
)
_MONTH = r"(?:" + "|".join(MONTHS) + r")\.?"
_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_ORDINAL_WORD = (
    r"(?:(?:twenty|thirty)[\s-]?(?:"
    + "|".join(_UNITS)
    + r")|"
    + "|".join(_UNITS)
    + r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth"
    r"|twentieth|thirtieth)"
)
WORD_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)\s+of\s+{_MONTH}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|{_MONTH}\s+\d{{4}}"
    rf"|(?:the\s+)?{_ORDINAL_WORD}\s+of\s+{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|(?:Christmas(?:\s+Eve|\s+Day)?|New\s+Year['’]s\s+(?:Eve|Day)|Easter(?:\s+Sunday|\s+Monday)?|Boxing\s+Day|"
    rf"Eid(?:\s+al-\w+)?|Diwali|Hanukkah|Passover|Thanksgiving|Halloween|Ramadan|Bonfire\s+Night|Mother['’]s\s+Day|"
    rf"Father['’]s\s+Day|Valentine['’]s\s+Day)\s+(?:of\s+)?(?:19|20)\d{{2}}"
    rf"|(?:born|died|married)\s+(?:in\s+|on\s+)?(?:{_MONTH}\s+)?(?:19|20)\d{{2}}(?![-/.]?\d))\b",
    re.IGNORECASE,
)
# A named day or festival with its year ("Hogmanay 2016", "Tết 2018"): read case-sensitively.
NAMED_DAY = re.compile(r"\b[A-ZÀ-ÖØ-Þ][^\W\d_]+(?:\s+[A-Z][^\W\d_]+)?\s+(?:19|20)\d{2}\b(?![-/.]\d)")
STREET = (
    r"(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Drive|Dr|Close|Court|Ct|Crescent|Way|Place|Pl|Square|Sq|"
    r"Terrace|Gardens|Grove|Hill|Row|Mews|Walk|Parade|Boulevard|Blvd|View|Rise|Green|Park)"
)
ADDRESS = re.compile(
    rf"\b(?:(?:[Ff]lat|[Aa]pt\.?|[Aa]partment|[Uu]nit)\s+\d+[A-Za-z]?,?\s+)?\d{{1,4}}[a-zA-Z]?,?\s+"
    rf"(?:[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_'’-]*(?:['’-][^\W\d_]+)*\s+){{1,3}}{STREET}\b\.?"
    r"|\b\d{1,4}[a-zA-Z]?,?\s+(?:Jalan|Jln|Lorong|Soi|Thanon|Calle|Rue|Via|Rua|Avenida|Ulica|Strada|Carrer)\s+"
    r"[A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]+){0,3}"
    r"|\bP\.?O\.? Box \d+(?:,\s+[A-Z][a-z]+(?:\s+\d{3,5})?)?"
    r"|\b[A-ZÄÖÜ][\wäöüß-]*(?:stra(?:ss|ß)e|str\.|allee|weg|gasse|platz|laan|straat|gracht|gata|gatan|vej|väg|"
    r"vägen|veien|katu|tie|ulica)\s+\d{1,4}[a-z]?(?:,\s+\d{4,5}\s+[A-Z][\wäöü-]+)?"
    r"|\b(?:[Rr]ue|[Cc]alle|[Aa]venida|[Rr]ua|[Vv]ia|[Pp]iazza|[Cc]arrer)\s+(?:de\s+(?:la\s+)?|del\s+|do\s+|da\s+)?"
    r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?,?\s+\d{1,4}"
)
POSTCODE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|\b(?:zip(?: code)?|postcode)\s+\d{5}(?:-\d{4})?\b"
    r"|\b[AC-FHKNPRTV-Y]\d[\dW]\s?[AC-FHKNPRTV-Y\d]{4}\b",  # an Eircode, "H91 K2W8"
    re.I,
)
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]"
    r"(?:one|two|three|four|five|six|seven|eight|nine))?)"
)
_NOT_AN_AGE = (
    r"(?!\s*(?:%|percent|per|weeks?|days?|months?|years?(?![\s-]old)|minutes?|mins?|hours?|hrs?|am|pm|a\.m|p\.m|"
    r"o['’]clock|points?|on\s+the|out\s+of|sessions?|times|kg|mg|pounds|lbs|miles|km|foot|feet|ft|cm|inches|stone|"
    r"[:.,]\d|/))"
)
AGE = re.compile(
    rf"\b{_NUMBER_WORD}[\s-](?:year|yr|month|week)s?[\s-]old\b|\b[Aa]ged\s+{_NUMBER_WORD}\b"
    rf"|\b(?:\d{{1,3}}|{_NUMBER_WORD})[\s-](?:months?|weeks?|days?)[\s-]old\b"
    r"|\b\d{1,3}(?:st|nd|rd|th)\s+birthday\b|\bboth\s+\d{1,3}\b(?=\s*[,;.]|\s+and\b)"
    r"|(?<=, )at\s+\d{1,3}(?=,)"
    r"|\b(?:eighteenth|sixteenth|twenty-first|fortieth|fiftieth|sixtieth|seventieth|eightieth|thirtieth)\s+birthday\b"
    r"|\b(?:she|he|they)['’]s\s+(?:only\s+|just\s+)?\d{1,3}\b(?!\s*(?:weeks|days|months|minutes|hours|times|%))"
    r"|\b\d{1,3}[\s-]?(?:year|yr)s?[\s-]?old\b|\b[Aa]ged?\s+\d{1,3}\b|\b\d{1,3}\s*(?:y/?o|yo)\b"
    rf"|\b(?:[Ww]ho|[Ss]he|[Hh]e|[Tt]hey)\s+(?:is|was|are|were|turns|turned)\s+(?:now\s+|only\s+|just\s+)?\d{{1,3}}\b{_NOT_AN_AGE}"
    r"|\b(?:turned|turns|turning)\s+\d{1,3}\b|\bage\s+\d{1,3}\b",
)
# An age after a person: "Nour, 24," "Florin, is 4", "Luz is 9", "was 19 when", "at 19 she married".
AGE_AFTER_PERSON = re.compile(
    rf"(?P<person>\b[A-ZÀ-ÖØ-Þ][^\W\d_'’-]*(?:['’-][^\W\d_]+)*|\b(?:son|daughter|brother|sister|child|baby|"
    rf"husband|wife|partner|mother|father|mum|dad|nephew|niece|grandson|granddaughter|youngest|eldest|twins?|"
    rf"grandchild|grandkid|moko|mokopuna|bairn|wean|kid|lad|lass|toddler|teen|stepson|stepdaughter|"
    rf"[Cc]lient|[Pp]t|[Pp]atient|[Ww]oman|[Mm]an|[Bb]oy|[Gg]irl|[Ff]emale|[Mm]ale|[Ff]armer|[Ss]tudent|[Ww]idow|"
    rf"[Ww]idower|[Pp]ensioner|[Rr]etiree|[Tt]een)|\))"
    rf"(?P<gap>\.?,\s+|\s+|,\s+(?:now|aged|age)\s+|\s*\((?:[^()\d]{{1,20}},\s*)?)"
    rf"(?P<age>(?:(?:is|was|turns|turned|now)\s+(?:now\s+|only\s+|just\s+)?)?(?:\d{{1,3}}|{_NUMBER_WORD}(?=,)))\b"
    rf"{_NOT_AN_AGE}"
    rf"(?=\s*[,;.)]|\s+(?:and|when|but|who|has|had|is|was|with|now|years|this|on|next|in|last|today|at)\b)"
)
AT_AGE = re.compile(
    rf"\b(?:was|is|when\s+(?:she|he|they)\s+was)\s+\d{{1,3}}(?=\s+(?:when|and|but|before|after|at)\b)"
    rf"|\band\s+\d{{1,3}}(?=\s+when\b)"
    rf"|\b[Aa]t\s+(?:\d{{1,2}}\b|{_NUMBER_WORD}\b){_NOT_AN_AGE}"
    r"(?=\s*[,;.]|\s+(?:she|he|they|I|when|and|but|after|before|was|had|with|from)\b)"
    rf"|\b(?:who|she|he)['’]s\s+\d{{1,3}}\b{_NOT_AN_AGE}"
    rf"|\band\s+(?:is|was)\s+\d{{1,3}}\b{_NOT_AN_AGE}(?=\s*[,;.)])"
    rf"|\b(?:turned|turns|turning)\s+{_NUMBER_WORD}\b"
    rf"|\b(?:retired|married|widowed|emigrated|diagnosed|pregnant|qualified|left school|left home|dropped out|"
    rf"arrived|came here|moved here|adopted|orphaned)\s+at\s+(?:\d{{1,2}}|{_NUMBER_WORD})\b{_NOT_AN_AGE}"
)
AT_A_SCORE = re.compile(  # "GAD-7 at 17", "every night at eleven": a score or a time, not an age
    r"(?:\b(?:PHQ|GAD|CORE|WEMWBS|WHO|K|BDI|BAI|PCL|SUDS?|HADS|EPDS|AUDIT|ORS|SRS|DASS|IES|OCI|PSS)[\w-]*|"
    r"scored?s?|came back|rose|fell|dropped|went up|went down|was|night|morning|evening|"
    r"afternoon|noon|midnight|lunch|breakfast|dinner|bed|starts?|started|meet|meeting|calls?|phones?|rings?|up)\s*$"
)
FELT = re.compile(r"\b(?:felt|feel|feels|feeling)\s+(?:about\s+|like\s+|as if I were\s+|as though I was\s+)?(?:a\s+)?$")
HANDLE = re.compile(
    r"(?<![\w.@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?"
    r"|\bu/[A-Za-z0-9_-]{3,}"
    r"|\b[\w.]{2,32}#\d{4}\b"
    r"|\b(?=[A-Za-z0-9_.]*[A-Za-z])(?=[A-Za-z0-9_.]*(?:_|\d[A-Za-z]|[a-z]\d{2}|\.[a-z]|\.\d))"
    r"[A-Za-z][A-Za-z0-9]*(?:[_.][A-Za-z0-9]+)+\b(?!\.\w)"
    r"|\b[A-Za-z]+_\d+\b|\b[A-Z][a-z]+[A-Z][A-Za-z]*_?\d{2,}\b"
    r"|\b[a-z]*[A-Z][a-z]+[A-Z][A-Za-z]*\b|\b[a-z]+[A-Z][A-Za-z]+\b"  # CamelCase, xXnameXx: only after a cue
)
# After a word that can only introduce one, any token is a handle: "her handle is pixelmonsoon".
_PLATFORM = (
    r"(?:Instagram|Insta|TikTok|Twitch|Discord|Snapchat|Snap|Telegram|Steam|Xbox|Reddit|Twitter|Threads|Bluesky|"
    r"YouTube|Facebook|Signal|Kik|Roblox|PlayStation|PSN)"
)
NAMED_HANDLE = re.compile(
    r"\b(?:(?:the\s+)?(?:handle|tag)(?:\s+(?:is|was)\s+|:\s*|(?<=the handle)\s+)"
    r"|(?:username|user name|gamertag|screen name|account name)(?:\s+(?:is|was|of))?[\s:,]+"
    r"|(?:posts|goes|plays|streams)\s+(?:under\s+(?:the\s+name\s+)?|as\s+|by\s+)"
    rf"|{_PLATFORM}(?:\s+(?:name|handle|username|account|tag|is))?(?:\s+is|:)\s+"
    r"|(?:told|gave|sent)\s+me\s+(?:his|hers|theirs|her\s+own|his\s+own)[:,]\s+)"
    r"(?P<handle>@?[A-Za-z0-9][\w.-]{2,31}[A-Za-z0-9_])",
    re.IGNORECASE,
)
HANDLE_CUE = re.compile(
    r"\b(?:the name|handle|username|user name|account|profile|name on|name is|posts as|games as|as|is|Snapchat|"
    r"Instagram|TikTok|Discord|Steam name|gamertag|tag|called|named|goes by|plays under|under|username is|"
    r"handle is|streamer|gamer name|channel|plays as|known as)[\s,:]*$",
    re.IGNORECASE,
)
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]*\d)")
IPV6 = re.compile(
    r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,7}(?::?[0-9A-Fa-f]{1,4}){1,7}(?![\w:])"
    r"|(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,7}:(?![\w:])"
)
_TLD = (
    r"(?:com|org|net|io|co|uk|me|info|blog|site|page|app|dev|art|xyz|example|ie|nz|au|ca|de|fr|es|nl|se|no|dk|fi|"
    r"us|tv|ly|gg|link)"
)
URL = re.compile(
    r"\bhttps?://[^\s<>\"“”]+[^\s<>\"“”.,;:!?)'’]"
    r"|\bwww\.[^\s<>\"“”]+[^\s<>\"“”.,;:!?)'’]"
    rf"|\b(?:[a-z0-9][a-z0-9-]+\.)+{_TLD}\b(?:/[^\s<>\"“”]*[^\s<>\"“”.,;:!?)'’])?(?!@)"
    r"|\b(?:[a-z0-9][a-z0-9-]*\.)+[a-z]{2,6}/[^\s<>\"“”]*[^\s<>\"“”.,;:!?)'’]",
    re.IGNORECASE,
)
_KINDS_OF_PLACE = (
    r"Hospital|Infirmary|Hospice|School|Academy|College|University|Institute|Polytechnic|Nursery|Kindergarten|"
    r"Elementary|Primary|Secondary|High|Grammar|Clinic|Surgery|Practice|Medical Centre|Medical Center|Health Centre|"
    r"Centre|Center|Trust|Foundation|Charity|Ltd|Limited|Inc|LLP|PLC|GmbH|Group|Partners|Associates|Church|Chapel|"
    r"Cathedral|Mosque|Masjid|Synagogue|Temple|Gurdwara|Mandir|Club|Society|Pharmacy|Chemist|Bank|Logistics|"
    r"Textiles|Steelworks|Works|Mill|Architects|Solicitors|solicitors|Council|Prison|Home|Care Home|Hotel|Restaurant|"
    r"Bakery|Café|Cafe|Garage|Motors|Stores|Supermarket|Factory|Brewery|Farm|Studios|Media|Consulting|Services|"
    r"Systems|Technologies|Labs|Police|Fire Station|Station|Barracks|Regiment|Ward|Unit|Library|Museum|Gallery|"
    r"Theatre|Team|Insurance|Freight|Haulage|Transport|Construction|Builders|Engineering|Electrical|Plumbing|"
    r"Cleaning|Recruitment|Accountants|Estate Agents|Travel|Airlines|Airways|Railways?|Foods|Dairy|Press|"
    r"Publishing|Records|Fitness|Gym|Salon|Studio|Kitchen|Bistro|Pub|Inn|Nursery|Playgroup|FC|RFC|United|Rovers|"
    r"Athletic|Mission|Fellowship|Congregation|Assembly|Hall|Partnership|Company|Corporation|Holdings|"
    r"Enterprises|Industries|Solutions|Energy|Housing|Association|Network|Collective|Co-op|Cooperative|Shop|"
    r"Boutique|Salon|Agency|Workshop|Yard|Quarry|Mine|Plant|Depot|Warehouse|Distribution|Retail|Pharma|Care|"
    r"Tyres|Tires|Coaches|Buses|General|Packaging|Printing|Joinery|Roofing|Scaffolding|Catering|Butchers|Opticians|"
    r"Dental|Dentistry|Veterinary|Vets|Kennels|Stables|Garden Centre|Leisure Centre|Sports Centre|Credit Union|"
    r"Building Society|Job Centre|Jobcentre|Tribunal|Constabulary|Ambulance Service|Fire Service|Foodbank|"
    r"Food Bank|Refuge|Hostel|Shelter|Trades|Supplies|Couriers|Taxis|Cabs|Removals|Laundry|Launderette|Hairdressers|"
    r"Barbers|Nails|Beauty|Spa|Gallery|Bookshop|Books|Radio|Television|TV|News|Gazette|Herald|Times|Post|"
    r"Psychology|Psychotherapy|Counselling|Counseling|Therapy|Therapies|Medical|Health|Healthcare|Uni|Service|"
    r"Crafts|Charter|Hub|Sweets|Cakes|Roastery|Coffee|Storage|Cold Storage|Catering|Kitchen|Lodge|Cooperative|"
    r"Youth Club|Youth Centre|Youth Hub|Scouts|Guides|Cadets|Choir|Band|Orchestra|Ensemble|Theatre Company|Sisters|"
    r"Brothers|Digital|Mutual|Tech|Hire|Plant Hire|CMHT|CAMHS|CRHT|IAPT|Talking Therapies|Ventures|Capital|Labs|"
    r"Studios|Works|Trading|Imports|Exports|Logistics|Freight|Motors|Autos|Builders|Homes|Estates|Properties|"
    r"Circle|GAA|Collegiate|Distillery|Juniors|Seniors|Boardriders|Riders|Harriers|Wanderers|Rangers|Runners|"
    r"Cyclists|Rowing Club|Supported Living|Living|Fellowship|Ministries|Tabernacle|Kingdom Hall|Support|Middle|"
    r"Intermediate|Senior High|Junior High"
)
INSTITUTION = re.compile(
    rf"\b(?:(?:St\.?|Saint|Royal|Masjid|Beth|Temple|Church of|University of|Bank of)\s+)?"
    rf"(?:{NAMED}(?:\s+(?:&|and|of|de|la|van|von|al-|Al-)?\s*{CAP}){{0,4}})\s+(?:{_KINDS_OF_PLACE})s?\b"
    rf"|\b(?:Masjid|Beth|St\.?|Saint|Ysgol|Coleg|Scoil|Gaelscoil|Colegio|Escuela|Lycée|Collège|Gymnasium|"
    rf"Universidad|Université|Universität|Hochschule|Liceo|Istituto)\s+{CAP}(?:[\s-]+{CAP}){{0,3}}"
    rf"|\b{NAMED}\s+&\s+{CAP}(?:\s+(?:{_KINDS_OF_PLACE}))?\b"
    rf"|\b(?:University|College|Bank|Church|Diocese|Academy|School|Institute|Hospital) of (?:the )?{CAP}(?:\s+{CAP})*"
    rf"|\b{NAMED}(?:\s+{CAP}){{0,3}}\s+(?:care homes?|nursing homes?|solicitors|surgery|clinic|primary|school|"
    rf"academy|practice|nursery|team|group|church|mosque|temple|chapel|foodbank|food bank|gurdwara|mandir|"
    rf"synagogue|committee|club|society)\b"
)
EMPLOYER = re.compile(
    rf"\b(?i:works?|worked|working|employed|job|manager|boss|employer|teaches|taught|volunteers?|trained|studies|"
    rf"runs|ran|owns|owned|manages|managed|referral|referred|expelled|excluded|suspended|discharged|admitted|"
    rf"disclosed|attends|attended|graduated|"
    rf"studied|placement|shifts?|board|governor|trustee|member|joined|dismissed|sacked|fired|hired|drives|"
    rf"drove|driving|redundancy|redundant|nights|days|porter|cleaner|nurse|carer|receptionist|apprentice|"
    rf"apprenticeship|pupil|student|intern|internship|contract|agency|signed|enrolled|teacher|tester|engineer|"
    rf"officer|worker|lead|head|chair|director|coordinator|assistant|administrator|developer|analyst|guy|team|"
    rf"colleague|colleagues|supervisor|foreman|chef|waiter|waitress|cashier|driver|doctor|midwife|paramedic|"
    rf"consultant|registrar|solicitor|lawyer|accountant|clerk|volunteer|trainee|staff)"
    rf"(?:(?:\s+[\w'’-]+){{0,4}}?\s+(?:at|for|by|with|of)\s+|"
    rf"(?:(?<=expelled)|(?<=excluded)|(?<=referred)|(?<=referral)|(?<=suspended)|(?<=dismissed)|(?<=graduated)|"
    rf"(?<=resigned)|(?<=discharged))\s+from\s+|\s*,\s+|"
    rf"(?:(?<=joined)|(?<=runs)|(?<=owns)|(?<=manages))\s+)(?:the\s+)?"
    rf"({NAMED}(?:\s+(?:&\s+)?{CAP}){{0,4}})"
)
_PLACE_NOUN = (
    r"(?i:county|borough|town|village|island|isles?|trust|city|area|region|valley|parish|health board|board|"
    r"district|hospital|station|department|firm|company|force|diocese|glen|highlands|islands|country|state|school|"
    r"practice|division|court|ward|unit|team|club|league|squad|regiment|harbour|port|estate|community|"
    r"congregation|service|(?:north|south)(?:-?(?:east|west))?|east|west|coast|peninsula|borders|dales|fens|depot|"
    r"rank|market|band|choir|orchestra|crew|garage|factory|mill|mine|farm|surgery|clinic|office|shop|bar|pub|church|"
    r"mosque|temple|synagogue|airport|hometown|home town|suburb|neighbourhood|neighborhood|street|block|building|"
    r"gym|pool|club|college|university|faculty|ward|wing|site|plant|yard|newsroom|kitchen|restaurant|house|room|"
    r"lab|hall|secondary|primary)"
)
_ROLE_PLACE = (
    r"(?:[A-Z][\w'’-]+(?:\s+(?:of\s+|on\s+)?[A-Z][\w'’-]+)*"
    r"|(?:the\s+whole\s+of\s+)?[A-Z][\w'’-]+"
    r"|(?:the\s+|our\s+|my\s+|this\s+|their\s+|his\s+|her\s+|a\s+)"
    rf"(?:[\w'’-]+\s+){{0,3}}{_PLACE_NOUN}\b)"
)
_ROLE = (
    r"(?:head\s*teacher|headmistress|headmaster|postmistress|postmaster|mayor|provost|imam|rabbi|vicar|priest|"
    r"minister|pastor|principal|owner|landlord|landlady|publican|GP|vet|pharmacist|dentist|midwife|coach|captain|"
    r"skipper|lighthouse keeper|harbou?r ?master|sheriff|coroner|constable|warden|ranger|editor|founder)"
)
_NOT_A_ROLE = (
    r"(?!(?:thing|things|time|one|person|way|place|reason|day|week|year|session|moment|people|channel|option|"
    r"choice|route|means|subject|topic|language|word|words|sign|clue|hint)\b)"
)
QUASI = re.compile(
    rf"\bone\s+of\s+(?:only\s+|just\s+)?(?:two|three|four|a few|a handful of)\s+[^.,;:!?]{{1,60}}?\s(?:in|on|at)\s+"
    rf"(?:town\b|{_ROLE_PLACE})"
    rf"|\b(?:(?:[\w-]+\s+){{0,3}}(?:of|at)\s+)?[Tt]he\s+(?:only|sole|one|first|last|youngest|oldest|longest-serving|[a-z]+-ever)\s+"
    rf"{_NOT_A_ROLE}"
    rf"[^.,;:!?—–]{{1,70}}?\s(?:in|on|at|of|for|into)\s+(?:town\b|{_ROLE_PLACE})"
    rf"|\b[Tt]he\s+(?:one|only|sole)\s+[\w-]+(?:\s+[\w-]+)?\s+(?:there|here|in\s+town|locally)\b"
    rf"|\b(?:the\s+)?(?:[A-Z][\w'’-]+|village|town|island|county)['’]s\s+only\s+[\w-]+(?:\s+[\w-]+)?"
    rf"|\b[Tt]he\s+only\s+{_NOT_A_ROLE}[^.,;:!?]{{1,40}}?\s(?:the|our|this|their)\s+(?:[\w-]+\s+){{0,2}}{_PLACE_NOUN}\b"
    rf"|\b[Tt]he\s+(?:only|first|last)\s+[\w\s-]{{1,30}}?\s(?:ever\s+)?to\s+[^.,;:!?]{{1,50}}?[A-Z][\w'’-]+"
    rf"(?:\s+[a-z][\w-]+){{0,3}}"
    rf"|\b(?:the|our|my|this|their)\s+(?:(?:small|little|local)\s+)?(?:town|village|island|county|city|valley|area|"
    rf"district|region|borough|country|state|ward|team|club|church|firm|company|trust|"
    rf"parish|practice|school|hospital|street|estate)['’]s\s+(?:one|only|sole|first)\s+[\w-]+(?:\s+[\w-]+)?"
    rf"|\b(?:[Tt]he|[Aa]s)\s+(?:(?:parish|station|dental|practice|school|head|deputy|ferry|village|local|only)\s+)?"
    rf"(?:{_ROLE}|priest|master|nurse|principal|head|skipper)\s+(?:of|at|in|on|for)\s+(?:the\s+(?:one\s+|only\s+)?[\w-]+(?:\s+[\w-]+)?\s+(?:in|of|at|on)\s+)?"
    rf"[A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s+[A-Z][\w'’-]+)*"
    rf"|\bthe\s+(?:mayor|provost|MP|bishop|imam|rabbi|vicar|priest|headteacher|head teacher|sheriff|coroner|"
    rf"chief constable|harbour ?master|harbor ?master)\s+(?:of|for|at)\s+{CAP}(?:\s+{CAP})*"
)
TITLED_NAME = re.compile(rf"\b{TITLES}\.?\s+[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]+(?:\s+[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]+){{0,3}}")
