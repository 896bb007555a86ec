"""Who may do what with videos: Wagtail's collection and ownership policy, as for images.

Permissions are given per collection (``GroupCollectionPermission``) and flow down the tree.
"add" lets a person upload into a collection and change or delete what they uploaded there;
"change" and "delete" reach everyone's videos in the collection; "choose" lets a page use one.
Registered in ``StreamingConfig.ready()`` so every admin view and check finds this one policy.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from streaming.models import Video

permission_policy = CollectionOwnershipPermissionPolicy(
    Video, auth_model=Video, owner_field_name="uploaded_by"
)

# Actions that reach existing videos; "add" alone reaches only the person's own.
MANAGE_ACTIONS = ["change", "delete"]


def register() -> None:
    from wagtail.permissions import register_permission_policy

    register_permission_policy(Video, permission_policy)


def may_upload(user) -> bool:
    """Uploading needs "add" in at least one collection."""
    return permission_policy.user_has_permission(user, "add")


def upload_collections(user):
    """The collections this person may upload into (or move a video into), in tree order."""
    return permission_policy.collections_user_has_permission_for(user, "add").order_by("path")


def default_upload_collection(user) -> Collection | None:
    """Where an upload goes when no collection was named: the root if allowed, else the first
    collection the person may add to; None if there is none."""
    return upload_collections(user).first()


def check_upload_collection(user, collection: Collection | None) -> Collection:
    """The collection an upload goes into, or a ValidationError the person can read.

    Call before accepting any bytes: a request naming a collection the person may not add to is
    refused even if the form never offered it.
    """
    if collection is None:
        collection = default_upload_collection(user)
        if collection is None:
            raise ValidationError(
                _("You may not add videos to any collection."), code="no_collection"
            )
        return collection
    if not upload_collections(user).filter(pk=collection.pk).exists():
        raise ValidationError(
            _("You may not add videos to the collection “%(collection)s”."),
            code="forbidden_collection",
            params={"collection": collection.name},
        )
    return collection


def videos_user_may_manage(user):
    """The videos this person sees in the library: their own where they may add, and all in
    collections where they may change or delete."""
    return permission_policy.instances_user_has_any_permission_for(user, MANAGE_ACTIONS)


def videos_user_may_choose(user):
    """The videos a page editor may pick in the chooser."""
    return permission_policy.instances_user_has_any_permission_for(user, ["choose"])


def may_preview(user, video: Video) -> bool:
    """May this person watch a version clients do not see (yet): their own video, or any in a
    collection where they may change videos."""
    return permission_policy.user_has_any_permission_for_instance(user, MANAGE_ACTIONS, video)
