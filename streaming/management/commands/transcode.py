import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from streaming.conf import pipeline_config
from streaming.pipeline.errors import MediaRejected, PipelineFailed
from streaming.pipeline.run import transcode


class Command(BaseCommand):
    help = (
        "Run the recording pipeline on a local file, without the database: writes "
        "OUTDIR/master.m3u8 and everything it references."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument("outdir", type=Path)

    def handle(self, *args, source, outdir, **options):
        if not source.is_file():
            self.fail(f"no such file: {source}")
        try:
            result = transcode(source, outdir, pipeline_config())
        except (MediaRejected, PipelineFailed) as error:
            self.fail(f"{error.message} ({error.detail})" if error.detail else str(error.message))
        if options["verbosity"]:
            self.stdout.write(f"{outdir / result.master}  ({result.duration:.1f} s)")
            for variant in result.variants_manifest():
                size = f"{variant['width']}x{variant['height']}" if "width" in variant else "audio"
                average, peak = variant["average_bps"] / 1000, variant["peak_bps"] / 1000
                self.stdout.write(
                    f"  {variant['uri']:<18} {size:>9}  average {average:7.1f} kbit/s"
                    f"  peak {peak:7.1f} kbit/s"
                )

    def fail(self, reason: str):
        sys.stderr.write(f"transcode: refused: {reason}\n")
        sys.exit(1)
