"""Request ids and job ids in the logs, as JSON lines in production."""

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings as django_settings

from tests.operations.tasks import write_greeting


@pytest.fixture
def json_log_lines():
    """The project's LOGGING with KOTIKANAVA_LOG_FORMAT=json, written into a buffer."""
    config = json.loads(json.dumps(django_settings.LOGGING))
    config["handlers"]["console"]["formatter"] = "json"
    buffer = io.StringIO()
    config["handlers"]["console"]["stream"] = "ext://sys.stdout"
    logging.config.dictConfig(config)
    handler = logging.getLogger().handlers[0]
    handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    logging.config.dictConfig(django_settings.LOGGING)


@pytest.mark.django_db
def test_a_request_logs_a_json_line_with_the_id_it_returns(client, json_log_lines):
    response = client.get("/health/", HTTP_ACCEPT="application/json")

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = [line for line in json_log_lines() if line["logger"] == "studio.requests"]
    assert line["request_id"] == request_id
    assert line["path"] == "/health/"
    assert line["status"] == 200
    assert line["level"] == "INFO"


@pytest.mark.django_db
def test_nginx_request_id_is_kept_and_a_forged_one_replaced(client, json_log_lines):
    from_nginx = "5f0a9c1e2b3d4a5f8e7d6c5b4a392817"
    kept = client.get("/health/", HTTP_X_REQUEST_ID=from_nginx, HTTP_ACCEPT="application/json")
    forged = client.get(
        "/health/", HTTP_X_REQUEST_ID="x\nINFO fake line", HTTP_ACCEPT="application/json"
    )

    assert kept["X-Request-ID"] == from_nginx
    assert forged["X-Request-ID"] != "x\nINFO fake line"
    ids = [line["request_id"] for line in json_log_lines() if line["logger"] == "studio.requests"]
    assert ids == [from_nginx, forged["X-Request-ID"]]


@pytest.mark.django_db(transaction=True)
def test_a_task_logs_its_job_id_in_the_worker(
    migrated_db, settings, tmp_path, json_log_lines, run_worker
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    result = write_greeting.enqueue(str(tmp_path))

    run_worker()

    assert (tmp_path / "greeting.txt").read_text() == "hei"
    [line] = [line for line in json_log_lines() if line["message"] == "greeting written"]
    assert line["job_id"] == str(result.id)
