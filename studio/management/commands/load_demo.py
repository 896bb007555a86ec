from django.conf import settings

from library.management.commands import load_demo
from studio.demo_users import DEMO_USERS, ensure_demo_users


class Command(load_demo.Command):
    """The library's demo plus logins in the project's roles. studio comes first in
    INSTALLED_APPS, so `manage.py load_demo` runs this one."""

    help = "Build the demo library (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        super().handle(*args, **options)
        password = ensure_demo_users()
        if options["verbosity"]:
            base = settings.WAGTAILADMIN_BASE_URL
            self.stdout.write(f"\nKotikanava: {base}/   admin: {base}/admin/")
            names = ", ".join(username for username, *_ in DEMO_USERS)
            self.stdout.write(f"Logins ({names}), password: {password}\n")
