"""Give the roles their live-session permissions (studio.roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from studio import roles


def grant(apps, schema_editor):
    streaming = apps.get_app_config("streaming")
    streaming.models_module = True
    create_permissions(streaming, apps=apps, verbosity=0)
    streaming.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")

    def permissions(dotted_names):
        codenames = [name.split(".")[1] for name in dotted_names]
        return Permission.objects.filter(
            content_type__app_label="streaming", codename__in=codenames
        )

    for name, granted in [
        (roles.STAFF_GROUP, roles.LIVE_STAFF_PERMISSIONS),
        (roles.EDITORS_GROUP, roles.LIVE_EDITOR_PERMISSIONS),
    ]:
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.add(*permissions(granted))


class Migration(migrations.Migration):
    dependencies = [("studio", "0002_locales"), ("streaming", "0004_live_sessions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
