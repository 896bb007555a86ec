"""Request and job ids on every log line, and one line per web request.

The request id comes from django-guid (nginx's X-Request-ID, else a new one, returned in the
response header); the job id is the django-tasks result id of the task a worker is running, set
from the task signals. `KOTIKANAVA_LOG_FORMAT=json` (studio/settings.py) writes each record as
one JSON object (python-json-logger) for a log collector; the default is for people.
"""

import logging
import time
from contextvars import ContextVar

from django_guid.context import guid

job_id: ContextVar[str | None] = ContextVar("job_id", default=None)
request_logger = logging.getLogger("studio.requests")


class ContextFilter(logging.Filter):
    """Puts `request_id` and `job_id` (None outside a request or a task) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = guid.get()
        record.job_id = job_id.get()
        return True


class HumanFormatter(logging.Formatter):
    """The usual one-line format, with the ids in brackets when there are any."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = [
            f"{name} {value}"
            for name, value in (
                ("request", getattr(record, "request_id", None)),
                ("job", getattr(record, "job_id", None)),
            )
            if value
        ]
        return f"{line} [{', '.join(ids)}]" if ids else line


def follow_tasks() -> None:
    """Set the job id while a task runs (in whichever worker process runs it)."""
    from django_tasks.signals import task_finished, task_started

    task_started.connect(_task_started, dispatch_uid="studio.operations.job_id")
    task_finished.connect(_task_finished, dispatch_uid="studio.operations.job_id")


def _task_started(sender, task_result, **kwargs) -> None:
    job_id.set(str(task_result.id))


def _task_finished(sender, task_result, **kwargs) -> None:
    job_id.set(None)


class RequestLogMiddleware:
    """One line per request: method, path (never the query string, which may carry tokens),
    status and time taken. Media requests, a player's every segment, are logged at DEBUG."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        level = logging.DEBUG if request.path.startswith("/media/") else logging.INFO
        if request_logger.isEnabledFor(level):
            request_logger.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
        return response
