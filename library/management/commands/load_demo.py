from django.conf import settings
from django.core.management.base import BaseCommand

from library.demo.loader import DemoLoader
from library.demo.users import DEMO_USERS, ensure_demo_users


class Command(BaseCommand):
    help = "Build the demo library (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 1
        DemoLoader(log=self.stdout.write if verbose else lambda _message: None).load()
        password = ensure_demo_users()
        if options["verbosity"]:
            base = settings.WAGTAILADMIN_BASE_URL
            self.stdout.write(f"\nKotikanava: {base}/   admin: {base}/admin/")
            names = ", ".join(username for username, *_ in DEMO_USERS)
            self.stdout.write(f"Logins ({names}), password: {password}\n")
