"""Run live ingest: the RTMP server (nginx + rtmp module) and the packager supervisor."""

import os
import signal
import subprocess
import threading

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from streaming.live import ingest, nginx
from streaming.live.supervisor import Supervisor


class Command(BaseCommand):
    help = (
        "Write the ingest server's nginx.conf from the settings, run nginx, and package every "
        "admitted stream (stops cleanly on SIGTERM or Ctrl-C, keeping what was recorded)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--nginx", default="nginx", help="nginx executable")
        parser.add_argument(
            "--no-packager",
            action="store_true",
            help="run only nginx, in this process's place (packagers run elsewhere)",
        )

    def handle(self, *args, **options):
        config = nginx.config_from_settings()
        # Rows left open by a previous run would block their sessions' reconnects.
        ingest.end_all_publishers(timezone.now())
        path = nginx.write(config)
        self.stdout.write(f"Ingest on rtmp://{config.host}:{config.port}/{config.app} ({path})")
        self.stdout.flush()
        argv = nginx.command(config, options["nginx"])
        if options["no_packager"]:
            # exec, not a child: the process manager's signals reach nginx itself.
            os.execvp(argv[0], argv)  # noqa: S606 (a fixed argv, no shell)
            return
        server = subprocess.Popen(argv, stdin=subprocess.DEVNULL)  # noqa: S603 (fixed argv)
        stop = threading.Event()
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: stop.set())
        threading.Thread(target=lambda: (server.wait(), stop.set()), daemon=True).start()
        try:
            Supervisor().run_forever(stop)
        finally:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=10)
        if server.returncode not in (0, -signal.SIGTERM):
            raise CommandError(f"nginx exited with {server.returncode}")
