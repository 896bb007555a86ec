"""Admin forms for videos: the edit form with one caption file per language, and upload sessions.

Caption files are checked when the form is validated, so a broken file is refused with the line
that is wrong instead of failing later in the pipeline.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.collections import (
    CollectionChoiceField,
    collection_member_permission_formset_factory,
)
from wagtail.models import Collection

from streaming.models import Caption, Video
from streaming.permissions import check_upload_collection, upload_collections
from streaming.pipeline.captions import CaptionError, parse
from streaming.validators import validate_file_name, validate_no_bidi_controls

# Caption files are text; anything bigger than this is not one.
MAX_CAPTION_BYTES = 2 * 1024 * 1024


def caption_field_name(code: str) -> str:
    return f"caption_{code}"


def remove_field_name(code: str) -> str:
    return f"remove_caption_{code}"


def _caption_fields() -> dict:
    fields = {}
    for code, name in settings.LANGUAGES:
        fields[caption_field_name(code)] = forms.FileField(
            label=_("Captions: %(language)s") % {"language": name},
            required=False,
            help_text=_("A WebVTT (.vtt) or SRT (.srt) file."),
            widget=forms.ClearableFileInput(attrs={"accept": ".vtt,.srt,text/vtt"}),
        )
        fields[remove_field_name(code)] = forms.BooleanField(
            label=_("Remove the %(language)s captions") % {"language": name}, required=False
        )
    return fields


class BaseVideoForm(WagtailAdminModelForm):
    """Title, collection and captions; the caption fields are added per language below."""

    title = Video._meta.get_field("title").formfield(validators=[validate_no_bidi_controls])
    collection = CollectionChoiceField(
        label=_("Collection"), queryset=Collection.objects.all(), empty_label=None
    )

    class Meta:
        model = Video
        fields = ["title", "collection"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.captions_changed = False
        self.fields["collection"].queryset = _collection_choices(self.for_user, self.instance)
        existing = {}
        if self.instance.pk:
            existing = {c.language: c for c in self.instance.captions.all()}
        may = _caption_permissions(self.for_user)
        for code, _name in settings.LANGUAGES:
            upload, remove = caption_field_name(code), remove_field_name(code)
            if code in existing:
                self.fields[upload].help_text = _(
                    "This language has captions. Choose a new WebVTT or SRT file to replace them."
                )
                if not may["change"]:
                    del self.fields[upload]
                if not may["delete"]:
                    del self.fields[remove]
            else:
                del self.fields[remove]
                if not may["add"]:
                    del self.fields[upload]

    def clean(self):
        cleaned = super().clean()
        self.caption_cues = {}
        for code, _name in settings.LANGUAGES:
            upload = cleaned.get(caption_field_name(code))
            if not upload:
                continue
            try:
                self.caption_cues[code] = _read_captions(upload)
            except forms.ValidationError as error:
                self.add_error(caption_field_name(code), error)
        return cleaned

    def save(self, commit=True):
        video = super().save(commit=commit)
        if commit:
            self.save_captions(video)
        return video

    def save_captions(self, video: Video) -> None:
        """Store new caption tracks as WebVTT with their transcripts; remove unticked ones."""
        for code, name in settings.LANGUAGES:
            if code in self.caption_cues:
                caption = Caption.objects.filter(video=video, language=code).first()
                caption = caption or Caption(video=video, language=code)
                caption.label = caption.label or name
                caption.store(self.caption_cues[code])
                self.captions_changed = True
            elif self.cleaned_data.get(remove_field_name(code)):
                for caption in Caption.objects.filter(video=video, language=code):
                    caption.delete()  # its file goes on commit (streaming.signals)
                    self.captions_changed = True


def _collection_choices(user, video: Video):
    """Collections the person may add videos to, and the one the video is in now (as Wagtail's
    image and document forms do), so keeping it where it is stays valid."""
    if user is None:
        return Collection.objects.all()
    choices = upload_collections(user)
    if video.pk:
        choices = choices | Collection.objects.filter(pk=video.collection_id)
    return choices.order_by("path")


def _caption_permissions(user) -> dict[str, bool]:
    """What the person may do with caption tracks; a field they may not use is not in the form,
    so a hand-made request cannot use it either."""
    return {
        action: bool(user and user.has_perm(f"streaming.{action}_caption"))
        for action in ("add", "change", "delete")
    }


def _read_captions(upload):
    if upload.size > MAX_CAPTION_BYTES:
        raise forms.ValidationError(_("The caption file is too large to be a caption file."))
    try:
        return parse(upload.read())
    except CaptionError as error:
        raise forms.ValidationError(error.user_message()) from None


VideoForm = type(BaseVideoForm)("VideoForm", (BaseVideoForm,), _caption_fields())
VideoForm.__doc__ = BaseVideoForm.__doc__


class UploadSessionForm(forms.Form):
    """What the browser declares before sending a file; `user` limits the collections to those
    the person may add videos to, and an empty one becomes the first of those."""

    filename = forms.CharField(max_length=1000, validators=[validate_file_name])
    size = forms.IntegerField(min_value=0)
    collection = forms.ModelChoiceField(queryset=Collection.objects.all(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_collection(self):
        return check_upload_collection(self.user, self.cleaned_data.get("collection"))


# The Groups admin's "Video permissions" panel: per collection, like images and documents.
# Deleting follows editing, as in Wagtail's policy for them: no separate column.
GroupVideoPermissionFormSet = collection_member_permission_formset_factory(
    Video,
    [
        ("add_video", _("Add"), _("Add videos, and edit and delete the ones you uploaded")),
        ("change_video", _("Edit"), _("Edit and delete any video")),
        ("choose_video", _("Choose"), _("Select videos in choosers")),
    ],
    "streaming/permissions/video_permissions_formset.html",
)
