"""A small library tree built in code, for tests that need pages but not the full demo."""

from decimal import Decimal

from wagtail.models import Locale, Page, Site

from library.models import ExercisePage, GuidePage, HomePage, InfoPage, RecipePage, TopicPage
from streaming.models import Video


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def build_tree():
    """Home with one topic per content type, two pages each, and a Swedish copy of it all."""
    root = Page.get_first_root_node()
    home = publish(root, HomePage(title="Koti", slug="koti", intro="Tervetuloa"))
    Site.objects.update(root_page=home)
    video = Video.objects.create(title="Tuolijumppavideo")

    exercise_topic = publish(home, TopicPage(title="Liikunta", slug="liikunta", icon="exercise"))
    food_topic = publish(home, TopicPage(title="Ruoka", slug="ruoka", icon="food"))
    digi_topic = publish(home, TopicPage(title="Digitaidot", slug="digitaidot", icon="digital"))
    pages = {
        "chair": publish(
            exercise_topic,
            ExercisePage(
                title="Tuolijumppa",
                slug="tuolijumppa",
                summary="Jumppaa tuolilla istuen.",
                video=video,
                duration_minutes=10,
                level="easy",
                position="seated",
                equipment="Tuoli",
                steps=[("step", {"text": "Istu tuolille."})],
            ),
        ),
        "balance": publish(
            exercise_topic,
            ExercisePage(
                title="Tasapaino",
                slug="tasapaino",
                summary="Seisten tehtävä harjoitus.",
                video=video,
                duration_minutes=25,
                level="medium",
                position="standing",
            ),
        ),
        "soup": publish(
            food_topic,
            RecipePage(
                title="Linssikeitto",
                slug="linssikeitto",
                summary="Edullinen keitto linsseistä.",
                servings=4,
                prep_minutes=10,
                cook_minutes=20,
                gluten_free=True,
                vegetarian=True,
                ingredients=[
                    ("ingredient", {"amount": Decimal("2"), "unit": "dl", "item": "linssejä"})
                ],
                steps=[("step", {"text": "Keitä linssit."})],
            ),
        ),
        "porridge": publish(
            food_topic,
            RecipePage(
                title="Kaurapuuro",
                slug="kaurapuuro",
                summary="Aamupuuro kaurasta.",
                servings=1,
                prep_minutes=1,
                cook_minutes=5,
                low_cost=True,
            ),
        ),
        "video_call": publish(
            digi_topic,
            GuidePage(
                title="Videopuhelu",
                slug="videopuhelu",
                summary="Soita videopuhelu tabletilla.",
                device="tablet",
                app="WhatsApp",
                level="easy",
                steps=[("step", {"text": "Avaa sovellus."})],
            ),
        ),
        "login": publish(
            digi_topic,
            GuidePage(
                title="Kirjautuminen",
                slug="kirjautuminen",
                summary="Kirjaudu pankkitunnuksilla.",
                device="phone",
                app="Suomi.fi",
                level="medium",
            ),
        ),
    }
    pages["chair"].tags.add("aamu")
    pages["chair"].save_revision().publish()
    info = publish(home, InfoPage(title="Saavutettavuus", slug="saavutettavuus", body="<p>OK</p>"))
    tree = {"home": home, "topics": [exercise_topic, food_topic, digi_topic], "info": info, **pages}

    swedish = Locale.objects.get(language_code="sv")
    for page in [home, *home.get_descendants().specific()]:
        copy = page.copy_for_translation(swedish)
        copy.title = f"{page.title} (sv)"
        copy.save_revision().publish()
    return tree


def exercise_topic() -> TopicPage:
    """A live home page (the site's root) with one live exercise topic under it."""
    home = HomePage(title="Koti", slug="koti", intro="Tervetuloa")
    Page.get_first_root_node().add_child(instance=home)
    Site.objects.update(root_page=home)
    return publish(home, TopicPage(title="Liikunta", slug="liikunta", icon="exercise"))


def exercise_showing(video: Video, topic: TopicPage | None = None, slug="jumppa", live=True):
    """An exercise page showing `video`, live unless `live` is False (a draft)."""
    page = ExercisePage(title=slug, slug=slug, summary="Jumppaa.", video=video, position="seated")
    if live:
        return publish(topic or exercise_topic(), page)
    page.live = False
    (topic or exercise_topic()).add_child(instance=page)
    return page
