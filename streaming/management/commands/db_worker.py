"""django-tasks-db's `db_worker`, which also recovers the jobs of workers that died.

Django runs the command of the first app in INSTALLED_APPS that has one, so this one replaces
the package's, which leaves a killed worker's task RUNNING and its video processing for ever.
Recovery runs when the worker starts and before each task it takes (`streaming.recovery`).

It serves every queue unless told otherwise (the package's own default is "default" only,
which would leave transcodes and live work waiting): `--queue-name transcode` for a worker of
its own, `--exclude-queues transcode` for the rest.
"""

from django_tasks_db.compat import task_started
from django_tasks_db.management.commands import db_worker

from streaming.recovery import recover_quietly


class Command(db_worker.Command):
    help = db_worker.Command.help + ", recovering jobs whose worker died"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*")

    def handle(self, *args, **options):
        recover_quietly()
        task_started.connect(recover_quietly, dispatch_uid="streaming.recover_before_task")
        super().handle(*args, **options)
