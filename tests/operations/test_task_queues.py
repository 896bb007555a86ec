"""The admin's task queue view: a failed job shows up, Retry runs it again; only for editors."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from studio.roles import EDITORS_GROUP, STAFF_GROUP
from tests.operations.tasks import write_greeting
from tests.users import logged_in_in_english, member

PAGE = "/admin/task-queues/"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["transcode", "live", "default"],
        }
    }


def retry(client, result, **kwargs):
    return client.post(
        reverse("operations_retry_job"), {"backend": "default", "job": str(result.id)}, **kwargs
    )


@pytest.mark.django_db(transaction=True)
def test_failed_task_is_listed_and_retry_runs_it_to_success(
    migrated_db, database_tasks, run_worker, tmp_path
):
    folder = tmp_path / "not-yet"
    result = write_greeting.enqueue(str(folder))
    run_worker()
    assert DBTaskResult.objects.get(pk=result.id).status == "FAILED"
    editor = logged_in_in_english(member("toimittaja", EDITORS_GROUP))

    page = editor.get(PAGE)

    html = page.content.decode()
    assert page.status_code == 200
    assert "tests.operations.tasks.write_greeting" in html
    assert "FileNotFoundError" in html
    assert "/test_failed_task_is_listed" in html  # its argument, the folder
    counts = page.context["backends"][0]["counts"]
    assert [(q.name, q.waiting, q.running, q.failed) for q in counts] == [
        ("default", 0, 0, 1),
        ("live", 0, 0, 0),
        ("transcode", 0, 0, 0),
    ]
    assert "Task queues" in editor.get(reverse("wagtailadmin_home")).content.decode()

    folder.mkdir()  # what the operator fixed
    retried = retry(editor, result, follow=True)
    assert "The job is back in its queue." in retried.content.decode()
    run_worker()

    assert (folder / "greeting.txt").read_text() == "hei"
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
    assert "No failed jobs." in editor.get(PAGE).content.decode()


@pytest.mark.django_db(transaction=True)
def test_staff_cannot_see_the_queues_or_retry(migrated_db, database_tasks, run_worker, tmp_path):
    result = write_greeting.enqueue(str(tmp_path / "missing"))
    run_worker()
    staff = logged_in_in_english(member("tekija", STAFF_GROUP))

    assert staff.get(PAGE).status_code in (302, 403)
    refused = retry(staff, result)
    assert refused.status_code in (302, 403)
    assert DBTaskResult.objects.get(pk=result.id).status == "FAILED"
    assert "Task queues" not in staff.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_retry_needs_the_csrf_token(migrated_db, database_tasks, run_worker, tmp_path):
    result = write_greeting.enqueue(str(tmp_path / "missing"))
    run_worker()
    editor = logged_in_in_english(member("toimittaja", EDITORS_GROUP), enforce_csrf_checks=True)

    forged = retry(editor, result)

    assert forged.status_code == 403
    assert DBTaskResult.objects.get(pk=result.id).status == "FAILED"


@pytest.mark.postgres
@pytest.mark.django_db
def test_rq_failed_job_is_listed_and_retried_from_its_failed_registry(settings, tmp_path):
    """The same page on RQ: a real worker (in this process) fails the job, Retry requeues it."""
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    queues = ["transcode", "live", "default"]
    url = "redis://127.0.0.1:6379/11"  # a database of its own: other tests' workers use 0
    settings.RQ_QUEUES = {name: {"URL": url} for name in queues}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": queues}}
    connection = django_rq.get_connection("default")
    connection.flushdb()
    try:
        folder = tmp_path / "not-yet"
        result = write_greeting.enqueue(str(folder))

        def work():
            queue = django_rq.get_queue("default", job_class=Job)
            SimpleWorker([queue], connection=connection, job_class=Job).work(burst=True)

        work()
        editor = logged_in_in_english(member("toimittaja", EDITORS_GROUP))
        page = editor.get(PAGE)
        assert "FileNotFoundError" in page.content.decode()
        counts = {
            q.name: (q.waiting, q.running, q.failed) for q in page.context["backends"][0]["counts"]
        }
        assert counts == {"default": (0, 0, 1), "live": (0, 0, 0), "transcode": (0, 0, 0)}

        folder.mkdir()
        retry(editor, result)
        work()

        assert (folder / "greeting.txt").read_text() == "hei"
        assert write_greeting.get_result(result.id).status == "SUCCESSFUL"
        assert "No failed jobs." in editor.get(PAGE).content.decode()
    finally:
        connection.flushdb()
