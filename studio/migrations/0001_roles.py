"""Create the staff and editor groups and the editors' approval workflow on the whole library."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from studio import roles


def _permission(apps, dotted):
    Permission = apps.get_model("auth.Permission")
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_roles(apps, schema_editor):
    # Model permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)

    staff, _ = Group.objects.get_or_create(name=roles.STAFF_GROUP)
    editors, _ = Group.objects.get_or_create(name=roles.EDITORS_GROUP)
    grants = [
        (
            staff,
            roles.STAFF_PERMISSIONS,
            roles.STAFF_PAGE_PERMISSIONS,
            roles.STAFF_COLLECTION_PERMISSIONS,
        ),
        (
            editors,
            roles.EDITOR_PERMISSIONS,
            roles.EDITOR_PAGE_PERMISSIONS,
            roles.EDITOR_COLLECTION_PERMISSIONS,
        ),
    ]
    for group, model_perms, page_perms, collection_perms in grants:
        group.permissions.add(*(_permission(apps, p) for p in model_perms))
        for codename in page_perms:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=_permission(apps, f"wagtailcore.{codename}"),
            )
        for dotted in collection_perms:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=_permission(apps, dotted)
            )

    _create_workflow(apps, editors, root_page)


def _create_workflow(apps, editors, root_page):
    ContentType = apps.get_model("contenttypes.ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")

    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.create(
        name=roles.TASK_NAME, content_type=content_type, active=True
    )
    task.groups.set([editors])
    workflow = Workflow.objects.create(name=roles.WORKFLOW_NAME, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    # The whole library goes through the editors; Wagtail's own default workflow steps aside.
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("streaming", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
