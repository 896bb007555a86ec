"""django-rq's `rqworker`, which also recovers the jobs of workers that died.

Like `db_worker` here, it recovers on start and before each task (in RQ's work horse); RQ itself
later moves the dead job to its failed registry. `rqworker-pool` is not covered.
"""

from django_rq.management.commands import rqworker
from django_tasks.signals import task_started

from streaming.recovery import recover_quietly


class Command(rqworker.Command):
    help = "Run an RQ worker, recovering jobs whose worker died"

    def handle(self, *args, **options):
        recover_quietly()
        task_started.connect(recover_quietly, dispatch_uid="streaming.recover_before_task")
        super().handle(*args, **options)  # closes the database connections before forking
