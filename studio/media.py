"""/media/: every stored file is served only after a check, never straight from the folder.

Videos follow the pages that show them (`streaming.views.media`); images follow Wagtail's
collection privacy; documents go through Wagtail's own /documents/ view; originals, caption
working copies and anything else are never served here.
"""

import posixpath

from django.views.decorators.http import require_safe
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from streaming.delivery import deliver, not_found
from streaming.views.media import serve_live_file, serve_video_file

IMAGE_SECTIONS = ("images", "original_images")


@require_safe
def serve_media(request, path):
    name = posixpath.normpath(path)
    if name.startswith(("/", "..")) or name != path:
        return not_found()
    section = name.split("/", 1)[0]
    if section == "videos":
        return serve_video_file(request, name)
    if section == "live":
        return serve_live_file(request, name)
    if section in IMAGE_SECTIONS:
        return serve_image_file(request, name)
    return not_found()


def serve_image_file(request, name: str):
    collection = _image_collection(name)
    if collection is None:
        return not_found()
    restrictions = collection.get_view_restrictions()
    allowed = all(restriction.accept_request(request) for restriction in restrictions)
    if not allowed and request.user.is_authenticated:
        policy = policy_registry.get_by_type(get_image_model())
        allowed = policy.user_has_any_permission(request.user, ["add", "change", "choose"])
    if not allowed:
        return not_found()
    return deliver(request, name, public=not restrictions)


def _image_collection(name: str):
    """The collection of the original image (original_images/) or of the rendition (images/)."""
    Image = get_image_model()
    if name.startswith("original_images/"):
        image = Image.objects.filter(file=name).select_related("collection").first()
        return image.collection if image else None
    rendition = (
        Image.get_rendition_model()
        .objects.filter(file=name)
        .select_related("image__collection")
        .first()
    )
    return rendition.image.collection if rendition else None
