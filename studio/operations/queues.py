"""The task queues as operators see them, whichever django-tasks backend runs them.

One small interface for the database backend (django-tasks-db's rows) and for RQ (its queues
and failed job registries): counts per queue, the failed jobs, and retrying one. Retrying puts
the same job back in its queue (same id, task and arguments), so logs of both runs share the id.
"""

import dataclasses
from datetime import datetime

from django.conf import settings

ARGUMENTS_SHOWN = 80
FAILED_SHOWN = 50


@dataclasses.dataclass(frozen=True)
class QueueCounts:
    name: str
    waiting: int
    running: int
    failed: int


@dataclasses.dataclass(frozen=True)
class FailedJob:
    id: str
    queue: str
    task: str
    arguments: str
    error: str
    failed_at: datetime | None


def summarise_arguments(args, kwargs) -> str:
    parts = [repr(value) for value in args or ()]
    parts += [f"{key}={value!r}" for key, value in (kwargs or {}).items()]
    text = ", ".join(parts)
    return text if len(text) <= ARGUMENTS_SHOWN else text[: ARGUMENTS_SHOWN - 1] + "…"


def last_line(text: str) -> str:
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


class DatabaseQueues:
    """django-tasks-db: the task rows of one backend alias."""

    def __init__(self, alias: str, backend):
        self.alias = alias
        self.queue_names = sorted(backend.queues)

    def _rows(self):
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(backend_name=self.alias)

    def counts(self) -> list[QueueCounts]:
        from django.db.models import Count
        from django_tasks import TaskResultStatus

        found: dict[str, dict[str, int]] = {name: {} for name in self.queue_names}
        for row in self._rows().values("queue_name", "status").annotate(n=Count("id")):
            found.setdefault(row["queue_name"], {})[row["status"]] = row["n"]
        return [
            QueueCounts(
                name,
                waiting=by_status.get(TaskResultStatus.READY, 0),
                running=by_status.get(TaskResultStatus.RUNNING, 0),
                failed=by_status.get(TaskResultStatus.FAILED, 0),
            )
            for name, by_status in sorted(found.items())
        ]

    def failed(self, limit: int = FAILED_SHOWN) -> list[FailedJob]:
        from django_tasks import TaskResultStatus

        rows = self._rows().filter(status=TaskResultStatus.FAILED).order_by("-finished_at")
        return [
            FailedJob(
                id=str(row.id),
                queue=row.queue_name,
                task=row.task_path,
                arguments=summarise_arguments(
                    row.args_kwargs.get("args"), row.args_kwargs.get("kwargs")
                ),
                error=last_line(row.traceback) or row.exception_class_path,
                failed_at=row.finished_at,
            )
            for row in rows[:limit]
        ]

    def retry(self, job_id: str) -> bool:
        """Back to waiting, if it is still failed (two clicks retry it once)."""
        from django_tasks import TaskResultStatus

        return bool(
            self._rows()
            .filter(pk=job_id, status=TaskResultStatus.FAILED)
            .update(
                status=TaskResultStatus.READY,
                started_at=None,
                finished_at=None,
                exception_class_path="",
                traceback="",
            )
        )


class RQQueues:
    """django-tasks-rq: each queue's length and its started and failed job registries."""

    def __init__(self, alias: str, backend):
        self.alias = alias
        self.queue_names = sorted(backend.queues)

    def _queue(self, name: str):
        import django_rq
        from django_tasks_rq import Job

        return django_rq.get_queue(name, job_class=Job)

    def counts(self) -> list[QueueCounts]:
        counts = []
        for name in self.queue_names:
            queue = self._queue(name)
            counts.append(
                QueueCounts(
                    name,
                    waiting=queue.count,
                    running=queue.started_job_registry.count,
                    failed=queue.failed_job_registry.count,
                )
            )
        return counts

    def failed(self, limit: int = FAILED_SHOWN) -> list[FailedJob]:
        jobs = []
        for name in self.queue_names:
            queue = self._queue(name)
            ids = queue.failed_job_registry.get_job_ids(0, limit - 1, desc=True)
            for job in queue.job_class.fetch_many(ids, connection=queue.connection):
                if job is None:
                    continue
                result = job.latest_result()
                jobs.append(
                    FailedJob(
                        id=job.id,
                        queue=name,
                        task=job.func_name,
                        arguments=summarise_arguments(job.args, job.kwargs),
                        error=last_line(result.exc_string if result else ""),
                        failed_at=job.ended_at,
                    )
                )
        jobs.sort(key=lambda job: job.failed_at.timestamp() if job.failed_at else 0, reverse=True)
        return jobs[:limit]

    def retry(self, job_id: str) -> bool:
        from rq.exceptions import InvalidJobOperation, NoSuchJobError

        for name in self.queue_names:
            registry = self._queue(name).failed_job_registry
            if job_id in registry:
                try:
                    registry.requeue(job_id)
                except (InvalidJobOperation, NoSuchJobError):
                    return False
                return True
        return False


KINDS = {"DatabaseBackend": DatabaseQueues, "RQBackend": RQQueues}


def task_queues() -> list:
    """The inspectable backends of settings.TASKS (the immediate and dummy ones keep none)."""
    from django_tasks import task_backends

    found = []
    for alias in getattr(settings, "TASKS", {}):
        backend = task_backends[alias]
        kind = KINDS.get(type(backend).__name__)
        if kind is not None:
            found.append(kind(alias, backend))
    return found
