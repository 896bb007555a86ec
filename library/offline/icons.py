"""The installable app's icons, drawn with Pillow (`manage.py make_app_icons` writes them)."""

from pathlib import Path

from PIL import Image, ImageDraw

ICON_SIZES = (192, 512)
ICON_FOLDER = Path(__file__).resolve().parents[1] / "static" / "library" / "icons"
BACKGROUND = "#0b5394"
FOREGROUND = "#ffffff"


def icon_name(size: int) -> str:
    return f"icon-{size}.png"


def draw_icon(size: int) -> Image.Image:
    """A white house on the site's blue, inside the middle 60 % (safe for "maskable")."""
    image = Image.new("RGB", (size, size), BACKGROUND)
    draw = ImageDraw.Draw(image)
    unit = size / 100
    roof = [(50 * unit, 24 * unit), (76 * unit, 48 * unit), (24 * unit, 48 * unit)]
    draw.polygon(roof, fill=FOREGROUND)
    draw.rectangle([31 * unit, 47 * unit, 69 * unit, 76 * unit], fill=FOREGROUND)
    draw.rectangle([44 * unit, 58 * unit, 56 * unit, 76 * unit], fill=BACKGROUND)
    return image


def write_icons(folder: Path = ICON_FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for size in ICON_SIZES:
        path = folder / icon_name(size)
        draw_icon(size).save(path, optimize=True)
        paths.append(path)
    return paths
