"""The demo library: a small Finnish tree with every page type, and Swedish titles for it.

Plain data, so that the loader stays short and a newcomer can see at once what the demo holds.
"""

from datetime import date

HOME = {
    "slug": "kotikanava",
    "title": "Kotikanava",
    "intro": "Liikuntaa, ruokaa ja digitaitoja kotiin. Valitse aihe ja katso video omaan tahtiin.",
}

TOPICS = [
    {
        "slug": "liikunta",
        "title": "Liikunta",
        "icon": "exercise",
        "intro": "Tuolijumppaa, venyttelyä ja tasapainoa. Liikkeet sopivat kotiin.",
    },
    {
        "slug": "ruoka",
        "title": "Ruoka",
        "icon": "food",
        "intro": "Edullisia ja helppoja ohjeita arjen ruokiin. Voit tulostaa ohjeen keittiöön.",
    },
    {
        "slug": "digitaidot",
        "title": "Digitaidot",
        "icon": "digital",
        "intro": "Ohjeita tabletin ja puhelimen käyttöön askel kerrallaan.",
    },
]

EXERCISES = [
    {
        "slug": "tuolijumppa-aamuun",
        "title": "Tuolijumppa aamuun",
        "summary": "Kymmenen minuutin jumppa tuolilla istuen. Herättelee niskan, hartiat ja jalat.",
        "easy_read": "<p>Istu tuolilla. Tee liikkeet rauhassa. Voit pitää taukoja.</p>",
        "duration_minutes": 10,
        "level": "easy",
        "position": "seated",
        "equipment": "Tukeva tuoli ilman pyöriä",
        "safety_notes": "<p>Lopeta, jos tunnet kipua tai huimausta.</p>",
        "steps": [
            "Istu tuolin etuosaan. Laita jalat lattialle lantion leveydelle.",
            "Nosta hartiat kohti korvia ja laske ne alas. Toista kymmenen kertaa.",
            "Ojenna vuorotellen oikea ja vasen jalka suoraksi. Toista kymmenen kertaa.",
        ],
        "tags": ["tuolijumppa", "aamu"],
        "clip": "motion",
        "image_color": (46, 125, 50),
    },
    {
        "slug": "tasapainoharjoitus",
        "title": "Tasapainoharjoitus seisten",
        "summary": "Vahvistaa tasapainoa ja ehkäisee kaatumisia. Ota tuolin selkänojasta tukea.",
        "duration_minutes": 15,
        "level": "medium",
        "position": "standing",
        "equipment": "Tuoli tueksi",
        "safety_notes": "<p>Pidä tuolista kiinni koko harjoituksen ajan.</p>",
        "steps": [
            "Seiso tuolin takana ja ota selkänojasta kiinni.",
            "Nouse varpaille ja laskeudu hitaasti alas. Toista kymmenen kertaa.",
            "Seiso hetki yhdellä jalalla. Vaihda jalkaa.",
        ],
        "tags": ["tasapaino"],
        "clip": "bars",
        "image_color": (21, 101, 192),
    },
    {
        "slug": "venyttely-makuulla",
        "title": "Rauhallinen venyttely makuulla",
        "summary": "Lyhyt venyttely sängyllä tai lattialla ennen nukkumaanmenoa.",
        "duration_minutes": 8,
        "level": "easy",
        "position": "lying",
        "equipment": "Jumppamatto tai sänky",
        "steps": [
            "Käy selällesi. Vedä polvet koukkuun.",
            "Kallista polvet rauhallisesti oikealle ja vasemmalle.",
        ],
        "tags": ["venyttely", "ilta"],
        "clip": "motion",
        "image_color": (106, 27, 154),
    },
]

RECIPES = [
    {
        "slug": "linssikeitto",
        "title": "Punainen linssikeitto",
        "summary": "Edullinen ja täyttävä keitto, joka valmistuu puolessa tunnissa.",
        "easy_read": "<p>Keitä linssit ja kasvikset. Lisää mausteet. Syö leivän kanssa.</p>",
        "servings": 4,
        "prep_minutes": 10,
        "cook_minutes": 20,
        "ingredients": [
            ("2", "dl", "punaisia linssejä"),
            ("1", "kpl", "sipuli"),
            ("2", "kpl", "porkkanaa"),
            ("1", "tlk", "tomaattimurskaa"),
            ("1", "l", "vettä"),
            ("1", "tl", "suolaa"),
        ],
        "steps": [
            "Kuori ja pilko sipuli ja porkkanat.",
            "Kuullota sipulia kattilassa öljyssä.",
            "Lisää muut aineet ja keitä 20 minuuttia.",
        ],
        "diets": ["gluten_free", "lactose_free", "vegetarian", "low_cost"],
        "tags": ["keitto", "edullinen"],
        "clip": "cooking",
        "image_color": (230, 81, 0),
    },
    {
        "slug": "kaurapuuro",
        "title": "Kaurapuuro marjoilla",
        "summary": "Lämmin aamupuuro, johon riittää kattila ja viisi minuuttia.",
        "servings": 1,
        "prep_minutes": 1,
        "cook_minutes": 5,
        "ingredients": [
            ("1", "dl", "kaurahiutaleita"),
            ("2", "dl", "vettä"),
            ("1", "ripaus", "suolaa"),
            ("0.5", "dl", "marjoja"),
        ],
        "steps": [
            "Kiehauta vesi ja suola.",
            "Lisää hiutaleet ja keitä sekoitellen viisi minuuttia.",
            "Lisää marjat lautaselle.",
        ],
        "diets": ["lactose_free", "vegetarian", "low_cost"],
        "tags": ["aamiainen", "edullinen"],
        "clip": None,
        "image_color": (173, 20, 87),
    },
]

GUIDES = [
    {
        "slug": "videopuhelu-tabletilla",
        "title": "Videopuhelu tabletilla",
        "summary": "Näin soitat videopuhelun läheiselle tai ohjaajalle tabletilla.",
        "easy_read": "<p>Avaa sovellus. Valitse nimi. Paina kameran kuvaa.</p>",
        "device": "tablet",
        "app": "WhatsApp",
        "level": "easy",
        "steps": [
            ("Avaa WhatsApp-sovellus aloitusnäytöltä.", "Tabletin aloitusnäyttö."),
            ("Valitse henkilö, jolle haluat soittaa.", "Keskustelulista, jossa on nimiä."),
            ("Paina kameran kuvaa oikeassa yläkulmassa.", "Keskustelu, kameran kuva ylhäällä."),
        ],
        "tags": ["videopuhelu"],
        "clip": "screen",
        "image_color": (0, 105, 92),
    },
    {
        "slug": "suomi-fi-tunnistautuminen",
        "title": "Kirjautuminen Suomi.fi-palveluun",
        "summary": "Kirjaudu turvallisesti sähköisiin palveluihin pankkitunnuksilla.",
        "device": "phone",
        "app": "Suomi.fi",
        "level": "medium",
        "steps": [
            ("Avaa palvelun sivu ja paina Kirjaudu.", "Palvelun etusivu, Kirjaudu-painike."),
            ("Valitse oma pankkisi.", "Lista pankkien logoista."),
            ("Vahvista kirjautuminen pankin sovelluksessa.", "Pankin sovelluksen vahvistus."),
        ],
        "tags": ["tunnistautuminen", "asiointi"],
        "clip": None,
        "image_color": (69, 90, 100),
    },
]

INFO_PAGES = []

# The accessibility statement (library.models.statement): one per language home.
STATEMENT = {
    "slug": "saavutettavuus",
    "title": "Saavutettavuusseloste",
    "body": (
        "<p>Tämä saavutettavuusseloste koskee Kotikanava-palvelua. Hyvinvointialue haluaa, että "
        "jokainen asiakas voi katsoa ja kuunnella Kotikanavan sisältöjä. Palvelun pitää täyttää "
        "digipalvelulain (306/2019) vaatimukset ja WCAG 2.1 -ohjeiden A- ja AA-tasot.</p>"
    ),
    "compliance": "partial",
    "prepared_on": date(2026, 3, 2),
    "updated_on": date(2026, 11, 2),
    "non_accessible_content": (
        "<p>Kaikki sisältö ei vielä ole saavutettavaa:</p><ul>"
        "<li>Osa vanhoista videoista on ilman tekstitystä (WCAG 1.2.2). Lisäämme tekstitykset "
        "vuoden 2027 alkuun mennessä. Voit pyytää videon sisällön tekstinä palautelomakkeella.</li>"
        "<li>Suorien lähetysten aikana ei ole reaaliaikaista tekstitystä (WCAG 1.2.4). "
        "Tallenteet tekstitetään 14 päivän kuluessa lähetyksestä.</li>"
        "<li>Osa ohjeiden kuvakaappauksista on kuvattu vain lyhyesti (WCAG 1.1.1).</li></ul>"
    ),
    "assessment": (
        "Arvioimme saavutettavuuden itse automaattisilla testeillä (axe-core) ja kokeilemalla "
        "palvelua ruudunlukijalla ja näppäimistöllä."
    ),
    "feedback_contact": (
        "<p>Voit myös lähettää sähköpostia osoitteeseen saavutettavuus@example.fi tai kertoa "
        "asiasta omalle ohjaajallesi. Vastaamme 14 päivän kuluessa.</p>"
    ),
    "supervisory_authority": (
        "<p>Liikenne- ja viestintävirasto Traficom, saavutettavuuden valvonta</p>"
        "<p>saavutettavuusvaatimukset.fi</p>"
    ),
}
# The statement in Swedish, for its translated copy.
STATEMENT_SV = {
    "body": (
        "<p>Detta tillgänglighetsutlåtande gäller tjänsten Kotikanava. Tjänsten ska uppfylla "
        "kraven i lagen om tillhandahållande av digitala tjänster (306/2019) och nivåerna A och "
        "AA i WCAG 2.1.</p>"
    ),
    "non_accessible_content": (
        "<p>Allt innehåll är ännu inte tillgängligt:</p><ul>"
        "<li>En del äldre videor saknar textning (WCAG 1.2.2). Vi textar dem före början av "
        "2027. Du kan be om videons innehåll som text via formuläret.</li>"
        "<li>Direktsändningar har ingen textning i realtid (WCAG 1.2.4). Inspelningarna textas "
        "inom 14 dagar.</li></ul>"
    ),
    "assessment": (
        "Vi har bedömt tillgängligheten själva med automatiska tester (axe-core) och med "
        "skärmläsare och tangentbord."
    ),
    "feedback_contact": (
        "<p>Du kan också skicka e-post till saavutettavuus@example.fi. Vi svarar inom 14 dagar.</p>"
    ),
    "supervisory_authority": (
        "<p>Transport- och kommunikationsverket Traficom, tillsynen över tillgänglighet</p>"
        "<p>tillganglighetskrav.fi</p>"
    ),
}

# Swedish titles for the translated tree (the body text stays Finnish until translated).
SWEDISH_TITLES = {
    "kotikanava": "Kotikanava",
    "liikunta": "Motion",
    "ruoka": "Mat",
    "digitaidot": "Digitala färdigheter",
    "tuolijumppa-aamuun": "Stolgympa på morgonen",
    "tasapainoharjoitus": "Balansövning stående",
    "venyttely-makuulla": "Lugn stretching liggande",
    "linssikeitto": "Röd linssoppa",
    "kaurapuuro": "Havregrynsgröt med bär",
    "videopuhelu-tabletilla": "Videosamtal med surfplatta",
    "suomi-fi-tunnistautuminen": "Inloggning på Suomi.fi",
    "saavutettavuus": "Tillgänglighetsutlåtande",
}

# What the demo videos "say": one caption cue per sentence, in the video's language (and in
# Swedish for one video), timed by library.demo.media.speech_timings. A Swedish track has as
# many sentences as the Finnish one, so that the same times fit both.
CAPTIONS = {
    "tuolijumppa-aamuun": {
        "fi": [
            "Hyvää huomenta! Tehdään yhdessä lyhyt tuolijumppa.",
            "Istu tuolin etureunalle.",
            "Laita jalat lattialle lantion leveydelle.",
            "Pidä selkä suorana ja hartiat rentoina.",
            "Nosta hartiat kohti korvia ja laske ne alas.",
            "Toista rauhassa kymmenen kertaa.",
            "Ojenna oikea jalka suoraksi ja laske se alas.",
            "Tee sama vasemmalla jalalla.",
            "Hengitä rauhallisesti koko ajan.",
            "Hyvä! Pidä lopuksi pieni tauko.",
        ],
        "sv": [
            "God morgon! Vi gör en kort stolgympa tillsammans.",
            "Sätt dig på stolens framkant.",
            "Ställ fötterna på golvet i höftbredd.",
            "Håll ryggen rak och axlarna avslappnade.",
            "Lyft axlarna mot öronen och sänk dem igen.",
            "Upprepa lugnt tio gånger.",
            "Sträck ut höger ben och sänk det igen.",
            "Gör likadant med vänster ben.",
            "Andas lugnt hela tiden.",
            "Bra! Ta till sist en liten paus.",
        ],
    },
    "tasapainoharjoitus": {
        "fi": [
            "Tässä harjoituksessa vahvistetaan tasapainoa.",
            "Seiso tuolin takana.",
            "Ota selkänojasta kiinni molemmin käsin.",
            "Nouse hitaasti varpaille.",
            "Laskeudu rauhassa takaisin alas.",
            "Toista kymmenen kertaa.",
            "Nosta sitten oikea jalka hieman irti lattiasta.",
            "Pysy hetki paikallasi ja laske jalka alas.",
            "Vaihda jalkaa ja tee sama vasemmalla.",
            "Pidä tuolista kiinni koko ajan. Hienoa!",
        ],
    },
    "venyttely-makuulla": {
        "fi": [
            "Nyt venytellään rauhallisesti makuulla.",
            "Käy selällesi sängylle tai matolle.",
            "Vedä polvet koukkuun ja pidä jalkapohjat alustalla.",
            "Laita kädet vartalon viereen.",
            "Kallista polvet hitaasti oikealle.",
            "Tuo polvet takaisin keskelle.",
            "Kallista polvet sitten vasemmalle.",
            "Toista muutaman kerran omaan tahtiin.",
            "Hengitä syvään ja anna hartioiden rentoutua.",
            "Lepää hetki ennen kuin nouset ylös.",
        ],
    },
    "linssikeitto": {
        "fi": [
            "Tänään teemme punaista linssikeittoa.",
            "Kuori sipuli ja kaksi porkkanaa.",
            "Pilko ne pieniksi paloiksi.",
            "Kuumenna vähän öljyä kattilassa.",
            "Kuullota sipulia muutama minuutti.",
            "Lisää porkkanat, linssit ja tomaattimurska.",
            "Kaada joukkoon litra vettä ja lisää suola.",
            "Keitä miedolla lämmöllä kaksikymmentä minuuttia.",
            "Sekoita välillä, ettei keitto pala pohjaan.",
            "Keitto on valmis. Hyvää ruokahalua!",
        ],
    },
    "videopuhelu-tabletilla": {
        "fi": [
            "Näin soitat videopuhelun tabletilla.",
            "Etsi aloitusnäytöltä WhatsApp-sovellus.",
            "Avaa sovellus napauttamalla sen kuvaketta.",
            "Valitse listasta henkilö, jolle haluat soittaa.",
            "Keskustelu aukeaa näytölle.",
            "Paina kameran kuvaa oikeassa yläkulmassa.",
            "Odota, että läheisesi vastaa.",
            "Pidä tabletti kasvojesi edessä.",
            "Lopeta puhelu painamalla punaista painiketta.",
            "Hyvin meni! Voit kokeilla uudelleen milloin vain.",
        ],
    },
}
