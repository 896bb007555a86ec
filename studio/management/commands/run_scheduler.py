import signal
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand

from streaming.live.questions import delete_old_questions
from streaming.recovery import recover_dead_jobs
from streaming.retention import apply_retention
from streaming.uploads import clean_stale_sessions


class Command(BaseCommand):
    help = (
        "Run periodic jobs (scheduled publishing, dead jobs, stale uploads, retention of "
        "originals, old feedback and questions) until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60, help="Seconds between runs.")
        parser.add_argument("--once", action="store_true", help="Run the jobs once and exit.")

    def handle(self, *args, interval, once, **options):
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        while True:
            # Publishes pages whose go-live time has come and unpublishes expired ones.
            call_command("publish_scheduled", verbosity=0)
            recover_dead_jobs()  # the workers do this too; here it also covers idle ones
            clean_stale_sessions()
            apply_retention()  # originals past their retention period, failed uploads' files
            call_command("delete_old_feedback", verbosity=0)  # past its retention period
            delete_old_questions()  # live sessions' questions, likewise
            if once or stop.wait(interval):
                return
