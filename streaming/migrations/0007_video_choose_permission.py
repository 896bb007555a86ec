"""Videos get Wagtail's "choose" permission, and the roles their video permissions per
collection, on the root (streaming.permissions).

Staff add videos and choose them for pages; as owners they edit and delete their own. Editors
also edit and delete everyone's. The group names and codenames are those of studio.roles, copied
here because a migration is frozen history and the media engine does not import the project.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Sisällöntuottajat"
EDITORS_GROUP = "Toimittajat"
GRANTS = {
    STAFF_GROUP: ["add_video", "choose_video"],
    EDITORS_GROUP: ["add_video", "change_video", "choose_video"],
}


def grant(apps, schema_editor):
    streaming = apps.get_app_config("streaming")
    streaming.models_module = True
    create_permissions(streaming, apps=apps, verbosity=0)
    streaming.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        permissions = Permission.objects.filter(
            content_type__app_label="streaming", codename__in=codenames
        )
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )


def revoke(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    for name, codenames in GRANTS.items():
        GroupCollectionPermission.objects.filter(
            group__name=name,
            collection__depth=1,
            permission__content_type__app_label="streaming",
            permission__codename__in=codenames,
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("streaming", "0006_live_session_ended_by"),
        ("studio", "0001_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="video",
            options={
                "ordering": ["-created_at"],
                "permissions": [("choose_video", "Can choose video")],
                "verbose_name": "video",
                "verbose_name_plural": "videos",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
