import signal

import pytest
from django.core.management import call_command


@pytest.fixture
def run_worker():
    """db_worker in this process, once through the waiting tasks (its signal handlers undone).

    The worker closes its database connection between tasks, as a real one does: tests using
    it are transactional (`transaction=True` with `migrated_db`), not inside a test transaction.
    """
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}

    def run():
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    yield run
    for signum, handler in handlers.items():
        signal.signal(signum, handler)
