"""Generated demo media: listing images and screenshots with Pillow, clips with ffmpeg.

The clips carry a speech-like voice made on the spot (no recordings to download): a buzzing
"voice" with a wandering pitch, switched on and off in syllable rhythm, speaking in "sentences"
that the demo captions line up with, and quiet between them.
"""

import io
from pathlib import Path

import ffmpeg
from django.conf import settings
from PIL import Image, ImageDraw

# How long the demo clips are; the tests make them short (KOTIKANAVA_DEMO_CLIP_SECONDS).
DEFAULT_CLIP_SECONDS = 60
CLIP_SIZE = (640, 360)
CLIP_RATE = 15  # enough for the stand-in pictures, and half the work of 30

# lavfi sources that look different from each other, standing in for real recordings; cheap to
# render, so that a minute of each is made in seconds.
CLIP_SOURCES = {
    "motion": "testsrc2=size={w}x{h}:rate={r}",
    "bars": "smptehdbars=size={w}x{h}:rate={r}",
    "cooking": "gradients=size=320x180:rate={r}:speed=0.02,scale={w}:{h}",
}

# The voice is computed at this rate (speech needs little more than 4 kHz) and resampled by the
# AAC encoder; computing it at 48 kHz would take three times as long.
VOICE_SAMPLE_RATE = 16000
VOICE_LOOP_SECONDS = 10


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


def clip_seconds() -> float:
    return float(getattr(settings, "KOTIKANAVA_DEMO_CLIP_SECONDS", DEFAULT_CLIP_SECONDS))


def speech_timings(sentences: list[str], seconds: float) -> list[tuple[float, float]]:
    """When each sentence is spoken: the clip shared out by sentence length, a pause after each.

    The captions use these times, and the voice speaks exactly then.
    """
    weights = [len(sentence) + 12 for sentence in sentences]
    total = sum(weights)
    timings, slot_start = [], 0.0
    for weight in weights:
        slot = seconds * weight / total
        start = slot_start + min(0.4, 0.08 * slot)
        end = slot_start + slot - min(1.2, 0.2 * slot)
        timings.append((round(start, 3), round(end, 3)))
        slot_start += slot
    return timings


def voice(speech: list[tuple[float, float]], seconds: float) -> str:
    """A lavfi graph for a speech-like voice talking during `speech` and quiet in between.

    Six harmonics of a pitch wandering around 118 Hz, their balance shifting like changing
    vowels, switched on and off about four times a second (syllables) with a little noise at
    each syllable's edge (consonants). Ten seconds of it are computed and looped (computing every
    sample of a minute took longer than the video), then let through only inside the sentences.
    Normal speech level: a mean around -20 dBFS.
    """
    # Computed once a sample into the expression's variables: 0 the pitch's phase, 1 the
    # syllable envelope.
    pitch = "st(0,2*PI*(118*t-9.2*cos(2*PI*0.31*t)))"
    syllables = "st(1,pow(sin(PI*(4.3*t+0.25*sin(2*PI*0.53*t))),2))"
    vowels = (
        "sin(ld(0))+0.7*sin(2*ld(0))"
        "+(0.5+0.3*sin(2*PI*1.3*t))*(0.6*sin(3*ld(0))+0.4*sin(4*ld(0)))"
        "+(0.5+0.4*sin(2*PI*0.9*t+1))*(0.3*sin(5*ld(0))+0.2*sin(6*ld(0)))"
    )
    consonants = "0.25*pow(1-ld(1),6)*(2*random(2)-1)"
    expression = f"{pitch};{syllables};0.22*(ld(1)*({vowels})+{consonants})"
    sentences = "+".join(f"between(t,{start},{end})" for start, end in speech) or "0"
    loop = VOICE_LOOP_SECONDS * VOICE_SAMPLE_RATE
    return (
        f"aevalsrc='{expression}':s={VOICE_SAMPLE_RATE}:d={VOICE_LOOP_SECONDS},"
        f"aloop=loop=-1:size={loop},atrim=duration={seconds},asetpts=N/SR/TB,"
        f"volume='{sentences}':eval=frame,highpass=f=90,lowpass=f=3800"
    )


def clip(kind: str, target: Path, speech: list[tuple[float, float]], seconds: float) -> Path:
    """Write an MP4 of `seconds` with a voice speaking during `speech`; 'screen' is a still
    screenshot, like a screen recording. Small and quickly encoded: the pipeline re-encodes it."""
    w, h = CLIP_SIZE
    if kind == "screen":
        still = target.with_suffix(".jpg")
        still.write_bytes(screenshot(1, size=(w, h)))
        video = ffmpeg.input(str(still), loop=1, framerate=CLIP_RATE, t=seconds)
    else:
        source = CLIP_SOURCES[kind].format(w=w, h=h, r=CLIP_RATE)
        video = ffmpeg.input(source, f="lavfi", t=seconds)
    audio = ffmpeg.input(voice(speech, seconds), f="lavfi", t=seconds)
    (
        ffmpeg.output(
            video,
            audio,
            str(target),
            vcodec="libx264",
            preset="ultrafast",
            crf=30,
            pix_fmt="yuv420p",
            acodec="aac",
            ar=48000,
            movflags="+faststart",
            shortest=None,
        )
        .global_args("-nostdin", "-loglevel", "error")
        .overwrite_output()
        .run()
    )
    return target
