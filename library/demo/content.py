"""The demo library: a small Finnish tree with every page type, and Swedish titles for it.

Plain data, so that the loader stays short and a newcomer can see at once what the demo holds.
"""

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

INFO_PAGES = [
    {
        "slug": "saavutettavuus",
        "title": "Saavutettavuusseloste",
        "body": (
            "<p>Kotikanava pyrkii täyttämään digipalvelulain (306/2019) ja WCAG 2.2 "
            "AA -tason vaatimukset.</p>"
            "<h2>Palaute</h2><p>Jos huomaat saavutettavuusongelman, kerro siitä ohjaajallesi "
            "tai lähetä palautetta osoitteeseen saavutettavuus@example.fi.</p>"
        ),
    },
]

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
