"""Validators shared by the forms of every app (streaming is the base the others build on)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Invisible characters that reorder the text around them (the "Trojan Source" trick): a name
# with U+202E can show "tuolijumppa.mp4" while it really ends in something else.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
    "\u200e\u200f\u061c"  # LRM, RLM, ALM
)


def has_bidi_controls(text: str) -> bool:
    return not BIDI_CONTROLS.isdisjoint(text)


def validate_no_bidi_controls(value):
    """Refuse a name (title) that contains direction-changing control characters."""
    if has_bidi_controls(str(value)):
        raise ValidationError(
            _(
                "The name contains invisible characters that change the direction of the text. "
                "Type the name again without copying it from elsewhere."
            ),
            code="bidi_control",
        )


def validate_file_name(value):
    """Refuse a file (or a file name) whose name contains direction-changing control characters."""
    name = value if isinstance(value, str) else getattr(value, "name", "") or ""
    if has_bidi_controls(name):
        raise ValidationError(
            _(
                "The file name contains invisible characters that change the direction of the "
                "text. Rename the file and try again."
            ),
            code="bidi_control",
        )


def add_validators(form, names, validator) -> None:
    """Append `validator` to those of `names` the form has (Wagtail builds some fields itself)."""
    for name in names:
        if name in form.fields:
            form.fields[name].validators.append(validator)
