"""Real task worker processes for production-path tests: started as `manage.py` commands on the
test's PostgreSQL (and Redis), and killed the way a machine losing power kills them.
"""

import contextlib
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

from streaming.models import Video, VideoStatus
from streaming.workdir import PREFIX

ROOT = Path(__file__).resolve().parents[2]


def rq_url() -> str:
    """The Redis the test process enqueues to (REDIS_URL, or the settings' default)."""
    return settings.RQ_QUEUES["default"]["URL"]


def empty_rq_queues() -> None:
    import django_rq

    for name in settings.RQ_QUEUES:
        django_rq.get_queue(name).empty()


def worker_env(extra: dict) -> dict:
    """The test's database and media for a worker; RQ only if `extra` names a Redis."""
    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    inherited = {name: value for name, value in os.environ.items() if name != "REDIS_URL"}
    return {
        **inherited,
        "DATABASE_URL": url,
        "KOTIKANAVA_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **extra,
    }


def start_worker(command: list[str], log, work_dir: Path, **env: str) -> subprocess.Popen:
    """`manage.py *command*`; its output goes to `log`, which the test prints when it fails."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=worker_env({"KOTIKANAVA_WORK_DIR": str(work_dir), **env}),
        start_new_session=True,  # its own process group: the kill takes ffmpeg down too
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def kill(worker: subprocess.Popen) -> None:
    """SIGKILL the worker with everything it started: RQ's work horse has a group of its own.

    The worker's own group is frozen first, so it cannot notice its horse dying and record the
    job as failed: a machine that loses power leaves the job "started", which is the case tested.
    """
    if worker.returncode is not None:
        return  # killed already
    own_group = os.getpgid(worker.pid)
    groups = [own_group, *(process_groups(worker.pid) - {own_group})]
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        for group in groups:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, sig)
    worker.wait()


def process_groups(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    group_of: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            _state, ppid, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except OSError:
            continue
        children.setdefault(int(ppid), []).append(int(stat.parent.name))
        group_of[int(stat.parent.name)] = int(pgrp)
    groups, todo = set(), [pid]
    while todo:
        process = todo.pop()
        if process in group_of:
            groups.add(group_of[process])
        todo.extend(children.get(process, []))
    return groups


def status(video: Video) -> Video:
    video.refresh_from_db()
    return video


def our_folders(work_dir: Path) -> list[str]:
    return sorted(p.name for p in work_dir.iterdir() if p.name.startswith(PREFIX))


def rq_jobs(task, args: tuple, since: datetime) -> list:
    """The RQ jobs of `task` with `args` enqueued since `since`, queued, running or finished."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq.registry import FinishedJobRegistry, StartedJobRegistry

    queue = django_rq.get_queue(task.queue_name, job_class=Job)
    ids = set(queue.job_ids)
    for registry in (StartedJobRegistry, FinishedJobRegistry):
        ids.update(registry(queue=queue).get_job_ids())
    return [
        job
        for job in Job.fetch_many(list(ids), connection=queue.connection)
        if job
        and job.func_name == task.module_path
        and job.args == args
        and job.enqueued_at.replace(tzinfo=UTC) >= since
    ]


def rq_statuses(task, args: tuple, since: datetime) -> dict[str, int]:
    """How many of those jobs are in each status ("queued", "started", "finished"...)."""
    counts: dict[str, int] = {}
    for job in rq_jobs(task, args, since):
        key = job.get_status().value
        counts[key] = counts.get(key, 0) + 1
    return counts


def published_once(video: Video) -> None:
    """Ready, with a master, and one publish only: a second run would take version 2."""
    assert video.status == VideoStatus.READY, video.error_detail
    assert video.version == 1
    assert video.output_prefix == f"videos/{video.pk}/1/"
    assert (Path(settings.MEDIA_ROOT) / video.output_path("master.m3u8")).is_file()
    assert sorted(p.name for p in (Path(settings.MEDIA_ROOT) / f"videos/{video.pk}").iterdir()) == [
        "1"
    ]
