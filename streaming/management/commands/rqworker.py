"""django-rq's `rqworker`, which also recovers the jobs of workers that died.

Like `db_worker` here, it recovers on start and before each task (in RQ's work horse); RQ itself
later moves the dead job to its failed registry. `rqworker-pool` is not covered.

Named queues are taken in the order given (`rqworker live default`); without any it serves all
of TASKS' queues, most urgent first, instead of django-rq's "default" only.
"""

from django.conf import settings
from django_rq.management.commands import rqworker
from django_tasks.signals import task_started

from streaming.recovery import recover_quietly


class Command(rqworker.Command):
    help = "Run an RQ worker, recovering jobs whose worker died"

    def handle(self, *args, **options):
        queues = args or tuple(settings.TASKS["default"].get("QUEUES") or ["default"])
        recover_quietly()
        task_started.connect(recover_quietly, dispatch_uid="streaming.recover_before_task")
        super().handle(*queues, **options)  # closes the database connections before forking
