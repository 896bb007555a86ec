from django.conf import settings
from django.core.management.base import BaseCommand

from library.feedback.retention import delete_old_feedback


class Command(BaseCommand):
    help = (
        "Delete accessibility feedback older than KOTIKANAVA_FEEDBACK_RETENTION_DAYS "
        "(personal data is kept no longer than needed)."
    )

    def handle(self, *args, **options):
        deleted = delete_old_feedback()
        if options["verbosity"]:
            days = settings.KOTIKANAVA_FEEDBACK_RETENTION_DAYS
            self.stdout.write(f"Deleted {deleted} feedback messages older than {days} days.")
