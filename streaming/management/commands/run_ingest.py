"""Run the RTMP ingest server (nginx + rtmp module) in the foreground with a generated config."""

import os

from django.core.management.base import BaseCommand
from django.utils import timezone

from streaming.live import ingest, nginx


class Command(BaseCommand):
    help = "Write the ingest server's nginx.conf from the settings and run nginx in its place."

    def add_arguments(self, parser):
        parser.add_argument("--nginx", default="nginx", help="nginx executable")

    def handle(self, *args, **options):
        config = nginx.config_from_settings()
        # Rows left open by a previous run would block their sessions' reconnects.
        ingest.end_all_publishers(timezone.now())
        path = nginx.write(config)
        self.stdout.write(f"Ingest on rtmp://{config.host}:{config.port}/{config.app} ({path})")
        self.stdout.flush()
        argv = nginx.command(config, options["nginx"])
        # exec, not a child: the supervisor's signals reach nginx itself.
        os.execvp(argv[0], argv)  # noqa: S606 (a fixed argv, no shell)
