"""Let editors read, mark handled and delete accessibility feedback; staff get nothing of it.

Feedback can hold a client's name and contact details, so only the editors who answer it see it.
The list is written out here, as in 0004, so that this migration keeps granting what it granted.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from studio import roles

EDITORS = [
    "view_accessibilityfeedback",
    "change_accessibilityfeedback",
    "delete_accessibilityfeedback",
]


def grant(apps, schema_editor):
    library = apps.get_app_config("library")
    library.models_module = True
    create_permissions(library, apps=apps, verbosity=0)
    library.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group = Group.objects.filter(name=roles.EDITORS_GROUP).first()
    if group:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="library", codename__in=EDITORS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("studio", "0004_live_series_permissions"),
        ("library", "0003_accessibility_statement_and_feedback"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
