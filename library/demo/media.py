"""Generated demo media: listing images and screenshots with Pillow, short clips with ffmpeg."""

import io
from pathlib import Path

import ffmpeg
from PIL import Image, ImageDraw

CLIP_SECONDS = 6
CLIP_SIZE = (640, 360)

# lavfi sources that look different from each other, standing in for real recordings.
CLIP_SOURCES = {
    "motion": "testsrc2=size={w}x{h}:rate=30",
    "bars": "smptehdbars=size={w}x{h}:rate=30",
    "cooking": "mandelbrot=size={w}x{h}:rate=30",
}


def listing_image(color: tuple[int, int, int], size=(960, 540)) -> bytes:
    """A calm coloured card with simple shapes: a stand-in photo, small as a JPEG."""
    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    w, h = size
    lighter = tuple(min(255, c + 60) for c in color)
    draw.ellipse((w * 0.55, h * 0.15, w * 0.95, h * 0.85), fill=lighter)
    draw.rectangle((w * 0.08, h * 0.6, w * 0.5, h * 0.75), fill=(255, 255, 255))
    return _jpeg(image)


def screenshot(step: int, caption_color=(0, 105, 92), size=(540, 960)) -> bytes:
    """A phone-like screen with a highlighted button, standing in for an app screenshot."""
    image = Image.new("RGB", size, (245, 245, 245))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((0, 0, w, h * 0.1), fill=caption_color)
    for row in range(5):
        top = h * (0.15 + row * 0.12)
        draw.rounded_rectangle((w * 0.06, top, w * 0.94, top + h * 0.09), 18, fill=(255, 255, 255))
    button_top = h * (0.15 + (step % 5) * 0.12)
    draw.rounded_rectangle(
        (w * 0.06, button_top, w * 0.94, button_top + h * 0.09), 18, outline=(200, 40, 40), width=8
    )
    return _jpeg(image)


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, optimize=True)
    return buffer.getvalue()


def clip(kind: str, target: Path) -> Path:
    """Write a short MP4 with a tone; 'screen' is a still screenshot, like a screen recording."""
    w, h = CLIP_SIZE
    if kind == "screen":
        still = target.with_suffix(".jpg")
        still.write_bytes(screenshot(1, size=(w, h)))
        video = ffmpeg.input(str(still), loop=1, framerate=30, t=CLIP_SECONDS)
    else:
        video = ffmpeg.input(CLIP_SOURCES[kind].format(w=w, h=h), f="lavfi", t=CLIP_SECONDS)
    audio = ffmpeg.input("sine=frequency=440:sample_rate=48000", f="lavfi", t=CLIP_SECONDS)
    (
        ffmpeg.output(
            video,
            audio,
            str(target),
            vcodec="libx264",
            preset="veryfast",
            pix_fmt="yuv420p",
            acodec="aac",
            movflags="+faststart",
            shortest=None,
        )
        .global_args("-nostdin", "-loglevel", "error")
        .overwrite_output()
        .run()
    )
    return target
