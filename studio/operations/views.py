"""The admin's view of the task queues: how much waits, runs and failed, and retrying a failure.

Editors and superusers only: failed jobs show arguments and errors meant for those who keep the
service running. The permissions are django-tasks-db's own on its task rows (viewing them,
changing them), granted to editors by studio migration 0007, whichever backend runs the tasks.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from studio.operations.queues import task_queues

VIEW_PERMISSION = "django_tasks_database.view_dbtaskresult"
RETRY_PERMISSION = "django_tasks_database.change_dbtaskresult"


def may_view(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(VIEW_PERMISSION))


def may_retry(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(RETRY_PERMISSION))


class TaskQueuesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "operations/task_queues.html"
    page_title = _("Task queues")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not may_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["backends"] = [
            {"alias": queues.alias, "counts": queues.counts(), "failed": queues.failed()}
            for queues in task_queues()
        ]
        context["can_retry"] = may_retry(self.request.user)
        return context


class RetryJobView(View):
    """POST: put a failed job back in its queue."""

    http_method_names = ["post"]

    def post(self, request):
        if not may_retry(request.user):
            raise PermissionDenied
        alias, job_id = request.POST.get("backend", ""), request.POST.get("job", "")
        queues = next((found for found in task_queues() if found.alias == alias), None)
        if queues is not None and job_id and queues.retry(job_id):
            messages.success(request, gettext("The job is back in its queue."))
        else:
            messages.warning(
                request, gettext("The job was not retried: it is no longer among the failed.")
            )
        return redirect("operations_task_queues")
