from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from studio.operations import views


@hooks.register("register_admin_urls")
def task_queue_urls():
    return [
        path("task-queues/", views.TaskQueuesView.as_view(), name="operations_task_queues"),
        path("task-queues/retry/", views.RetryJobView.as_view(), name="operations_retry_job"),
    ]


class TaskQueuesMenuItem(MenuItem):
    def is_shown(self, request):
        return views.may_view(request.user)


@hooks.register("register_reports_menu_item")
def task_queues_menu_item():
    return TaskQueuesMenuItem(
        _("Task queues"), reverse("operations_task_queues"), icon_name="tasks", order=900
    )
