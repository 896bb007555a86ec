"""Let editors see the task queues and retry failed jobs (studio/operations/views.py).

The permissions are django-tasks-db's own on its task rows; the list is written out here so that
this migration keeps granting what it granted.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from studio import roles

EDITORS = ["view_dbtaskresult", "change_dbtaskresult"]


def grant(apps, schema_editor):
    tasks = apps.get_app_config("django_tasks_database")
    tasks.models_module = True
    create_permissions(tasks, apps=apps, verbosity=0)
    tasks.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group = Group.objects.filter(name=roles.EDITORS_GROUP).first()
    if group:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="django_tasks_database", codename__in=EDITORS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("studio", "0006_upload_tokens"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
