"""Tasks the operations tests run on a real backend (importable by path, as workers need)."""

import logging
from pathlib import Path

from django_tasks import task

logger = logging.getLogger("tests.operations")


@task()
def write_greeting(folder: str) -> None:
    """Fails while `folder` is missing: something an operator fixes before pressing Retry."""
    (Path(folder) / "greeting.txt").write_text("hei")
    logger.info("greeting written")
