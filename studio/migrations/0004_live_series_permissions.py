"""Give the roles the same permissions on weekly live series as on live sessions.

The lists are written out here rather than read from studio.roles, so that this migration keeps
granting what it granted when it was written.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from studio import roles

STAFF = ["view_liveseries"]
EDITORS = ["add_liveseries", "change_liveseries", "delete_liveseries", "view_liveseries"]


def grant(apps, schema_editor):
    streaming = apps.get_app_config("streaming")
    streaming.models_module = True
    create_permissions(streaming, apps=apps, verbosity=0)
    streaming.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")

    for name, codenames in [(roles.STAFF_GROUP, STAFF), (roles.EDITORS_GROUP, EDITORS)]:
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="streaming", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("studio", "0003_live_permissions"),
        ("streaming", "0005_live_runs_series_archive"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
